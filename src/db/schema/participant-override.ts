/** A participant added or removed by hand; a removal sticks whatever activity comes later. */
export interface ParticipantOverrideTable {
  document_id: number;
  person_id: number;
  kind: 'added' | 'removed';
  at: string;
  actor: string;
}
