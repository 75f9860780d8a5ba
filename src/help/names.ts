/**
 * The guides `consort help TOPIC` prints, by name, with a line on each. Kept apart from their
 * texts (topics.ts) so that `consort --help` can list them without loading any.
 */
export const TOPICS = {
  rules: 'the privacy rules P1–P10 and what each means for the commands',
  formats: 'every import and export format, field by field',
  'exit-codes': 'what each exit code means, and which commands give it',
  cron: 'recommended crontab lines, each handling exit 3 and exit 8',
  environment: 'every environment variable consort reads',
} as const;

export type TopicName = keyof typeof TOPICS;
