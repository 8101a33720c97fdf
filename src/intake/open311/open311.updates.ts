/**
 * GET servicerequestupdates.{format} — mySociety's extension (docs/open311.md §1.13), as FixMyStreet's client reads
 * it: the public steps of case histories within [start_date, end_date], one `request_update` per step.
 *
 * - `update_id` is the history row's id (stable; a client's own POSTed update is listed under the id its POST
 *   returned, so FixMyStreet recognises it and does not import it back). A step of a master case is also told to
 *   each report linked to it as a duplicate (the request list shows them the master's progress too), under
 *   `<row id>-<report id>`.
 * - `status` is the extended status of open311.status.ts, `external_status_code` our own state.
 * - `description` is public text only: a fixed sentence per step (never a reason, note or result written by staff,
 *   which may name people), or the words a citizen sent through a client (public by nature).
 * - `media_url`: the photos of a fix (open311.public-media.ts) on cases whose content is public, or the URLs a
 *   citizen's client sent with its update.
 */
import type { AppContext } from '../../runtime/context.ts';
import type { PublicHistoryRow } from '../../storage/repositories/open311-update.repository.ts';
import { badRequest, formatDatetime, parseW3cDatetime } from './open311.format.ts';
import { fromShownSecond, toShownSecond, WINDOW_MS } from './open311.query.ts';
import { mediaFields } from './open311.presenter.ts';
import { mediaSigner, PUBLISHED_PHOTO_ACTIONS } from './open311.public-media.ts';
import { PUBLIC_TEXT_CHANNELS } from './open311.presenter.ts';
import { cancellationNotes, cancelledStatus, extendedStatusOf, type Cancellation, type ExtendedStatus } from './open311.status.ts';

export interface UpdateDto {
  update_id: string;
  service_request_id: string;
  status: ExtendedStatus;
  updated_datetime: string;
  description: string;
  media_url?: string;
  media_urls?: string[];
  external_status_code: string;
}

type Text = { zh: string; en: string };
const t = (zh: string, en: string): Text => ({ zh, en });
const both = (x: Text): string => `${x.zh} / ${x.en}`;

/** The public sentence of each step (by action; some by their outcome). */
function stepText(r: PublicHistoryRow, cancellation: Cancellation | null): Text {
  const d = r.details;
  switch (r.action) {
    case 'accept': return t('已受理', 'Accepted');
    case 'request_verify': return t('已安排现场核实', 'An inspector will verify it on site');
    case 'verify': return d.outcome === 'false'
      ? t('经现场核实情况不属实，不予立案', 'Not confirmed on site; closed without action') : t('经现场核实，已立案', 'Confirmed on site and registered');
    case 'register': return t('已立案，等待派遣', 'Registered; to be dispatched');
    case 'dispatch': return t('已派遣至处置单位', 'Dispatched to the responsible unit');
    case 'sign': return t('处置单位已签收，正在处置', 'The unit has taken it on');
    case 'second_dispatch': return t('处置单位已安排处置', 'The unit has assigned the work');
    case 'return': return t('正在重新确定处置单位', 'Being reassigned to the right unit');
    case 'rule_dispute': return t('已重新派遣', 'Dispatched again');
    case 'approve_hang': return t('暂时无法处置，已列入问题台账跟踪', 'Cannot be fixed for now; kept on the list of open problems');
    case 'resume': return t('恢复处置', 'Work has resumed');
    case 'dispose': return t('处置单位已处置，等待核查', 'The unit reports it fixed; to be checked');
    case 'send_check': return t('正在现场核查处置结果', 'The fix is being checked on site');
    case 'check_pass': return t('经现场核查已处置完毕', 'Checked on site: fixed');
    case 'check_fail': return t('核查未通过，已返工', 'Not fixed on checking; sent back for rework');
    case 'callback': return d.satisfied === true
      ? t('回访满意，已办结', 'The reporter is satisfied; closed') : t('回访不满意，重新处置', 'The reporter is not satisfied; handling resumes');
    case 'close':
      if (d.closureType === 'special') return t('特殊结案，未按原诉求处置', 'Closed as a special case: not fixed as reported');
      if (d.closureType === 'erroneous') return t('差错结案', 'Closed (erroneous closure)');
      return t('已办结', 'Closed: fixed');
    case 'reopen': return t('已重新处置', 'Reopened');
    case 'self_fix': return t('巡查人员已现场处置', 'Fixed on the spot by the patrol');
    case 'reject': {
      const [zh, en] = cancellationNotes(cancellation).split(' / ');
      return t(zh, en ?? zh);
    }
    case 'linked_duplicate':
    case 'merge_into': {
      const no = typeof d.masterCaseNo === 'string' ? d.masterCaseNo : '';
      return t(`已并入同一问题的诉求 ${no} 一并处理`, `Merged into request ${no}, the same problem; handled together`);
    }
    case 'split': return t('不再作为重复件，已单独受理', 'Handled as a request of its own again');
    default: return t('状态已更新', 'Status updated');
  }
}

