import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

interface ChangeOptions {
  document?: string;
  basis?: string;
  evidence?: string;
  at?: string;
}

/** `consent grant` and `consent withdraw`: one file, as they differ only in the action recorded. */
export function registerConsentChange(consent: Command, streams: Streams, verb: 'grant' | 'withdraw') {
  consent
    .command(verb)
    .argument('<person>', PERSON_ARG_HELP)
    .argument('<purpose>', 'newsletter, directory, announcement or credit')
    .option('--document <slug>', 'scope a credit consent to one document (overrides the blanket one)')
    .option('--basis <basis>', `request, membership-terms, staff-recorded or import (default ${verb === 'grant' ? 'request' : 'staff-recorded'})`)
    .option('--evidence <text>', 'how it was given, e.g. "email of 2026-03-01"')
    .option('--at <time>', 'when it was given (ISO 8601; default now)')
    .description(`record a ${verb === 'grant' ? 'grant of' : 'withdrawal of'} consent (appended to the ledger, audited)`)
    .addHelpText('after', `\nExample:\n  consort consent ${verb} ada@example.org newsletter --evidence "reply to mailing of 2026-03-01"`)
    .action(
      action<ChangeOptions>(streams, async (ctx, [email, purpose], o) => {
        const { consentChangeOptions } = await import('../../domain/consent/consent.schema.js');
        const change = parseOptions(consentChangeOptions(ctx.now()), { purpose, ...o });
        const { recordConsent } = await import('../../domain/consent/consent.service.js');
        const r = await recordConsent(await ctx.db(), stamp(ctx), { email: await personArg(ctx, email!), action: verb, ...change });
        ctx.out.info(`${verb === 'grant' ? 'granted' : 'withdrew'} ${r.purpose}${r.document ? ` (${r.document})` : ''} for ${r.email}${r.previous === verb ? ' (it already was; recorded again)' : ''}`);
        await renderRecord(ctx.out, ctx.format, r);
      }),
    );
}
