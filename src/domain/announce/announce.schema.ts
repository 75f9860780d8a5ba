import { z } from 'zod';
import { dateOption, forcedOptions } from '../shared/options.js';

/** `announce export`'s checked option: the last due date it covers (default today). */
export const announceExportOptions = z.object({ through: dateOption('2026-12-31') });

/** `announce export`'s checked options for publishing, once the warnings are shown: forcing past P9 needs a reason. */
export const announcePublishOptions = forcedOptions('announcement');
