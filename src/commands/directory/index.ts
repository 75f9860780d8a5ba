import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerDirectoryExport } from './export.js';

export function registerDirectory(program: Command, streams: Streams) {
  const directory = program.command('directory').description('the members-only directory (P6)');
  registerDirectoryExport(directory, streams);
}
