/**
 * A case list as a table: the columns, the rows read from storage in keyset-paged chunks (newest first, or by
 * deadline for the queue), and each row presented for the caller — visibility through the list's own filter
 * (caseListFilter: the one visibility policy compiled to SQL), personal data masked by the case presenter's own
 * rule (presentReporter). Never more than one chunk in memory.
 */
import type { AppContext } from '../../../runtime/context.ts';
import { stateLabel, type State } from '../../../domain/case/index.ts';
import type { CaseRow, ListedCaseRow } from '../../../storage/repositories/case.repository.ts';
import type { Principal } from '../../middleware/auth.ts';
import type { TableColumn } from '../../export/index.ts';
import { presentReporter } from '../cases/case.presenter.ts';
import { caseListFilter, type CaseListFilterQuery } from '../cases/case-list.filter.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';

export const CASE_COLUMNS: readonly TableColumn[] = [
  { key: 'caseNo', zh: '案件编号', en: 'Case no.', width: 18 },
  { key: 'state', zh: '状态', en: 'State', width: 10 },
  { key: 'channel', zh: '来源渠道', en: 'Channel', width: 10 },
  { key: 'matterCode', zh: '事项编码', en: 'Matter code', width: 10 },
  { key: 'matterName', zh: '事项名称', en: 'Matter', width: 18 },
  { key: 'urgency', zh: '紧急程度', en: 'Urgency', width: 10 },
  { key: 'description', zh: '问题描述', en: 'Description', width: 40 },
  { key: 'address', zh: '地址', en: 'Address', width: 28 },
  { key: 'district', zh: '区', en: 'District', width: 10 },
  { key: 'street', zh: '街道', en: 'Street', width: 12 },
  { key: 'community', zh: '社区', en: 'Community', width: 12 },
  { key: 'grid', zh: '网格', en: 'Grid', width: 18 },
  { key: 'lon', zh: '经度', en: 'Longitude', width: 11 },
  { key: 'lat', zh: '纬度', en: 'Latitude', width: 11 },
  { key: 'reporterName', zh: '反映人', en: 'Reporter', width: 10 },
  { key: 'reporterPhone', zh: '联系电话', en: 'Phone', width: 14 },
  { key: 'unit', zh: '处置单位', en: 'Handling unit', width: 20 },
  { key: 'dispatchedAt', zh: '派遣时间', en: 'Dispatched at', width: 17 },
  { key: 'handleDueAt', zh: '处置时限', en: 'Handling due', width: 17 },
  { key: 'alertLevel', zh: '预警', en: 'Alert', width: 8 },
  { key: 'everOverdue', zh: '曾超期', en: 'Ever overdue', width: 8 },
  { key: 'returns', zh: '退回次数', en: 'Returns', width: 8 },
  { key: 'postponements', zh: '延期次数', en: 'Postponements', width: 8 },
  { key: 'rework', zh: '返工次数', en: 'Rework', width: 8 },
  { key: 'closureType', zh: '结案类型', en: 'Closure type', width: 10 },
  { key: 'closedAt', zh: '结案时间', en: 'Closed at', width: 17 },
  { key: 'createdAt', zh: '上报时间', en: 'Reported at', width: 17 },
];

const CHANNEL = { hotline: '12345热线', patrol: '巡查上报', open311: 'Open311', app: '市民APP', iot: '物联感知', video: '视频AI', department: '部门系统', superior: '上级交办', media: '媒体曝光', petition: '信访', other: '其他' } as Record<string, string>;
const URGENCY = { normal: '一般', urgent: '紧急', very_urgent: '非常紧急' } as Record<string, string>;
const ALERT = { normal: '正常', warning: '预警', overdue: '超期' } as Record<string, string>;
const CLOSURE = { normal: '正常', overdue: '超时', erroneous: '差错', special: '特殊' } as Record<string, string>;

