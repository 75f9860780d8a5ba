import type { Command } from 'commander';
import { InputError, fsReason } from '../../errors.js';
import { listFormat, renderList } from '../../io/format.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../action.js';

export function registerConfig(program: Command, streams: Streams) {
  const config = program.command('config').description('settings kept in the database (consort config list shows them all with what they are for)');
  config
    .command('get')
    .argument('<key>')
    .description('print one setting')
    .action(
      action(streams, async (ctx, [key]) => {
        const { getSetting } = await import('../../domain/settings/settings.service.js');
        await ctx.out.data((await getSetting((await ctx.db()).kysely, key!)) + '\n');
        await ctx.out.flush();
      }),
    );
  config
    .command('set')
    .argument('<key>')
    .argument('<value>', 'the value; for notice-template, a FILE holding the letter')
    .description('change one setting (audited)')
    .addHelpText('after', '\nExamples:\n  consort config set notice-days 21\n  consort config set smtp-url smtp://notices@mail.example.org:587\n  consort config set notice-template letter.txt')
    .action(
      action(streams, async (ctx, [key, value]) => {
        const { SETTINGS, setSetting } = await import('../../domain/settings/settings.service.js');
        const fromFile = SETTINGS[key!]?.file;
        const text = fromFile ? await readSettingFile(value!) : value!;
        const r = await setSetting(await ctx.db(), stamp(ctx), key!, text);
        ctx.out.info(fromFile ? `${r.key}: set from ${value} (${r.value.length} characters)` : `${r.key}: ${r.previous} -> ${r.value}`);
      }),
    );
  config
    .command('unset')
    .argument('<key>')
    .description('put one setting back to its default (audited)')
    .addHelpText('after', '\nExample:\n  consort config unset notice-template     # the built-in letter again')
    .action(
      action(streams, async (ctx, [key]) => {
        const { unsetSetting } = await import('../../domain/settings/settings.service.js');
        const r = await unsetSetting(await ctx.db(), stamp(ctx), key!);
        ctx.out.info(`${r.key}: back to its default${r.value ? ` (${r.value})` : ''}`);
      }),
    );
  config
    .command('list')
    .description('every setting, its value and whether it is the default')
    .action(
      action(streams, async (ctx) => {
        const { listSettings } = await import('../../domain/settings/settings.service.js');
        const rows = await listSettings(await ctx.db());
        await renderList(ctx.out, listFormat(ctx.out, ctx.format), [
          { header: 'key', value: (r) => r.key },
          { header: 'value', value: (r) => r.value },
          { header: 'default', value: (r) => (r.default ? 'yes' : 'no') },
          { header: 'about', value: (r) => r.about },
        ], rows);
      }),
    );
}

/** A setting kept as a file's text (a letter): UTF-8, at most 64 KiB. */
async function readSettingFile(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { isUtf8 } = await import('node:buffer');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${fsReason(err)}`, [], 'name a text file');
  }
  if (bytes.length > 65536) throw new InputError(`${file} is ${bytes.length} bytes; a letter may have 65536 at most`);
  if (!isUtf8(bytes)) throw new InputError(`${file} is not UTF-8 text`);
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
