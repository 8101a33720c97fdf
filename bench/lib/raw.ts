/**
 * A raw connection to a bench context's database, for the bench's own bulk loading and measurements. The platform
 * reaches its database only through its store (src/storage); a benchmark is not the platform and may look below.
 */
import { openDatabase, type DbHandle } from '../../src/storage/db.ts';
import { closeContext } from '../../src/runtime/bootstrap.ts';
import type { AppContext } from '../../src/runtime/context.ts';

const handles = new WeakMap<AppContext, DbHandle>();

export function raw(ctx: AppContext): DbHandle {
  let h = handles.get(ctx);
  if (!h) handles.set(ctx, (h = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, poolSize: 4 })));
  return h;
}

/** Closes the context and its raw connection, if one was opened. */
export async function closeBenchContext(ctx: AppContext): Promise<void> {
  const h = handles.get(ctx);
  handles.delete(ctx);
  if (h) await h.close();
  await closeContext(ctx);
}
