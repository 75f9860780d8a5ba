import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliResult } from './cli.js';
import { tempDir } from './db.js';

type Run = (argv: string[], env?: Record<string, string>) => Promise<CliResult>;

/**
 * As staff with another mailer do it: drafts every pending notice (or one person's), "sends"
 * the file, and records exactly the notices in it by Message-ID (notice record --from).
 */
export async function tellPending(run: Run, o: { email?: string; at?: string; channel?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const file = join(tempDir(), 'sent.mbox');
  const drafted = await run(['notice', 'export', '-o', file], o.env);
  if (drafted.code !== 0) return drafted;
  if (o.email) {
    const messages = readFileSync(file, 'utf8').split(/^(?=From consort@localhost )/m);
    writeFileSync(file, messages.filter((m) => m.includes(`<${o.email}>`)).join(''));
  }
  return run(['notice', 'record', '--from', file, ...(o.at ? ['--at', o.at] : []), ...(o.channel ? ['--channel', o.channel] : [])], o.env);
}
