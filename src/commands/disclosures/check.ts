import type { Command } from 'commander';
import { CheckFailedError } from '../../errors.js';
import { listFormat, renderList, type Column } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';
import type { DisclosureProblem } from '../../domain/disclosure/disclosure.check.js';
import { CLEARS, problemsHelp, withClear } from '../../cli/problems.js';

/** The columns of tsv and csv: every fact, the full message and what clears it. */
const COLUMNS: Column<DisclosureProblem>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'severity', value: (p) => p.severity },
  { header: 'code', value: (p) => p.code },
  { header: 'due', value: (p) => p.due_on },
  { header: 'kind', value: (p) => p.kind },
  { header: 'subject', value: (p) => p.subject },
  { header: 'document', value: (p) => p.document },
  { header: 'disclosure', value: (p) => p.disclosure },
  { header: 'message', value: (p) => p.message },
  { header: 'clear', value: (p) => CLEARS[p.code] },
  { header: 'acknowledged', value: (p) => (p.acknowledged ? `${p.acknowledged.at} ${p.acknowledged.actor}: ${p.acknowledged.reason}` : '') },
];

/** On a terminal: the id to act on, who, and the short meaning; the rest is in tsv, csv and json. */
const TERMINAL: Column<DisclosureProblem>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'subject', value: (p) => p.subject ?? p.organisation },
  { header: 'state', value: (p) => (p.acknowledged ? 'acknowledged' : p.severity) },
  // Who it concerns has its own column: the message goes on from there.
  { header: 'problem', value: (p) => (p.subject && p.message.startsWith(`${p.subject} `) ? p.message.slice(p.subject.length + 1) : p.message) },
];

/** Pages of problems, each with the command that clears it. */
async function* withClearEach(pages: AsyncIterable<DisclosureProblem[]>): AsyncGenerator<Array<ReturnType<typeof withClear>>> {
  for await (const page of pages) yield page.map(withClear);
}

export function registerDisclosuresCheck(disclosures: Command, streams: Streams) {
  disclosures
    .command('check')
    .option('--within <days>', 'look this many days ahead (default: the notice-days setting)')
    .option('--strict', 'fail (exit 3) on info problems too')
    .description('report every planned disclosure due within the window whose people were not told in time; exit 3 when an error is found')
    .addHelpText('after', problemsHelp)
    .action(
      action<{ within?: string; strict?: boolean }>(streams, async (ctx, _args, o) => {
        const { refreshDisclosures } = await import('../../domain/disclosure/disclosure.service.js');
        const { checkWindow, emptyTally, streamDisclosureProblems } = await import('../../domain/disclosure/disclosure.check.js');
        const { disclosureCheckOptions } = await import('../../domain/disclosure/disclosure.schema.js');
        const { within } = parseOptions(disclosureCheckOptions, o);
        const format = listFormat(ctx.out, ctx.format);
        const db = await ctx.db();
        await refreshDisclosures(db, stamp(ctx));
        const window = await checkWindow(db.kysely, ctx.now().slice(0, 10), within);
        const tally = emptyTally();
        const pages = streamDisclosureProblems(db, window, { tally, strict: Boolean(o.strict) });
        if (format === 'table') {
          // Grouped by due date, soonest first: what to do today comes first (a terminal's list is short enough to hold).
          const all: DisclosureProblem[] = [];
          for await (const page of pages) for (const p of page) all.push(p);
          ctx.out.page();
          for (const due of [...new Set(all.map((p) => p.due_on))].sort()) {
            await ctx.out.data(ctx.out.color.heading(`due ${due}`) + '\n');
            await renderList(ctx.out, format, TERMINAL, all.filter((p) => p.due_on === due));
            await ctx.out.data('\n');
          }
          await ctx.out.flush();
        } else {
          // Streamed a page at a time, so a check of 300k problems holds a page of them, not all.
          // JSON and NDJSON print each problem with what clears it; tsv and csv have it as a column.
          await renderList<DisclosureProblem>(ctx.out, format, COLUMNS, { pages: format === 'json' || format === 'ndjson' ? withClearEach(pages) : pages });
        }
        const summary = `${tally.all} problem${tally.all === 1 ? '' : 's'} due through ${window.through}: ${tally.errors} error${tally.errors === 1 ? '' : 's'}, ${tally.info} info, ${tally.acknowledged} acknowledged`;
        if (tally.failing) throw new CheckFailedError(summary, 'each row says how to clear it, in full in the clear column of --format tsv; consort disclosures ack ID --reason TEXT accepts a reviewed one');
        ctx.out.info(tally.all ? summary : `no problems with disclosures due through ${window.through}`);
      }),
    );
}
