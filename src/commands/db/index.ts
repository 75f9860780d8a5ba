import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerDbBackup } from './backup.js';
import { registerDbCheck } from './check.js';
import { registerDbCopy } from './copy.js';
import { registerDbMigrate } from './migrate.js';
import { registerDbPath } from './path.js';
import { registerDbStats } from './stats.js';

export function registerDb(program: Command, streams: Streams) {
  const db = program.command('db').description('the database: path, migrate, backup, copy (SQLite ⇄ PostgreSQL), check, stats');
  registerDbPath(db, streams);
  registerDbMigrate(db, streams);
  registerDbBackup(db, streams);
  registerDbCopy(db, streams);
  registerDbCheck(db, streams);
  registerDbStats(db, streams);
}
