import cron from '../../docs/topics/cron.md';
import environment from '../../docs/topics/environment.md';
import exitCodes from '../../docs/topics/exit-codes.md';
import formats from '../../docs/topics/formats.md';
import rules from '../../docs/topics/rules.md';
import type { TopicName } from './names.js';

/** The text of each guide: docs/topics/NAME.md, bundled into dist at build time (so no docs/ is needed at run time). */
export const TOPIC_TEXTS: Record<TopicName, string> = { rules, formats, 'exit-codes': exitCodes, cron, environment };
