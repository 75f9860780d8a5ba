import type { Output } from './output.js';

/** A progress display: a bar on stderr when stderr is a terminal, nothing otherwise. */
export interface Progress {
  advance(n: number): void;
  /** Prints a line on stderr without mangling the bar (which redraws on its next update). */
  log(line: string): void;
  stop(): void;
}

/** Starts a bar over `total` units (bytes of a file); with no total, counts rows. */
export async function startProgress(out: Output, label: string, total: number | undefined): Promise<Progress> {
  const stderr = out.streams.stderr;
  if (!out.stderrIsTTY || out.options.quiet) return { advance() {}, log: (line) => void stderr.write(line + '\n'), stop() {} };
  const mod = await import('cli-progress');
  // cli-progress is CommonJS: its exports arrive as the default export under ESM.
  const { SingleBar, Presets } = (mod as unknown as { default?: typeof mod }).default ?? mod;
  const known = total !== undefined && total > 0;
  const bar = new SingleBar(
    { stream: out.streams.stderr as NodeJS.WriteStream, format: known ? `${label} [{bar}] {percentage}% | {eta}s left` : `${label} {value} rows`, hideCursor: true, clearOnComplete: true, fps: 10, noTTYOutput: false },
    Presets.shades_classic,
  );
  bar.start(known ? total : 0, 0);
  let done = 0;
  return {
    advance(n) {
      done += n;
      bar.update(done);
    },
    log(line) {
      stderr.write('\r\x1b[2K' + line + '\n');
    },
    stop() {
      bar.stop();
    },
  };
}
