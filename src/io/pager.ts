// Paging as git does it: on a terminal, output goes through CONSORT_PAGER, else PAGER, else
// `less -FRX` (-F quits at once when the text fits one screen, -R passes colours, -X leaves the
// text on the screen); an empty value or `cat` means no pager. Never when stdout is not a terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Writable } from 'node:stream';

/** The pager command for this environment, or undefined for none. */
export function pagerCommand(env: Record<string, string | undefined>): string | undefined {
  const chosen = env.CONSORT_PAGER ?? env.PAGER;
  if (chosen !== undefined) return chosen.trim() === '' || chosen.trim() === 'cat' ? undefined : chosen;
  return onPath('less', env.PATH) ? 'less -FRX' : undefined;
}

function onPath(name: string, path: string | undefined): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    try {
      accessSync(join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/**
 * A running pager: write the text into it, then `end()` and wait until the person quits it.
 * When they quit early (q), writes are dropped quietly: nothing is an error.
 */
export class Pager {
  private closed = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess & { stdin: Writable }) {
    // EPIPE when the pager quits before reading everything: the rest is not wanted.
    child.stdin.on('error', () => {
      this.closed = true;
    });
    // Ctrl-C is for the pager (less stops reading, or quits); consort finishes quietly and waits
    // for it, as git does, so the shell never gets the terminal back while the pager still has it.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    this.exited = new Promise((resolve) => {
      const done = () => {
        process.off('SIGINT', ignore);
        resolve();
      };
      child.on('close', done);
      child.on('error', done);
    });
    void this.exited.then(() => {
      this.closed = true;
    });
  }

  /**
   * Starts `command` through the shell (as git does, so `PAGER='less -S'` works) with its output
   * on the file descriptor `fd` (the terminal) and LESS=FRX unless LESS is set.
   */
  static start(command: string, fd: number, env: Record<string, string | undefined>): Pager {
    const child = spawn(command, {
      shell: true,
      stdio: ['pipe', fd, 'inherit'],
      env: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' },
    }) as ChildProcess & { stdin: Writable };
    return new Pager(child);
  }

  /** Writes text to the pager, waiting while its pipe is full; dropped once it has quit. */
  async write(text: string): Promise<void> {
    if (this.closed || text === '') return;
    if (this.child.stdin.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.child.stdin.off('drain', done);
        this.child.stdin.off('close', done);
        resolve();
      };
      this.child.stdin.once('drain', done);
      this.child.stdin.once('close', done);
      void this.exited.then(done);
    });
  }

  /** Ends the text and waits for the pager to exit (the person reading to the end, or quitting). */
  async end(): Promise<void> {
    if (!this.child.stdin.destroyed) this.child.stdin.end();
    await this.exited;
  }
}
