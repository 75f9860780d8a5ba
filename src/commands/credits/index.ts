import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerCreditsExport } from './export.js';

export function registerCredits(program: Command, streams: Streams) {
  const credits = program.command('credits').description('credits of participants in released documents (P8)');
  registerCreditsExport(credits, streams);
}
