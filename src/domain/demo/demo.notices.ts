import { Readable } from 'node:stream';
import type { Db } from '../../db/connection.js';
import { readMbox } from '../../io/mbox.js';
import type { DataSink } from '../../io/sink.js';
import type { Stamp } from '../audit/audit.service.js';
import { exportNoticeDrafts, recordNoticesFromMbox } from '../notice/notice.service.js';

/**
 * The demo's history (and the tests'): every pending notice is drafted, "sent" by a mailer
 * that is not there, and recorded from the drafts by Message-ID, as staff with another mailer
 * would do it. Nothing is sent: only made-up people are told, in a made-up past.
 */
export async function tellEveryonePending(db: Db, stamp: Stamp, o: { channel?: string; at?: string } = {}): Promise<number> {
  const chunks: string[] = [];
  const sink: DataSink = { destination: 'demo mailer', write: async (t) => void chunks.push(t), commit: async () => {}, abort: async () => {} };
  const { count } = await exportNoticeDrafts(db, stamp, 'mbox', sink);
  if (!count) return 0;
  const input = { name: 'sent.mbox', stream: Readable.from([chunks.join('')]), isPipe: false };
  return (await recordNoticesFromMbox(db, stamp, input.name, readMbox(input), o)).recorded;
}
