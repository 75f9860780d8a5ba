import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerDisclosuresAck } from './ack.js';
import { registerDisclosuresCheck } from './check.js';
import { registerDisclosuresList } from './list.js';

export function registerDisclosures(program: Command, streams: Streams) {
  const disclosures = program.command('disclosures').description('what is released about people, to whom and when, and whether they were told first (P9)');
  registerDisclosuresList(disclosures, streams);
  registerDisclosuresCheck(disclosures, streams);
  registerDisclosuresAck(disclosures, streams);
}
