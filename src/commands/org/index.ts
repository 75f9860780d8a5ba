import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerOrgAdd } from './add.js';
import { registerOrgList } from './list.js';
import { registerOrgShow } from './show.js';
import { registerOrgUpdate } from './update.js';

export function registerOrg(program: Command, streams: Streams) {
  const org = program.command('org').description('organisations: add, list, show, update');
  registerOrgAdd(org, streams);
  registerOrgList(org, streams);
  registerOrgShow(org, streams);
  registerOrgUpdate(org, streams);
}
