import { readLines } from './input/lines.js';
import type { Input } from './input/open.js';

/** One message of an mbox file: where it starts, and its Message-ID if it has one. */
export interface MboxMessage {
  /** The line of its "From " separator. */
  line: number;
  messageId: string | null;
  to: string | null;
  /** The X-Consort-Letter digest of what the letter told, when consort wrote it. */
  letter: string | null;
}

/**
 * The messages of an mbox (mboxo or mboxrd: a "From " line starts each), read as a stream:
 * only the headers are kept, unfolded, so a file of any size takes little memory. A file whose
 * first line is not a "From " separator is not an mbox; the caller says so.
 */
export async function* readMbox(input: Input): AsyncGenerator<MboxMessage | { line: number; problem: string }> {
  let current: MboxMessage | null = null;
  let inHeaders = false;
  let lastHeader: 'message-id' | 'to' | null = null;
  let previousBlank = true;
  for await (const { line, text, tooLong } of readLines(input.stream)) {
    if (tooLong) {
      if (inHeaders) yield { line, problem: 'a header line longer than 1 MiB' };
      previousBlank = false;
      continue;
    }
    if (text.startsWith('From ') && previousBlank) {
      if (current) yield current;
      current = { line, messageId: null, to: null, letter: null };
      inHeaders = true;
      lastHeader = null;
      previousBlank = false;
      continue;
    }
    if (!current) {
      if (text.trim() === '') continue;
      yield { line, problem: "not an mbox: a message starts with a 'From ' line" };
      return;
    }
    previousBlank = text === '';
    if (!inHeaders) continue;
    if (text === '') {
      inHeaders = false;
      continue;
    }
    if (/^[ \t]/.test(text)) {
      // A folded header goes on from the line before.
      if (lastHeader === 'message-id') current.messageId = (current.messageId ?? '') + text.trim();
      if (lastHeader === 'to') current.to = (current.to ?? '') + ' ' + text.trim();
      continue;
    }
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(text);
    lastHeader = null;
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (name === 'message-id') {
      lastHeader = 'message-id';
      current.messageId = m[2]!.trim();
    } else if (name === 'x-consort-letter') {
      current.letter = m[2]!.trim();
    } else if (name === 'to') {
      lastHeader = 'to';
      current.to = m[2]!.trim();
    }
  }
  if (current) yield current;
}
