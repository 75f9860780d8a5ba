import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerMemberAdd } from './add.js';
import { registerMemberErase } from './erase.js';
import { registerMemberImport } from './import.js';
import { registerMemberList } from './list.js';
import { registerMemberReport } from './report.js';
import { registerMemberShow } from './show.js';
import { registerMemberUpdate } from './update.js';

export function registerMember(program: Command, streams: Streams) {
  const member = program.command('member').description('people (members and contacts): add, import, list, show, update, report, erase');
  registerMemberAdd(member, streams);
  registerMemberImport(member, streams);
  registerMemberList(member, streams);
  registerMemberShow(member, streams);
  registerMemberUpdate(member, streams);
  registerMemberReport(member, streams);
  registerMemberErase(member, streams);
}