/** The extended status a step leaves the request in. */
function stepStatus(r: PublicHistoryRow, cancellation: Cancellation | null): ExtendedStatus {
  if (r.toState === 'ARCHIVED') {
    const closure = r.action === 'close' ? (r.details.closureType as string | undefined) ?? null : r.action === 'citizen_update' ? r.closureType : null;
    return extendedStatusOf({ state: 'ARCHIVED', closureType: closure });
  }
  if (r.toState === 'CANCELLED') return cancelledStatus(cancellation);
  return extendedStatusOf({ state: r.toState, closureType: null });
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export interface UpdateWindow { from: number; to: number; limit: number; offset: number }

/** The feed for a window: public steps oldest first, each followed by its copies for the reports linked to it. */
export async function listUpdates(ctx: AppContext, w: UpdateWindow, baseUrl: string): Promise<UpdateDto[]> {
  const off = ctx.config.utcOffsetMinutes;
  const rows = await ctx.store.open311Updates.listPublicHistory(w);
  if (!rows.length) return [];
  // Why cancelled cases were cancelled: for reject steps from their own details, for later updates from the case.
  const cancelledByComment = [...new Set(rows.filter((r) => r.action === 'citizen_update' && r.toState === 'CANCELLED').map((r) => r.caseId))];
  const cancellations = cancelledByComment.length ? await ctx.store.open311.findCancellations(cancelledByComment) : new Map<number, Cancellation>();
  const cancellationOf = (r: PublicHistoryRow): Cancellation | null => {
    if (r.action === 'reject' || r.action === 'verify') {
      const d = r.details;
      return { action: r.action, ...(typeof d.rejectKind === 'string' ? { rejectKind: d.rejectKind } : {}), ...(typeof d.referral === 'string' ? { referral: d.referral } : {}) };
    }
    return cancellations.get(r.caseId) ?? null;
  };
  // Reports linked to the cases that changed state: they are told their master's progress.
  const stateSteps = rows.filter((r) => r.action !== 'citizen_update' && r.action !== 'linked_duplicate' && r.action !== 'merge_into');
  const linked = await ctx.store.open311Updates.findLinkedReports([...new Set(stateSteps.map((r) => r.caseId))]);
  const linkedTo = new Map<number, typeof linked>();
  for (const l of linked) linkedTo.set(l.masterCaseId, [...(linkedTo.get(l.masterCaseId) ?? []), l]);
  const signed = await mediaSigner(ctx, baseUrl);

  const out: UpdateDto[] = [];
  for (const r of rows) {
    const cancellation = cancellationOf(r);
    let status: ExtendedStatus;
    let description: string;
    let code = r.toState;
    let media: string[] = [];
    if (r.action === 'citizen_update') {
      status = stepStatus(r, cancellation);
      description = typeof r.details.text === 'string' ? r.details.text : '';
      media = stringList(r.details.mediaUrls);
    } else if (r.action === 'linked_duplicate' || r.action === 'merge_into') {
      // The linked report is told what its master was doing then (the request list shows it the master's progress).
      const masterId = Number(r.details.masterCaseId);
      const then = Number.isSafeInteger(masterId) ? await ctx.store.open311Updates.stateOfCaseAt(masterId, r.at) : undefined;
      code = then?.state ?? 'REPORTED';
      status = extendedStatusOf({ state: code, closureType: null });
      description = both(stepText(r, null));
    } else {
      status = stepStatus(r, cancellation);
      description = both(stepText(r, cancellation));
      if (PUBLISHED_PHOTO_ACTIONS.has(r.action) && PUBLIC_TEXT_CHANNELS.has(r.channel)) media = r.attachmentIds.map(signed);
    }
    const at = formatDatetime(r.at, off);
    out.push({ update_id: String(r.id), service_request_id: r.caseNo, status, updated_datetime: at, description, ...mediaFields(media), external_status_code: code });
    if (r.action === 'citizen_update' || r.action === 'linked_duplicate' || r.action === 'merge_into') continue;
    for (const l of linkedTo.get(r.caseId) ?? []) {
      if (l.linkedAt > r.at) continue;
      const text = stepText(r, cancellation);
      out.push({
        update_id: `${r.id}-${l.id}`, service_request_id: l.caseNo, status, updated_datetime: at,
        description: `${text.zh}（同一问题的诉求 ${r.caseNo}）/ ${text.en} (request ${r.caseNo}, the same problem)`,
        ...mediaFields(media), external_status_code: code,
      });
    }
  }
  return out;
}

/** The feed's default window when no dates are given: it is polled (FixMyStreet asks for the last two hours). */
export const DEFAULT_FEED_MS = 24 * 3_600_000;
export const MAX_FEED_PAGE = 10_000;

/**
 * start_date / end_date (W3C datetimes, inclusive, compared at the whole seconds the feed shows) bound
 * `updated_datetime`; the span may not exceed 90 days (as for requests). Only one given: the 24 hours after/before
 * it; neither: the last 24 hours. Extension: page / page_size (≤ 10,000, default 10,000), oldest first.
 */
export function feedWindowFromQuery(q: Partial<Record<string, string | string[]>>, now: number, utcOffsetMinutes: number): UpdateWindow {
  const arg = (name: string): string | undefined => {
    const raw = q[name];
    const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    return v ? v : undefined;
  };
  const datetime = (name: string): number | undefined => {
    const v = arg(name);
    if (v === undefined) return undefined;
    const ms = parseW3cDatetime(v, utcOffsetMinutes);
    if (ms === null) throw badRequest(`${name} must be a W3C datetime with a time zone, e.g. 2026-11-25T10:00:00Z; got "${v.slice(0, 40)}"`);
    return ms;
  };
  const int = (name: string, def: number, max: number): number => {
    const v = arg(name);
    if (v === undefined) return def;
    if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) throw badRequest(`${name} must be an integer from 1 to ${max}`);
    return Number(v);
  };
  let start = datetime('start_date');
  let end = datetime('end_date');
  if (start !== undefined && end !== undefined) {
    if (end < start) throw badRequest('end_date is before start_date');
    if (end - start > WINDOW_MS) throw badRequest('start_date to end_date may span at most 90 days / 查询时间跨度不得超过 90 天');
  } else if (start !== undefined) end = start + DEFAULT_FEED_MS;
  else if (end !== undefined) start = end - DEFAULT_FEED_MS;
  else { end = now; start = now - DEFAULT_FEED_MS; }
  const pageSize = int('page_size', MAX_FEED_PAGE, MAX_FEED_PAGE);
  const page = int('page', 1, 1_000_000);
  return { from: fromShownSecond(start!), to: toShownSecond(end!), limit: pageSize, offset: (page - 1) * pageSize };
}
