/**
 * requestExport: asks for a case-list export to be generated in the background (issue 10 part 6). The filter is
 * checked and counted for the caller now (the list's own filter and visibility); within the city's limit the
 * request is approved at once, above it it waits for a leader (EXPORT_NEEDS_APPROVAL is for direct downloads;
 * here the request *is* the ask). One transaction: the request, its audit row, an `export.requested` event.
 */
import { admitExport, type ExportKind } from '../domain/export/export.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import { auditExport, exportEvent } from './export-common.ts';

export interface ExportRequestInput {
  kind: ExportKind;
  format: 'csv' | 'xlsx';
  /** The case list's query (without paging), as sent. */
  filter: Record<string, unknown>;
  reason?: string;
  lang?: 'zh' | 'en';
  /** What the filter matches for the requester, counted by the caller at most up to the policy's maxRows (+1 when capped). */
  total: number;
}

/** The requester: their scope (kept with the request: the export sees and masks as they do) and name. */
export type ExportRequester = Actor & { kind: 'user' | 'api_key'; name: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** 案件导出-20261207-0913.xlsx, in the city's time. */
export function exportFilename(kind: ExportKind, format: 'csv' | 'xlsx', at: number, offsetMinutes: number): string {
  const d = new Date(at + offsetMinutes * 60_000);
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `${kind === 'cases' ? '案件导出' : kind}-${stamp}.${format}`;
}

export async function requestExport(ctx: AppContext, input: ExportRequestInput, p: ExportRequester): Promise<number> {
  const policy = ctx.ref.current().exportPolicy;
  const total = input.total;
  const { state } = admitExport(total, policy, input.reason);
  const now = ctx.clock.now();
  const actor = { userId: p.userId, name: p.name };
  const filter = { ...input.filter, ...(input.lang ? { lang: input.lang } : {}) };
  return ctx.store.transaction(async (tx) => {
    const id = await tx.exports.insertExport({
      kind: input.kind, format: input.format, filter: toJson(filter),
      principal: toJson({ kind: p.kind, userId: p.userId, name: p.name, roles: p.roles, unitIds: p.unitIds, regionIds: p.regionIds }),
      filename: exportFilename(input.kind, input.format, now, ctx.config.utcOffsetMinutes), state, reason: input.reason?.trim() || null,
      requested_by: p.userId, requested_by_name: p.name, requested_at: now, total_rows: total, rows_written: 0,
      ...(state === 'approved' ? { decided_by: null, decided_by_name: '系统（未超过审批阈值）', decided_at: now } : {}),
    });
    const x = { id, requested_by: p.userId, kind: input.kind, format: input.format };
    await auditExport(tx, { exportId: id, action: 'requested', actor, at: now, kind: input.kind, format: input.format, filter, rows: total, details: { reason: input.reason ?? null } });
    if (state === 'approved') {
      await auditExport(tx, { exportId: id, action: 'approved', actor: { userId: null, name: 'system' }, at: now, kind: input.kind, format: input.format, filter, rows: total, details: { automatic: true, approvalAboveRows: policy.approvalAboveRows } });
    }
    await exportEvent(tx, 'export.requested', x, p.userId, now, { state, totalRows: total });
    return id;
  });
}
