/**
 * The statistics are counted city-wide at most once per STATS_MAX_AGE_MS per node and shared by every caller and
 * scope: ten big screens polling every 5 s, plus every dashboard, cost one query set per 5 s. Each scope's view is
 * kept with the counting it came from. Concurrent callers of an expired counting wait for the same one.
 *
 * Staleness: an answer may be up to STATS_MAX_AGE_MS old (its generatedAt says when it was counted); a new local
 * day starts a new counting at once. On PostgreSQL each node counts on its own.
 */
import type { AppContext } from '../../../runtime/context.ts';
import { localYmd } from '../../../domain/time-zone.ts';
import { DAY_MS, formatLocalDate } from '../../../domain/deadline/local-date.ts';
import type { StatsSnapshot } from './stats.presenter.ts';

export const STATS_MAX_AGE_MS = 5_000;

interface Entry { at: number; localDate: string; snapshot: Promise<StatsSnapshot>; views: Map<string, unknown> }
const entries = new WeakMap<AppContext, Entry>();

/** The city's local day around `now`: its start (ms), its date, and the case-number prefixes of it and the next day. */
export function localDay(now: number, utcOffsetMinutes: number) {
  const off = utcOffsetMinutes * 60_000;
  const day = Math.floor((now + off) / DAY_MS);
  const start = day * DAY_MS - off;
  return { start, end: start + DAY_MS, date: formatLocalDate(day), caseNoFrom: localYmd(start, utcOffsetMinutes), caseNoTo: localYmd(start + DAY_MS, utcOffsetMinutes) };
}

async function count(ctx: AppContext, now: number): Promise<StatsSnapshot> {
  const day = localDay(now, ctx.config.utcOffsetMinutes);
  const [open, assists, intake, closed] = await Promise.all([
    ctx.store.stats.openCaseGroups(),
    ctx.store.stats.openAssistGroups(),
    ctx.store.stats.intakeGroups(day.caseNoFrom, day.caseNoTo),
    ctx.store.stats.closedGroups(day.start, day.end),
  ]);
  return { at: now, localDate: day.date, open, assists, intake, closed };
}

function current(ctx: AppContext): Entry {
  const now = ctx.clock.now();
  const hit = entries.get(ctx);
  const today = localDay(now, ctx.config.utcOffsetMinutes).date;
  if (hit && now >= hit.at && now - hit.at < STATS_MAX_AGE_MS && hit.localDate === today) return hit;
  const entry: Entry = { at: now, localDate: today, snapshot: count(ctx, now), views: new Map() };
  entries.set(ctx, entry);
  // a failed counting must not be served for the next five seconds
  entry.snapshot.catch(() => { if (entries.get(ctx) === entry) entries.delete(ctx); });
  return entry;
}

/** The view `key` (kind + scope) of the current counting, computed once per counting. */
export async function statsView<T>(ctx: AppContext, key: string, present: (s: StatsSnapshot) => T): Promise<{ view: T; at: number }> {
  const entry = current(ctx);
  const snapshot = await entry.snapshot;
  const k = `${ctx.ref.current().version}|${key}`;
  if (!entry.views.has(k)) entry.views.set(k, present(snapshot));
  return { view: entry.views.get(k) as T, at: snapshot.at };
}
