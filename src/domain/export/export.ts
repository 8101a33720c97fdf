/**
 * Exports of case lists and reports (issue 10 part 6): the city's export policy (city data, settings row
 * `export_policy`) and the lifecycle of an export request. Pure.
 *
 *   requested ──approve──► approved ──(job claims)──► generating ──► ready ──(keepHours)──► expired
 *       └──reject──► rejected                               └──► failed
 *
 * A request within the limit is approved by the platform as it is made (no leader needed); above
 * `approvalAboveRows` a leader (permission export.approve) decides, and never on their own request (one person does
 * not both ask for and grant a bulk copy of the city's data). Nothing above `maxRows` is exported at all.
 */
import { DomainError, invalidAs } from '../errors.ts';

export interface ExportPolicy {
  /** Exports of more rows than this need a leader's approval (direct downloads above it answer EXPORT_NEEDS_APPROVAL). */
  approvalAboveRows: number;
  /** The hard ceiling, even with approval. */
  maxRows: number;
  /** How long a generated file is kept for download. */
  keepHours: number;
}

export const DEFAULT_EXPORT_POLICY: Readonly<ExportPolicy> = Object.freeze({ approvalAboveRows: 100_000, maxRows: 2_000_000, keepHours: 72 });

const KEYS = ['approvalAboveRows', 'maxRows', 'keepHours'] as const;

export function parseExportPolicy(input: unknown, prefix = ''): ExportPolicy {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'field.object_with', params: { allowed: KEYS.join(', ') } }, `must be an object with ${KEYS.join(', ')}`);
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) throw invalidAs(at(k), { key: 'field.unknown' }, 'unknown field');
  const whole = (k: (typeof KEYS)[number], min: number, max: number): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidAs(at(k), { key: 'field.whole_number_from', params: { min: String(min), max: String(max) } }, `must be a whole number from ${min} to ${max}`);
    return v;
  };
  const approvalAboveRows = whole('approvalAboveRows', 1, 10_000_000);
  const maxRows = whole('maxRows', 1, 50_000_000);
  if (maxRows < approvalAboveRows) throw invalidAs(at('maxRows'), { key: 'export.not_below_approvalaboverows' }, 'must not be below approvalAboveRows');
  return { approvalAboveRows, maxRows, keepHours: whole('keepHours', 1, 24 * 90) };
}

export const EXPORT_STATES = ['requested', 'approved', 'rejected', 'generating', 'ready', 'failed', 'expired'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

export const EXPORT_STATE_LABELS: Record<ExportState, { zh: string; en: string }> = {
  requested: { zh: '待审批', en: 'Awaiting approval' },
  approved: { zh: '已批准，排队中', en: 'Approved, queued' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  generating: { zh: '生成中', en: 'Generating' },
  ready: { zh: '可下载', en: 'Ready' },
  failed: { zh: '失败', en: 'Failed' },
  expired: { zh: '已过期', en: 'Expired' },
};

export const EXPORT_KINDS = ['cases'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** What a new request becomes: within the limit the platform approves it at once; above it a leader must; over the ceiling nobody may. */
export function admitExport(total: number, policy: ExportPolicy, reason: string | undefined): { state: 'approved' | 'requested' } {
  if (total > policy.maxRows) {
    throw new DomainError('LIMIT_EXCEEDED', `filter: matches more than ${policy.maxRows} cases, the most one export may hold; narrow the filter`, {
      field: 'filter', details: { maxRows: policy.maxRows }, key: 'export.too_many', params: { max: policy.maxRows },
    });
  }
  if (total <= policy.approvalAboveRows) return { state: 'approved' };
  if (!reason || reason.trim().length < 2) {
    throw invalidAs('reason', { key: 'export.export_rows_more_than_needs', params: { total: String(total), approvalAboveRows: String(policy.approvalAboveRows) } }, `an export of ${total} rows (more than ${policy.approvalAboveRows}) needs a leader's approval: say why it is needed`);
  }
  return { state: 'requested' };
}

/** The answer of a direct download above the limit. */
export function needsApproval(limit: number): DomainError {
  return new DomainError('EXPORT_NEEDS_APPROVAL',
    `filter: matches more than ${limit} cases; larger exports need a leader's approval (POST /api/v1/exports with a reason) / 超过 ${limit} 条的导出需领导审批`,
    { field: 'filter', details: { approvalAboveRows: limit }, key: 'export.needs_approval', params: { limit } });
}

/** A leader's decision on a request: only while it waits, and never on one's own request. */
export function checkDecision(x: { state: string; requestedBy: string }, deciderId: string): void {
  if (x.state !== 'requested') throw new DomainError('INVALID_TRANSITION', `the export is ${x.state}; only a requested export can be approved or rejected`, { details: { state: x.state }, key: 'export.not_requested' });
  if (x.requestedBy === deciderId) throw new DomainError('SEPARATION_OF_DUTIES', '不能审批自己的导出申请 / you may not decide on your own export request', { key: 'export.own_request' });
}
