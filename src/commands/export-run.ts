/**
 * The background life of an approved export (src/jobs/export.job.ts drives it): claim (approved → generating, a
 * conditional UPDATE, so one node generates it), progress (rows written, also the heartbeat), finish (→ ready, with
 * the file and its expiry) or fail, expire (ready → expired past the city's keepHours, the file removed), and
 * requeue (a generating export whose heartbeat stopped — its node died — goes back to approved). Each change that
 * ends a step is one transaction with its audit row and event.
 */
import fs from 'node:fs';
import type { AppContext } from '../runtime/context.ts';
import type { ExportRow } from '../storage/repositories/export.repository.ts';
import { auditExport, exportEvent } from './export-common.ts';

const PLATFORM = { userId: null, name: 'system' };
/** A generating export whose progress has not moved for this long is taken to have lost its node. */
export const EXPORT_STALE_MS = 5 * 60_000;

export async function claimNextExport(ctx: AppContext): Promise<ExportRow | undefined> {
  for (const x of await ctx.store.exports.nextInState('approved', 5)) {
    const now = ctx.clock.now();
    const ok = await ctx.store.exports.moveExport(Number(x.id), 'approved', { state: 'generating', started_at: now, heartbeat_at: now, rows_written: 0 });
    if (ok) return { ...x, state: 'generating', started_at: now, heartbeat_at: now, rows_written: 0 };
  }
  return undefined;
}

export async function finishExport(ctx: AppContext, x: ExportRow, r: { rows: number; filePath: string; bytes: number }): Promise<boolean> {
  const now = ctx.clock.now();
  const expiresAt = now + ctx.ref.current().exportPolicy.keepHours * 3600_000;
  return ctx.store.transaction(async (tx) => {
    const ok = await tx.exports.moveExport(Number(x.id), 'generating', {
      state: 'ready', rows_written: r.rows, finished_at: now, heartbeat_at: now, file_path: r.filePath, file_bytes: r.bytes, expires_at: expiresAt,
    });
    if (!ok) return false;
    await auditExport(tx, { exportId: Number(x.id), action: 'generated', actor: PLATFORM, at: now, kind: x.kind, format: x.format, filter: x.filter, rows: r.rows, details: { bytes: r.bytes, expiresAt } });
    await exportEvent(tx, 'export.ready', x, null, now, { rows: r.rows });
    return true;
  });
}

export async function failExport(ctx: AppContext, x: ExportRow, message: string, rows: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.exports.moveExport(Number(x.id), 'generating', { state: 'failed', error: message.slice(0, 500), finished_at: now, rows_written: rows }))) return;
    await auditExport(tx, { exportId: Number(x.id), action: 'failed', actor: PLATFORM, at: now, kind: x.kind, format: x.format, filter: x.filter, rows, details: { error: message.slice(0, 500) } });
    await exportEvent(tx, 'export.failed', x, null, now);
  });
}

/** Ready exports past their keep time: the file goes, the record stays (expired) with its audit. */
export async function expireExports(ctx: AppContext): Promise<number> {
  let n = 0;
  const now = ctx.clock.now();
  for (const x of await ctx.store.exports.dueToExpire(now)) {
    const done = await ctx.store.transaction(async (tx) => {
      if (!(await tx.exports.moveExport(Number(x.id), 'ready', { state: 'expired', file_path: null }))) return false;
      await auditExport(tx, { exportId: Number(x.id), action: 'expired', actor: PLATFORM, at: now, kind: x.kind, format: x.format, filter: x.filter, rows: Number(x.rows_written) });
      await exportEvent(tx, 'export.expired', x, null, now);
      return true;
    });
    if (done && x.file_path) fs.rmSync(x.file_path, { force: true });
    if (done) n++;
  }
  return n;
}

/** Generating exports whose node stopped: back to approved, to be generated again from the start. */
export async function requeueStaleExports(ctx: AppContext): Promise<number> {
  let n = 0;
  for (const x of await ctx.store.exports.staleGenerating(ctx.clock.now() - EXPORT_STALE_MS)) {
    if (await ctx.store.exports.moveExport(Number(x.id), 'generating', { state: 'approved', rows_written: 0 })) n++;
  }
  return n;
}
