import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerConsentChange } from './change.js';
import { registerConsentImport } from './import.js';
import { registerConsentReceipt } from './receipt.js';
import { registerConsentShow } from './show.js';

export function registerConsent(program: Command, streams: Streams) {
  const consent = program.command('consent').description('the consent ledger (append-only): grant, withdraw, show, import, receipt');
  registerConsentChange(consent, streams, 'grant');
  registerConsentChange(consent, streams, 'withdraw');
  registerConsentShow(consent, streams);
  registerConsentImport(consent, streams);
  registerConsentReceipt(consent, streams);
}
