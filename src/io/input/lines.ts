import { StringDecoder } from 'node:string_decoder';
import { MAX_RECORD_BYTES, overLimit } from './record.js';

/** Splits a byte stream into UTF-8 lines (BOM dropped), with 1-based line numbers; overlong lines are reported, not buffered. */
export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<{ line: number; text: string; tooLong?: boolean }> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let line = 0;
  let skipping = false;
  let first = true;
  for await (const chunk of stream) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      line++;
      if (skipping) {
        yield { line, text: '', tooLong: true };
        skipping = false;
      } else {
        let l = buf + text.slice(start, nl);
        buf = '';
        if (l.endsWith('\r')) l = l.slice(0, -1);
        yield overLimit(l) ? { line, text: '', tooLong: true } : { line, text: l };
      }
      start = nl + 1;
    }
    if (!skipping) {
      buf += text.slice(start);
      if (buf.length > MAX_RECORD_BYTES) {
        skipping = true;
        buf = '';
      }
    }
  }
  const rest = buf + decoder.end();
  if (skipping || rest !== '') {
    line++;
    const l = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
    yield skipping || overLimit(l) ? { line, text: '', tooLong: true } : { line, text: l };
  }
}
