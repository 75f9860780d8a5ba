import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
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

/** The help of every export's `-o FILE`. */
export const OUTPUT_OPTION_HELP = 'write to FILE atomically (a temporary file, mode 0600, renamed into place); a device or named pipe is written into directly';

/** Where an export goes: `-o FILE`, else stdout. */
export function outputSink(out: Output, file: string | undefined): Promise<DataSink> {
  return file === undefined ? Promise.resolve(stdoutSink(out)) : fileSink(file);
}

/**
 * A sink on FILE. A file is written atomically: a temporary file (mode 0600) beside it,
 * fsynced and renamed over FILE on commit, so a cron job never leaves half a list. A symbolic
 * link is followed (the file it names is replaced; the link stays). A device or a named pipe
 * (/dev/stdout, a FIFO a mailer reads) is written straight into, as `> FILE` would: it cannot
 * be replaced by a file, and it keeps no half a file.
 */
export async function fileSink(file: string): Promise<DataSink> {
  if (file === '') throw new UsageError('-o needs a file name', 'leave -o out to write to stdout');
  const target = finalTarget(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist`, 'create it first, or choose another file');
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory`, 'give a file name');
  if (existing && !existing.isFile()) return bufferedSink(file, target, await openFor(file, target, 'w'));
  // node:crypto is loaded here, not at start-up: it costs every command 3 ms.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await openFor(file, temp, 'wx', 'check that the directory is writable');
  return bufferedSink(file, target, fh, { publish: () => rename(temp, target), discard: () => unlink(temp).catch(() => {}) });
}

/** FILE with any symbolic links resolved, so that the rename replaces the file a link names, not the link. */
function finalTarget(file: string): string {
  const target = resolve(file);
  if (!lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) return target;
  try {
    return realpathSync(target);
  } catch {
    throw new UsageError(`cannot write ${file}: it is a symbolic link that leads nowhere`, 'point the link at a file, or choose another file');
  }
}

async function openFor(file: string, path: string, flags: string, hint = 'check that it is writable'): Promise<FileHandle> {
  try {
    return await open(path, flags, 0o600);
  } catch (err) {
    throw new ConsortError(`cannot write ${file}: ${(err as Error).message}`, ExitCode.usage, hint);
  }
}

/**
 * Writes to `fh` in 64 kB chunks. With `temp` (a temporary file), commit fsyncs and closes it,
 * then `publish`es it (renames it into place); abort and failure close it and `discard` it.
 */
function bufferedSink(file: string, target: string, fh: FileHandle, temp?: { publish(): Promise<void>; discard(): Promise<unknown> }): DataSink {
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
    if (e.code === 'ENOSPC') return new ConsortError(`cannot write ${file}: disk full`, ExitCode.database, temp ? 'free some space; nothing was written' : 'free some space');
    return new ConsortError(`cannot write ${file}: ${e.message}`, ExitCode.internal);
  };
  const abort = async () => {
    if (!closed) {
      closed = true;
      await fh.close().catch(() => {});
    }
    await temp?.discard();
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
        if (temp) await fh.sync();
        closed = true;
        await fh.close();
        await temp?.publish();
      } catch (err) {
        await abort();
        throw fail(err);
      }
    },
    abort,
  };
}
