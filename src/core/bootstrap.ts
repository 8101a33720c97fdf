/** Builds the AppContext: open the store, run migrations, load reference data, start the event hub. */
import type { Config } from '../config/env.ts';
import { openDatabase } from '../storage/db.ts';
import { migrate } from '../storage/migrate.ts';
import { systemClock, type Clock } from './clock.ts';
import type { AppContext, Logger } from './context.ts';
import { ReferenceStore } from './reference.ts';
import { EventHub } from './event-hub.ts';
import { caseCreateStoreFor } from '../storage/repositories/case-create.repository.ts';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (o, m) => console.log(m ?? o),
  warn: (o, m) => console.warn(m ?? o),
  error: (o, m) => console.error(m ?? o, m ? o : ''),
};

export async function createContext(config: Config, opts: { clock?: Clock; log?: Logger; sqliteFile?: string; watch?: boolean } = {}): Promise<AppContext> {
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteFile: opts.sqliteFile });
  await migrate(handle);
  const ref = new ReferenceStore(handle.db);
  await ref.load();
  const events = new EventHub(handle.db, 1000);
  await events.start();
  if (opts.watch && handle.dialect === 'postgres') ref.watch();
  return {
    config, handle, db: handle.db, clock: opts.clock ?? systemClock, ref, events, log: opts.log ?? silentLogger,
    caseStore: caseCreateStoreFor(handle),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.events.stop();
  ctx.ref.stop();
  await ctx.handle.close();
}
