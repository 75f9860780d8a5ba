/** How many activities a member has on a document; maintained as activity is recorded. */
export interface ParticipationTable {
  document_id: number;
  person_id: number;
  activities: number;
}
