import type { Context } from '../context.js';
import type { ImportHooks, ImportReport, RowOutcome } from '../domain/import/import.js';
import { formatProblem } from '../errors.js';
import { wordProblem } from './reasons.js';
import { openInput, type Input } from '../io/input/open.js';
import { startProgress } from '../io/progress.js';

/**
 * What member import and consent import share at the command edge: open FILE|-,
 * show a progress bar on a terminal, print each bad row as it is found and each
 * outcome line where asked, then a one-line summary on stderr.
 */
export async function runImportCommand(
  ctx: Context,
  file: string | undefined,
  showOutcome: (outcome: RowOutcome) => boolean,
  importer: (input: Input, hooks: ImportHooks) => Promise<ImportReport>,
): Promise<ImportReport> {
  const input = openInput(file, ctx.streams);
  const progress = await startProgress(ctx.out, 'importing', input.size);
  try {
    const report = await importer(input, {
      onBytes: (n) => progress.advance(n),
      onDetail: (m) => ctx.out.debug(m),
      onProblem: (p) => progress.log(`consort: ${formatProblem(wordProblem(p))}`),
      onOutcome: (r) => (showOutcome(r) ? ctx.out.data(`[${r.action}] line ${r.line}: ${r.key}${r.note ? ` (${r.note})` : ''}\n`) : undefined),
    });
    await ctx.out.flush();
    progress.stop();
    const counts = Object.entries(report.counts)
      .filter(([, n]) => n)
      .map(([a, n]) => `${{ ADD: 'added', SKIP: 'skipped', UPDATE: 'updated', RECORD: 'recorded' }[a]} ${n}`);
    ctx.out.info(
      `${report.dryRun ? 'dry run, nothing written: ' : ''}${counts.join(', ') || 'nothing to do'}${report.invalid ? `; ${report.invalid} invalid ${report.invalid === 1 ? 'row' : 'rows'} skipped` : ''} (${report.rows} ${report.rows === 1 ? 'row' : 'rows'}, ${report.format})`,
    );
    return report;
  } finally {
    progress.stop();
  }
}
