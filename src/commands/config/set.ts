import type { Command } from 'commander';
import { InputError, fsReason } from '../../errors.js';
import type { Streams } from '../../io/output.js';
import { action, stamp } from '../../cli/action.js';

export function registerConfigSet(config: Command, streams: Streams) {
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
