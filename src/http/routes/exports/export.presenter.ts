/** Export presenter: whitelists fields and says what the caller may do next (approve, reject, download). */
import { EXPORT_STATE_LABELS, type ExportState } from '../../../domain/export/export.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { ExportHistoryRow, ExportRow } from '../../../storage/repositories/export.repository.ts';
import type { Principal } from '../../middleware/auth.ts';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function presentExport(x: ExportRow, p: Principal) {
  const state = x.state as ExportState;
  const total = Number(x.total_rows);
  const written = Number(x.rows_written);
  const mine = x.requested_by === p.userId;
  const allowed: ('approve' | 'reject' | 'download')[] = [];
  if (state === 'requested' && !mine && hasPermission(p.roles, 'export.approve')) allowed.push('approve', 'reject');
  if (state === 'ready' && mine) allowed.push('download');
  return {
    id: Number(x.id),
    kind: x.kind,
    format: x.format,
    filename: x.filename,
    filter: fromJson<Record<string, unknown>>(x.filter, {}),
    state,
    stateLabel: EXPORT_STATE_LABELS[state] ?? { zh: state, en: state },
    reason: x.reason,
    requestedBy: { id: x.requested_by, name: x.requested_by_name },
    requestedAt: iso(x.requested_at)!,
    totalRows: total,
    rowsWritten: written,
    progress: state === 'ready' ? 1 : total > 0 ? Math.min(1, written / total) : 0,
    decidedBy: x.decided_at === null ? null : { id: x.decided_by, name: x.decided_by_name },
    decidedAt: iso(x.decided_at),
    decisionNote: x.decision_note,
    finishedAt: iso(x.finished_at),
    expiresAt: iso(x.expires_at),
    fileBytes: x.file_bytes === null ? null : Number(x.file_bytes),
    error: x.error,
    downloadUrl: allowed.includes('download') ? `/api/v1/exports/${Number(x.id)}/file` : null,
    allowedActions: allowed,
  };
}

export function presentExportHistory(h: ExportHistoryRow) {
  return {
    id: Number(h.id), action: h.action, actor: h.actor_id === null && h.actor_name === null ? null : { id: h.actor_id, name: h.actor_name },
    at: iso(h.at)!, rows: h.rows === null ? null : Number(h.rows), details: fromJson<Record<string, unknown>>(h.details, {}),
  };
}
