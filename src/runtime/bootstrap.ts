/** Builds the AppContext: open the store, run migrations, load reference data, start the event hub. */
import type { Config } from '../config/env.ts';
import { openStore } from '../storage/store.ts';
import { systemClock, type Clock } from './clock.ts';
import type { AppContext, Logger } from './context.ts';
import { ReferenceCache } from './reference-cache.ts';
import { EventHub } from './event-hub.ts';
import { sensingHooks } from './sensing-hooks.ts';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (o, m) => console.log(m ?? o),
  warn: (o, m) => console.warn(m ?? o),
  error: (o, m) => console.error(m ?? o, m ? o : ''),
};

export async function createContext(config: Config, opts: { clock?: Clock; log?: Logger; sqliteFile?: string; watch?: boolean } = {}): Promise<AppContext> {
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteFile: opts.sqliteFile });
  const log = opts.log ?? silentLogger;
  await store.migrate();
  const ref = new ReferenceCache(store, { utcOffsetMinutes: config.utcOffsetMinutes, log });
  await ref.load();
  const events = new EventHub(store, 1000);
  await events.start();
  if (opts.watch && store.dialect === 'postgres') ref.watch();
  const ctx: AppContext = { config, store, clock: opts.clock ?? systemClock, ref, events, log };
  // Recorded readings for the control plane (rules tested against history; issue 11): the data plane provides them.
  sensingHooks(ctx).recorded = { range: (deviceId, from, to, limit) => store.readings.range(deviceId, from, to, limit) };
  return ctx;
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.events.stop();
  ctx.ref.stop();
  await ctx.store.close();
}
