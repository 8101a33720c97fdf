/**
 * What every command, route, channel and job is handed: configuration, the store (repositories; the only way to
 * the database), the clock, the reference data cache (grids, regions, units, catalog, responsibility list,
 * calendar — read on every case, changed rarely), the live event hub and the logger.
 */
import type { Config } from '../config/env.ts';
import type { Store } from '../storage/store.ts';
import type { Clock } from './clock.ts';
import type { ReferenceCache } from './reference-cache.ts';
import type { EventHub } from './event-hub.ts';

export interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  ref: ReferenceCache;
  events: EventHub;
  log: Logger;
}
