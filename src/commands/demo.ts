import type { Command } from 'commander';
import type { Streams } from '../io/output.js';
import { action, positiveInt, stamp, type Runner } from '../cli/action.js';

const TOUR: Array<[string, string[]]> = [
  ['What the database holds', ['db', 'stats']],
  ['Five people', ['member', 'list', '--limit', '5']],
  ['Organisations', ['org', 'list']],
  ['The newsletter list, as a mailer wants it (first lines)', ['newsletter', 'export', '--format', 'rfc5322']],
  ['Who will be credited in qti-3, and why not (P8)', ['document', 'participants', 'qti-3']],
  ['The frozen credits of the released lti-1.3', ['credits', 'export', 'lti-1.3', '--format', 'markdown']],
  ['Is the audit log intact?', ['audit', 'verify']],
  ['Who must be told before something is released (P9): what cron runs every morning', ['disclosures', 'check']],
];

export function registerDemo(program: Command, streams: Streams, run: Runner) {
  program
    .command('demo')
    .option('--force', 'replace an earlier demo database at the same path')
    .option('--people <n>', 'how many people to generate', positiveInt('--people'), 240)
    .description('build a demo database of generated organisations, members, contacts, consents, documents and activity, then show a short tour')
    .addHelpText('after', '\nThe database goes to --db, else ./consort-demo.db (never the default database).\n\nExample:\n  consort demo --db /tmp/demo.db && consort --db /tmp/demo.db member list')
    .action(
      action<{ force?: boolean; people: number }>(streams, async (ctx, _args, o) => {
        const { resolve } = await import('node:path');
        if (!ctx.options.db) ctx.useDbPath(resolve('consort-demo.db'));
        const { buildDemo } = await import('../domain/demo/demo.service.js');
        const r = await buildDemo(ctx, { ...stamp(ctx), command: 'demo' }, o);
        await ctx.close();
        const out = ctx.out;
        out.info(out.color.bold(`Built a demo database at ${r.path}: ${r.organisations} organisations, ${r.people} people.`));
        for (const [title, argv] of TOUR) {
          await out.data(`\n${out.color.heading('## ' + title)}\n${out.color.dim(`$ consort --db ${r.path} ${argv.join(' ')}`)}\n`);
          await out.flush();
          const capture = argv[0] === 'newsletter';
          if (capture) {
            const { PassThrough } = await import('node:stream');
            const sink = new PassThrough();
            const chunks: Buffer[] = [];
            sink.on('data', (c: Buffer) => chunks.push(c));
            await run(['--db', r.path, '-q', ...argv], { ...ctx.streams, stdout: sink, writeStdout: undefined });
            const lines = Buffer.concat(chunks).toString('utf8').split('\n');
            await out.data(lines.slice(0, 5).join('\n') + `\n… (${lines.length - 1} recipients)\n`);
          } else {
            await run(['--db', r.path, ...argv], ctx.streams);
          }
        }
        await out.data(`\nTry:\n  consort --db ${r.path} member show ${r.sample}\n  consort --db ${r.path} consent show ${r.sample}\n  consort --db ${r.path} audit list\n`);
        await out.flush();
      }),
    );
}
