import { z } from 'zod';
import { choiceOption } from '../shared/options.js';
// The list lives with the service, which help's completion reads without loading zod.
import { RESEARCH_BY } from './research.service.js';

/** `research export`'s checked option (it has a default, so it is always given). */
export const researchExportOptions = z.object({ by: choiceOption(RESEARCH_BY, `use one of: ${RESEARCH_BY.join(', ')}`).pipe(z.enum(RESEARCH_BY)) });
