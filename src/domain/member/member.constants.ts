/** What an import does with an address already held (kept free of zod so commands load fast). */
export const ON_DUPLICATE = ['fail', 'skip', 'update'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];
