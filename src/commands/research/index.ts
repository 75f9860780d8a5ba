import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerResearchExport } from './export.js';

export function registerResearch(program: Command, streams: Streams) {
  const research = program.command('research').description('aggregated, de-identified counts for research (P3)');
  registerResearchExport(research, streams);
}
