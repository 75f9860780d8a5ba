import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerConfigGet } from './get.js';
import { registerConfigList } from './list.js';
import { registerConfigSet } from './set.js';
import { registerConfigUnset } from './unset.js';

export function registerConfig(program: Command, streams: Streams) {
  const config = program.command('config').description('settings kept in the database (consort config list shows them all with what they are for)');
  registerConfigGet(config, streams);
  registerConfigSet(config, streams);
  registerConfigUnset(config, streams);
  registerConfigList(config, streams);
}
