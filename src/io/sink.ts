import { accessSync, constants, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConsortError, ExitCode, UsageError, fsReason } from '../errors.js';
import { writeWhole, type Output } from './output.js';
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
  if (file === undefined) return Promise.resolve(stdoutSink(out));
  const fd = openDescriptor(file);
  if (fd === 1) return Promise.resolve(stdoutSink(out));
  return fd === undefined ? fileSink(file) : Promise.resolve(descriptorSink(file, fd));
}

/**
 * The descriptor this process already has open that FILE names (`/dev/stdout`, `/dev/fd/63` from
 * the shell's `>(…)`, `/proc/self/fd/N`), if it names one: written through as it is (a pipe, a
 * socket, a file opened with `>>`), never opened afresh, truncated or replaced.
 */
function openDescriptor(file: string): number | undefined {
  const m = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/(?:self|(\d+))\/fd\/(\d+))$/.exec(resolve(file));
  if (!m || (m[3] !== undefined && Number(m[3]) !== process.pid)) return undefined;
  return m[1] === 'stdout' ? 1 : m[1] === 'stderr' ? 2 : Number(m[2] ?? m[4]);
}

/** A sink on an open descriptor, written through (a write that takes part of it is repeated); nothing to close or take back. */
function descriptorSink(file: string, fd: number): DataSink {
  return bufferedSink(file, file, {
    async write(bytes) {
      await writeWhole(fd, bytes);
      return bytes.length;
    },
    finish: async () => {},
    discard: async () => {},
  });
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
  try {
    return await openFileSink(file);
  } catch (err) {
    throw outputError(file, err, true);
  }
}

async function openFileSink(file: string): Promise<DataSink> {
  const target = finalTarget(file);
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write ${file}: directory ${dir} does not exist`, 'create it first, or choose another file');
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory`, 'give a file name');
  if (existing && !existing.isFile()) return bufferedSink(file, target, handleTarget(await open(target, 'w')));
  // A file we may not write stays as it is, as `> FILE` would leave it (the rename would not ask).
  if (existing) accessSync(target, constants.W_OK);
  // node:crypto is loaded here, not at start-up: it costs every command 3 ms.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  return bufferedSink(file, target, handleTarget(await open(temp, 'wx', 0o600), { publish: () => rename(temp, target), remove: () => unlink(temp).catch(() => {}) }), true);
}

/**
 * What a failed output is: disk full is exit 8, as for the database; anything else about FILE
 * (its path, its permissions, a reader gone) is exit 2, a FILE to change. Never exit 1: it is
 * not a bug.
 */
function outputError(file: string, err: unknown, nothingWritten: boolean): ConsortError {
  if (err instanceof ConsortError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') return new ConsortError(`cannot write ${file}: disk full`, ExitCode.database, nothingWritten ? 'free some space; nothing was written' : 'free some space');
  return new ConsortError(`cannot write ${file}: ${fsReason(e)}`, ExitCode.usage, 'check the path and its permissions, or choose another file');
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

/** Where a buffered sink's bytes go: `write` takes what it can and says how much; `finish` makes it final; `discard` takes it back. */
interface SinkTarget {
  write(bytes: Buffer): Promise<number>;
  finish(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * An open file as a SinkTarget. With `temp` (a temporary file), finishing fsyncs and closes it,
 * then `publish`es it (renames it into place); discarding closes it and removes it.
 */
function handleTarget(fh: FileHandle, temp?: { publish(): Promise<void>; remove(): Promise<unknown> }): SinkTarget {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return {
    write: async (bytes) => (await fh.write(bytes)).bytesWritten,
    async finish() {
      if (temp) await fh.sync();
      await close();
      await temp?.publish();
    },
    async discard() {
      await close().catch(() => {});
      await temp?.remove();
    },
  };
}

/**
 * Writes to `target` in 64 kB chunks, each written whole: a write may take only part of what it
 * is given (a pipe, a disk filling up), and the rest goes again. A failure discards the target
 * and is an output error (`atomic`: nothing was written).
 */
function bufferedSink(file: string, destination: string, target: SinkTarget, atomic = false): DataSink {
  let pending = '';
  const flush = async () => {
    let bytes = Buffer.from(pending);
    pending = '';
    while (bytes.length) bytes = bytes.subarray(await target.write(bytes));
  };
  const failed = async (err: unknown): Promise<never> => {
    await target.discard();
    throw outputError(file, err, atomic);
  };
  return {
    destination,
    async write(text) {
      pending += text;
      if (pending.length >= 65536) await flush().catch(failed);
    },
    async commit() {
      await flush()
        .then(() => target.finish())
        .catch(failed);
    },
    abort: () => target.discard(),
  };
}
