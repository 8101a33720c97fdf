/**
 * GET requests.{format}: the query arguments → a repository filter (docs/open311.md §1.7).
 * Core: service_request_id (comma list, overrides all others), service_code (comma list), start_date/end_date
 * (W3C datetimes bounding requested_datetime, span ≤ 90 days, default the most recent 90 days), status
 * (open, closed or both). Default volume: the window or 1,000 requests, whichever is smaller, newest first.
 * Extensions (§1.13): page / page_size (≤ 1,000) and updated_after.
 */
import type { Open311Filter } from '../../storage/repositories/open311.repository.ts';
import { OPEN311_CLOSED_STATES } from './open311.status.ts';
import { badRequest, parseW3cDatetime } from './open311.format.ts';

export const WINDOW_MS = 90 * 86_400_000;
export const MAX_PAGE_SIZE = 1000;
const MAX_IDS = 1000;
/** What `status=closed` lists (open311.status.ts: fixed and checked, archived, or cancelled). */
export const CLOSED_STATES: string[] = [...OPEN311_CLOSED_STATES];

/**
 * Datetimes are shown in whole seconds (`formatDatetime`), so bounds compare at that precision: an instant is in
 * [start, end] when the second it is shown as is. A request shown as 10:00:05 is inside `end_date=10:00:05` although
 * it was made at 10:00:05.123 (FixMyStreet asks up to the second it saw).
 */
const SECOND = 1000;
/** The first instant shown at or after `ms`. */
export const fromShownSecond = (ms: number): number => Math.ceil(ms / SECOND) * SECOND;
/** The last instant shown at or before `ms`. */
export const toShownSecond = (ms: number): number => Math.floor(ms / SECOND) * SECOND + SECOND - 1;

export type RequestsQuery = Partial<Record<string, string | string[]>>;

/** One argument's value; a repeated argument keeps its first value; empty counts as absent (§1.1). */
function arg(q: RequestsQuery, name: string): string | undefined {
  const raw = q[name];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return v ? v : undefined;
}

const list = (v: string): string[] => [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];

function positiveInt(q: RequestsQuery, name: string, def: number, max: number): number {
  const v = arg(q, name);
  if (v === undefined) return def;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) throw badRequest(`${name} must be an integer from 1 to ${max}`);
  return Number(v);
}

function datetime(q: RequestsQuery, name: string, utcOffsetMinutes: number): number | undefined {
  const v = arg(q, name);
  if (v === undefined) return undefined;
  const ms = parseW3cDatetime(v, utcOffsetMinutes);
  if (ms === null) throw badRequest(`${name} must be a W3C datetime with a time zone, e.g. 2026-11-25T10:00:00+08:00; got "${v.slice(0, 40)}"`);
  return ms;
}

export function filterFromQuery(q: RequestsQuery, now: number, utcOffsetMinutes: number): Open311Filter {
  const page = positiveInt(q, 'page', 1, 1_000_000);
  const pageSize = positiveInt(q, 'page_size', MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const paging = { limit: pageSize, offset: (page - 1) * pageSize };

  const ids = arg(q, 'service_request_id');
  if (ids !== undefined) {
    const caseNos = list(ids);
    if (caseNos.length > MAX_IDS) throw badRequest(`service_request_id lists at most ${MAX_IDS} ids`);
    return { caseNos, createdFrom: 0, ...paging };
  }

  let start = datetime(q, 'start_date', utcOffsetMinutes);
  let end = datetime(q, 'end_date', utcOffsetMinutes);
  if (start !== undefined && end !== undefined) {
    if (end < start) throw badRequest('end_date is before start_date');
    if (end - start > WINDOW_MS) throw badRequest('start_date to end_date may span at most 90 days / 查询时间跨度不得超过 90 天');
  } else if (start !== undefined) {
    end = start + WINDOW_MS;
  } else if (end !== undefined) {
    start = end - WINDOW_MS;
  } else {
    start = now - WINDOW_MS; // the most recent 90 days; no upper bound
  }

  const filter: Open311Filter = {
    createdFrom: fromShownSecond(start!), ...(end !== undefined ? { createdTo: toShownSecond(end) } : {}), ...paging,
  };
  const codes = arg(q, 'service_code');
  if (codes !== undefined) {
    const matterCodes = list(codes);
    const bad = matterCodes.find((c) => !/^\d{5}$/.test(c));
    if (bad !== undefined) throw badRequest(`service_code "${bad.slice(0, 40)}" is not a 5-digit service code`);
    filter.matterCodes = matterCodes;
  }
  const status = arg(q, 'status');
  if (status !== undefined) {
    const wanted = list(status.toLowerCase());
    const bad = wanted.find((s) => s !== 'open' && s !== 'closed');
    if (bad !== undefined) throw badRequest(`status must be open, closed or both (comma-separated); got "${bad.slice(0, 40)}"`);
    if (wanted.length === 1) filter.states = wanted[0] === 'closed' ? { in: CLOSED_STATES } : { notIn: CLOSED_STATES };
  }
  // "Changed after" the shown second: a change shown as that same second is not after it.
  const updatedAfter = datetime(q, 'updated_after', utcOffsetMinutes);
  if (updatedAfter !== undefined) filter.updatedAfter = toShownSecond(updatedAfter);
  return filter;
}
