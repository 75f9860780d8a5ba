import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerAuditList } from './list.js';
import { registerAuditVerify } from './verify.js';

export function registerAudit(program: Command, streams: Streams) {
  const audit = program.command('audit').description('the append-only, hash-chained log of every change and export (P4)');
  registerAuditList(audit, streams);
  registerAuditVerify(audit, streams);
}
