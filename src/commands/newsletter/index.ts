import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerNewsletterExport } from './export.js';

export function registerNewsletter(program: Command, streams: Streams) {
  const newsletter = program.command('newsletter').description('the newsletter list (P1, P6)');
  registerNewsletterExport(newsletter, streams);
}
