/**
 * recordDirectExport: the audit of a direct download (a case list within the city's limit, streamed as it is read).
 * Written before the first byte goes out — who, what filter, how many rows — so an export is never untraced; one
 * transaction with an `export.streamed` event. A download cut short adds a `stream_incomplete` row with the rows
 * actually written.
 */
import type { AppContext } from '../runtime/context.ts';
import { auditExport } from './export-common.ts';

export interface DirectExport { kind: string; format: string; filter: Record<string, unknown>; rows: number; actor: { userId: string; name: string } }

export async function recordDirectExport(ctx: AppContext, e: DirectExport): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await auditExport(tx, { exportId: null, action: 'streamed', actor: e.actor, at: now, kind: e.kind, format: e.format, filter: e.filter, rows: e.rows });
    await tx.outbox.append({
      topic: 'export.streamed', caseId: null, unitIds: [], regionIds: [], at: now,
      payload: { kind: e.kind, format: e.format, rows: e.rows, actorId: e.actor.userId },
    });
  });
}

export async function recordIncompleteExport(ctx: AppContext, e: DirectExport): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await auditExport(tx, { exportId: null, action: 'stream_incomplete', actor: e.actor, at: ctx.clock.now(), kind: e.kind, format: e.format, filter: e.filter, rows: e.rows });
  });
}
