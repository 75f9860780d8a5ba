import { existsSync, statSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConsortError, ExitCode, UsageError } from '../errors.js';
import type { Output } from './output.js';
import { sanitizeForTerminal } from './sanitize.js';

/** Where an export's bytes go: stdout, or a file that appears whole or not at all. */
export interface DataSink {
  /** The file written, or null for stdout. */
  destination: string | null;
  write(text: string): Promise<void>;
  /** Makes the output final: flushes stdout, or renames the finished temporary file into place. */
  commit(): Promise<void>;
  /** Throws the output away (a temporary file is removed). */
  abort(): Promise<void>;
}

/** A sink on stdout; on a terminal, outside text loses its escape sequences (what is hashed is the data). */
export function stdoutSink(out: Output): DataSink {
  const terminal = out.stdoutIsTTY;
  return { destination: null, write: (t) => out.data(terminal ? sanitizeForTerminal(t) : t), commit: () => out.flush(), abort: async () => {} };
}

/** Where an export goes: `-o FILE` (atomic), else stdout. */
export function outputSink(out: Output, file: string | undefined): Promise<DataSink> {
  return file ? atomicFileSink(file) : Promise.resolve(stdoutSink(out));
}

/**
 * A sink on FILE, written atomically: a temporary file (mode 0600) beside it,
 * fsynced and renamed over FILE on commit, so a cron job never leaves half a list.
 */
export async function atomicFileSink(file: string): Promise<DataSink> {
  const target = resolve(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist`, 'create it first, or choose another file');
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory`, 'give a file name');
  // node:crypto is loaded here, not at start-up: it costs every command 3 ms.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fh: FileHandle;
  try {
    fh = await open(temp, 'wx', 0o600);
  } catch (err) {
    throw new ConsortError(`cannot write ${file}: ${(err as Error).message}`, ExitCode.usage, 'check that the directory is writable');
  }
  let pending = '';
  let closed = false;
  const flush = async () => {
    if (pending) {
      const chunk = pending;
      pending = '';
      await fh.write(chunk);
    }
  };
  const fail = (err: unknown) => {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') return new ConsortError(`cannot write ${file}: disk full`, ExitCode.database, 'free some space; nothing was written');
    return new ConsortError(`cannot write ${file}: ${e.message}`, ExitCode.internal);
  };
  const abort = async () => {
    if (!closed) {
      closed = true;
      await fh.close().catch(() => {});
    }
    await unlink(temp).catch(() => {});
  };
  return {
    destination: target,
    async write(text) {
      pending += text;
      if (pending.length >= 65536) await flush().catch(async (err) => { await abort(); throw fail(err); });
    },
    async commit() {
      try {
        await flush();
        await fh.sync();
        closed = true;
        await fh.close();
        await rename(temp, target);
      } catch (err) {
        await abort();
        throw fail(err);
      }
    },
    abort,
  };
}
