import type { Db } from '../../db/connection.js';
import type { DataSink } from '../../io/sink.js';
import type { Stamp } from '../audit/audit.service.js';
import { creditsOf, documentParticipants } from '../document/document.participants.js';
import { sortCredits, type CreditFacts } from '../document/document.rules.js';
import { deliverExport } from '../export/export.service.js';
import { releasedCreditsOf } from './credits.repo.js';
import { renderCredits, type CreditFormat } from './credits.render.js';

/**
 * The credit list of a document: after release, exactly what the latest edition
 * released (frozen: later withdrawals do not rewrite history); before release, a
 * preview of who would be credited now.
 */
export async function creditList(db: Db, slug: string): Promise<{ title: string; preview: boolean; edition: number; erased?: number; credits: CreditFacts[] }> {
  const { document, people } = await documentParticipants(db.kysely, slug);
  if (document.edition > 0) {
    const rows = await releasedCreditsOf(db.kysely, slug, document.edition);
    // The published document cannot be recalled, but no export made after an erasure names them.
    const kept = rows.filter((r) => r.erased_at === null);
    return { title: document.title, preview: false, edition: document.edition, erased: rows.length - kept.length, credits: sortCredits(kept.map((r) => JSON.parse(r.facts) as CreditFacts)) };
  }
  return { title: document.title, preview: true, edition: 0, credits: creditsOf(people).map(({ name, email, company }) => ({ name, email, company })) };
}

/** Writes the credit list in a format to a sink, recorded as an export (count, sha256) and audited. */
export async function exportCredits(db: Db, stamp: Stamp, slug: string, format: CreditFormat, sink: DataSink) {
  const list = await creditList(db, slug);
  const text = renderCredits(format, list.title, list.credits);
  const { sha256 } = await deliverExport(db, stamp, sink, text, { kind: `credits ${slug}${list.preview ? ' (preview)' : ` edition ${list.edition}`} as ${format}`, purpose: 'credit', audience: list.preview ? 'staff' : 'public', rowCount: list.credits.length });
  return { preview: list.preview, edition: list.edition, count: list.credits.length, erased: list.erased ?? 0, sha256 };
}
