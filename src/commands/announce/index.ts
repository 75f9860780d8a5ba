import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerAnnounceExport } from './export.js';

export function registerAnnounce(program: Command, streams: Streams) {
  const announce = program.command('announce').description('the public announcement of new members (P7)');
  registerAnnounceExport(announce, streams);
}
