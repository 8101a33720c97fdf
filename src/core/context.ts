/**
 * What every command and route is handed: configuration, the database, the clock, the reference data cache
 * (grids, regions, units, catalog, responsibility list, calendar — read on every case, changed rarely) and
 * the live event hub.
 */
import type { Config } from '../config/env.ts';
import type { Db, DbHandle } from '../storage/db.ts';
import type { Clock } from './clock.ts';
import type { ReferenceStore } from './reference.ts';
import type { EventHub } from './event-hub.ts';
import type { CaseCreateStore } from '../storage/repositories/case-create.repository.ts';

export interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface AppContext {
  config: Config;
  handle: DbHandle;
  db: Db;
  clock: Clock;
  ref: ReferenceStore;
  events: EventHub;
  /** Writes new cases (group-committed on SQLite). */
  caseStore: CaseCreateStore;
  log: Logger;
}
