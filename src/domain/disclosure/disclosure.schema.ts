import { z } from 'zod';
import type { DisclosureKind, DisclosureState } from '../../db/schema/index.js';
import { choiceOption, printableOption, refuse } from '../shared/options.js';

const KINDS = ['credit', 'announcement', 'directory', 'legal'] as const satisfies readonly DisclosureKind[];
const STATES = ['planned', 'released', 'cancelled'] as const satisfies readonly DisclosureState[];

/** `disclosures list`'s checked filters. */
export const disclosureListOptions = z.object({
  kind: choiceOption(KINDS, 'use credit, announcement, directory or legal'),
  state: choiceOption(STATES, 'use planned, released or cancelled'),
});

/** `disclosures ack`'s checked option: why the problem is accepted, as the audit log keeps it. */
export const disclosureAckOptions = z.object({ reason: printableOption(500, 'say why the problem is accepted') });

/** `disclosures check`'s checked option: how many days ahead to look (default: the notice-days setting). */
export const disclosureCheckOptions = z.object({
  within: z
    .string()
    .optional()
    .transform((raw, ctx) => (raw === undefined ? undefined : /^\d{1,5}$/.test(raw) ? Number(raw) : refuse(ctx, '{flag} must be a whole number of days'))),
});
