import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { safeJson } from '../../io/sanitize.js';
import { action, PERSON_ARG_HELP, personArg, stamp } from '../../cli/action.js';

export function registerConsentReceipt(consent: Command, streams: Streams) {
  consent
    .command('receipt')
    .argument('<person>', PERSON_ARG_HELP)
    .option('--purpose <purpose>', 'one purpose only')
    .description('a consent receipt (Kantara Initiative Consent Receipt v1.1, KI-CR-v1.1.0) for the current grants, as JSON')
    .addHelpText('after', '\nFilled from the ledger and the controller-name, controller-contact, controller-address,\ncontroller-phone, jurisdiction and policy-url settings.\n\nExample:\n  consort consent receipt ada@example.org --purpose newsletter > receipt.json')
    .action(
      action<{ purpose?: string }>(streams, async (ctx, [email], o) => {
        const { consentReceipt } = await import('../../domain/consent/consent.receipt.js');
        await ctx.out.data(safeJson(await consentReceipt(await ctx.db(), stamp(ctx), await personArg(ctx, email!), o.purpose), 2) + '\n');
      }),
    );
}
