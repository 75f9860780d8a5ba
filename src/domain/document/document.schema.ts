import { z } from 'zod';
import { dateOption, forcedOptions } from '../shared/options.js';

/** A release date: a day, today or later. */
const releaseDate = (today: string) => dateOption('2026-06-30', { date: today, pastHint: 'a release is scheduled for today or later' });

/** `document add`'s checked option: an optional release date, from `today` on. */
export const documentAddOptions = (today: string) => z.object({ releaseOn: releaseDate(today) });

/** `document schedule`'s checked option: the release date, from `today` on. */
export const documentScheduleOptions = (today: string) => z.object({ on: releaseDate(today).pipe(z.string()) });

/** `document release`'s checked options: forcing past P9 needs a reason. */
export const documentReleaseOptions = forcedOptions('release');
