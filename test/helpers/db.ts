import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import type { Stamp } from '../../src/domain/audit/audit.service.js';

const dirs: string[] = [];

/** A new temporary directory, removed when the test file ends. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'consort-test-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A migrated database in a real temporary SQLite file. */
export async function freshDb(): Promise<{ db: Db; path: string; dir: string }> {
  const dir = tempDir();
  const path = join(dir, 'consort.db');
  const db = openDb(path, { create: true, kysely: await import('kysely') });
  await migrateToLatest(db, { create: true });
  return { db, path, dir };
}

export function stampAt(at = '2026-03-01T10:00:00.000Z', command = 'test'): Stamp {
  return { at, actor: 'tester', command };
}
