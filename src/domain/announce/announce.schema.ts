import { z } from 'zod';
import { dateOption } from '../options.js';

/** `announce export`'s checked option: the last due date it covers (default today). */
export const announceExportOptions = z.object({ through: dateOption('2026-12-31') });
