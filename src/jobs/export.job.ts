/**
 * The export job (issue 10 part 6): expires old files, requeues exports whose node died, and generates approved
 * exports one at a time per process (each claimed by a conditional UPDATE, so several nodes never generate the
 * same one). Files live under DATA_DIR/exports: with several PostgreSQL nodes, DATA_DIR must be shared (as it is
 * for attachments) for any node to serve the download.
 */
import type { AppContext } from '../runtime/context.ts';
import { claimNextExport, expireExports, requeueStaleExports } from '../commands/export-run.ts';
import { generateExport } from '../http/routes/exports/export-generate.ts';

export async function runExportJob(ctx: AppContext, opts: { max?: number } = {}): Promise<{ generated: number; expired: number; requeued: number }> {
  const expired = await expireExports(ctx);
  const requeued = await requeueStaleExports(ctx);
  let generated = 0;
  for (let i = 0; i < (opts.max ?? 1); i++) {
    const x = await claimNextExport(ctx);
    if (!x) break;
    const r = await generateExport(ctx, x);
    if (r.ok) generated++;
    ctx.log.info({ exportId: Number(x.id), rows: r.rows, ok: r.ok }, `export ${Number(x.id)}: ${r.ok ? `${r.rows} rows ready` : 'failed'}`);
  }
  return { generated, expired, requeued };
}

export function scheduleExports(ctx: AppContext, everyMs: number): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return; // one export at a time per process; a long one simply delays the next tick
    running = true;
    runExportJob(ctx).catch((err: unknown) => ctx.log.error(err, 'export job failed')).finally(() => { running = false; });
  }, everyMs);
}
