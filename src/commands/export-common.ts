/** What the export commands share: the audit row (also the request's history) and the export's event. */
import { toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { ExportRow } from '../storage/repositories/export.repository.ts';

export interface ExportActor { userId: string | null; name: string | null }

export async function auditExport(tx: Repositories, e: {
  exportId: number | null; action: string; actor: ExportActor; at: number; kind: string; format: string; filter: unknown; rows: number | null;
  details?: Record<string, unknown>;
}): Promise<void> {
  await tx.exports.appendHistory({
    export_id: e.exportId, action: e.action, actor_id: e.actor.userId, actor_name: e.actor.name, at: e.at, kind: e.kind, format: e.format,
    filter: typeof e.filter === 'string' ? e.filter : toJson(e.filter), rows: e.rows, details: toJson(e.details ?? {}),
  });
}

/** An event about an export (no case: only administrators' streams show it). `actorId` null = the platform's job. */
export async function exportEvent(tx: Repositories, topic: string, x: Pick<ExportRow, 'id' | 'requested_by' | 'kind' | 'format'>, actorId: string | null, at: number, extra: Record<string, unknown> = {}): Promise<void> {
  await tx.outbox.append({
    topic, caseId: null, unitIds: [], regionIds: [], at,
    payload: { exportId: Number(x.id), requestedBy: x.requested_by, kind: x.kind, format: x.format, actorId, ...extra },
  });
}