const pad = (n: number) => String(n).padStart(2, '0');
/** A time as the city reads it ("2026-12-07 09:05", the city's fixed offset), for the spreadsheet. */
export function cityTime(ms: number | null | undefined, offsetMinutes: number): string | null {
  if (ms === null || ms === undefined) return null;
  const d = new Date(Number(ms) + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** One case as an export row, for this caller. */
export function caseExportRow(row: CaseRow, ref: ReferenceCache, p: Pick<Principal, 'roles'>, off: number, lang: 'zh' | 'en' = 'zh'): Record<string, unknown> {
  const r = ref.current();
  const name = (m: Map<string, { name: string }>, id: string | null) => (id ? m.get(id)?.name ?? id : null);
  const reporter = presentReporter(row, p);
  const zh = lang === 'zh';
  return {
    caseNo: row.case_no,
    state: zh ? stateLabel(row.state as State).zh : row.state,
    channel: zh ? CHANNEL[row.channel] ?? row.channel : row.channel,
    matterCode: row.matter_code,
    matterName: r.matters.get(row.matter_code)?.name ?? row.matter_code,
    urgency: zh ? URGENCY[row.urgency] ?? row.urgency : row.urgency,
    description: row.description,
    address: row.address,
    district: name(r.regions, row.district_id),
    street: name(r.regions, row.street_id),
    community: name(r.regions, row.community_id),
    grid: row.grid_id ? r.grids.get(row.grid_id)?.code ?? row.grid_id : null,
    lon: row.lon === null ? null : Number(row.lon),
    lat: row.lat === null ? null : Number(row.lat),
    reporterName: reporter.name,
    reporterPhone: reporter.phone,
    unit: row.assigned_user_name ?? name(r.units, row.assigned_unit_id),
    dispatchedAt: cityTime(row.dispatched_at, off),
    handleDueAt: cityTime(row.handle_due_at, off),
    alertLevel: zh ? ALERT[row.alert_level] ?? row.alert_level : row.alert_level,
    everOverdue: zh ? (row.ever_overdue === 1 ? '是' : '否') : row.ever_overdue === 1,
    returns: Number(row.return_count),
    postponements: Number(row.postpone_count),
    rework: Number(row.rework_count),
    closureType: row.closure_type ? (zh ? CLOSURE[row.closure_type] ?? row.closure_type : row.closure_type) : null,
    closedAt: cityTime(row.closed_at, off),
    createdAt: cityTime(row.created_at, off),
  };
}

/**
 * Cases read per keyset page. Small on purpose: a page's rows (and the cells made from them) live across the awaits
 * of the write, long enough for V8 to promote them to the old generation, where they wait for a full collection; at
 * 1,000 a page the heap of an export of 1,000,000 cases grew by ~85 MB of such garbage, at 200 by ~20 MB (bench/export).
 */
export const EXPORT_CHUNK = 200;

/**
 * The rows of a filtered case list, read chunk by chunk with the list's own keyset (id for newest first,
 * (deadline, id) for the queue) — the same query a console page runs, page after page.
 */
export async function* caseExportRows(ctx: AppContext, p: Principal, q: CaseListFilterQuery, opts: { max?: number; lang?: 'zh' | 'en' } = {}): AsyncGenerator<Record<string, unknown>> {
  const { filter, sort } = await caseListFilter(ctx, p, q);
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  let beforeId: number | undefined;
  let after: { dueAt: number; id: number } | undefined;
  let n = 0;
  for (;;) {
    const rows: ListedCaseRow[] = await ctx.store.cases.listCases({ ...filter, limit: Math.min(EXPORT_CHUNK, max - n), beforeId, after });
    for (const row of rows) yield caseExportRow(row, ctx.ref, p, ctx.config.utcOffsetMinutes, opts.lang);
    n += rows.length;
    if (rows.length < EXPORT_CHUNK || n >= max) return;
    const last = rows[rows.length - 1];
    if (sort === 'due') after = { dueAt: Number(last.due_at), id: Number(last.id) };
    else beforeId = Number(last.id);
  }
}

/** How many cases the filter matches for this caller, counting at most `cap` + 1. */
export async function countCaseExport(ctx: AppContext, p: Principal, q: CaseListFilterQuery, cap: number): Promise<{ total: number; capped: boolean }> {
  const { filter } = await caseListFilter(ctx, p, q);
  return ctx.store.cases.countCases(filter, cap);
}
