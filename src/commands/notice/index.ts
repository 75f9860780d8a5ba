import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerNoticeExport } from './export.js';
import { registerNoticePending } from './pending.js';
import { registerNoticePreview } from './preview.js';
import { registerNoticeRecord } from './record.js';
import { registerNoticeSend } from './send.js';

export function registerNotice(program: Command, streams: Streams) {
  const notice = program.command('notice').description('telling people before information about them is released (P9): pending, preview, send, export, record');
  registerNoticePending(notice, streams);
  registerNoticePreview(notice, streams);
  registerNoticeSend(notice, streams);
  registerNoticeExport(notice, streams);
  registerNoticeRecord(notice, streams);
}
