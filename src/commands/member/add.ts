import type { Command } from 'commander';
import { renderRecord } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';
import { parseOptions } from '../../cli/options.js';

interface AddOptions {
  name?: string;
  email?: string;
  org?: string;
  status?: string;
  newsletter?: boolean;
  source?: string;
  allowErased?: boolean;
}

export function registerMemberAdd(member: Command, streams: Streams) {
  member
    .command('add')
    .option('--name <name>', 'full name (asked for on a terminal if missing)')
    .option('--email <email>', 'email address (asked for on a terminal if missing)')
    .option('--org <org>', 'organisation name (created as a non-member if new)')
    .option('--status <status>', 'member or contact (default: contact; asked for on a terminal with name or email)')
    .option('--newsletter', 'a contact who asked for the newsletter (P1); members get it with membership (P6)')
    .option('--source <source>', 'where the details came from', 'staff')
    .option('--allow-erased', 'accept an address that belonged to an erased person (they came back)')
    .description('add one person; a member gets newsletter and directory consents by the membership terms (P6)')
    .addHelpText('after', '\nExamples:\n  consort member add --name "Ada Lovelace" --email ada@example.org --org "Example University" --status member\n  consort member add --name "Alan Turing" --email alan@example.org --newsletter')
    .action(
      action<AddOptions>(streams, async (ctx, _args, o) => {
        const { memberAddOptions } = await import('../../domain/member/member.schema.js');
        const { status } = parseOptions(memberAddOptions, o);
        const { addPerson } = await import('../../domain/member/member.service.js');
        const { personFields } = await import('../../domain/member/member.render.js');
        const db = await ctx.db();
        // Asked for a name or an email on a terminal: the rest is asked too, and confirmed before it is written.
        const interactive = ctx.canPrompt && (o.name === undefined || o.email === undefined);
        const name = o.name ?? (await ctx.ask('--name', 'Name'));
        const { normaliseEmail } = await import('../../domain/shared/email.js');
        const email = o.email ?? (await ctx.ask('--email', 'Email', (v) => { const r = normaliseEmail(v); return 'error' in r ? r.error : true; }));
        const evidence = 'asked for the newsletter (member add --newsletter)';
        const input = { name, email, org: o.org, status: status ?? 'contact', newsletter: o.newsletter, newsletterEvidence: evidence, source: o.source, allowErased: o.allowErased };
        if (interactive) {
          const { listOrgs } = await import('../../domain/org/org.service.js');
          if (o.status === undefined) input.status = await ctx.choose('Status', [{ name: 'contact (not a member)', value: 'contact' }, { name: 'member', value: 'member' }], 'contact');
          if (o.org === undefined) {
            const orgs = await listOrgs(db);
            const none = '\0none';
            const org = orgs.length ? await ctx.choose('Organisation', [{ name: '(none)', value: none }, ...orgs.map((g) => ({ name: g.name, value: g.name }))], none) : none;
            input.org = org === none ? undefined : org;
          }
          // Members get the newsletter by the membership terms (P6); a contact only by asking (P1).
          if (o.newsletter === undefined && input.status === 'contact') input.newsletter = await ctx.yesNo('Newsletter (the contact asked for it)?', false);
          const summary = [['name', name], ['email', email], ['status', input.status], ['organisation', input.org ?? '(none)'], ['newsletter', input.status === 'member' ? 'yes, with membership' : input.newsletter ? 'yes' : 'no']];
          for (const [k, v] of summary) ctx.out.info(`  ${k!.padEnd(12)}  ${v}`);
          if (!(await ctx.yesNo('Add this person?', true))) return ctx.out.info('not added');
        }
        const r = await addPerson(db, stamp(ctx), input);
        if (r.createdOrganisation) ctx.out.info(`created organisation ${r.createdOrganisation}`);
        ctx.out.info(`added ${r.person.status} ${r.person.email}${r.consents.length ? ` (granted ${r.consents.join(', ')})` : ''}`);
        await renderRecord(ctx.out, ctx.format, r.person, personFields(r.person));
      }),
    );
}
