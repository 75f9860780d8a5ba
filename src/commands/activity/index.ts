import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerActivityImport } from './import.js';
import { registerActivityList } from './list.js';
import { registerActivityLog } from './log.js';

export function registerActivity(program: Command, streams: Streams) {
  const activity = program.command('activity').description("members' activity on the private site (P5: members only; P10: never exported)");
  registerActivityLog(activity, streams);
  registerActivityImport(activity, streams);
  registerActivityList(activity, streams);
}
