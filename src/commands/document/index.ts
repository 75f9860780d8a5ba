import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerDocumentAdd } from './add.js';
import { registerDocumentList } from './list.js';
import { registerDocumentParticipant } from './participant.js';
import { registerDocumentParticipants } from './participants.js';
import { registerDocumentRelease } from './release.js';
import { registerDocumentSchedule } from './schedule.js';
import { registerDocumentShow } from './show.js';

export function registerDocument(program: Command, streams: Streams) {
  const document = program.command('document').description('documents and their participants: draft → scheduled → released (P8)');
  registerDocumentAdd(document, streams);
  registerDocumentList(document, streams);
  registerDocumentShow(document, streams);
  registerDocumentSchedule(document, streams);
  registerDocumentParticipants(document, streams);
  registerDocumentParticipant(document, streams);
  registerDocumentRelease(document, streams);
}
