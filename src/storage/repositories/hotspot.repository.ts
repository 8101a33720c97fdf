/**
 * Hotspots and trends (issue 10 part 5): the SQL of the daily rollups that the decision-support job keeps
 * (migration 024) and of the reads the map, the tables and the trend chart make. Every read takes the region scope
 * of the visibility policy (`regionIds`, null = the whole city); callers whose scope also runs through units read
 * the case table instead (`casesForHotspots`), under the very same filter as the case list (visibleTo).
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Conn } from '../db.ts';
import type { CaseVisibility } from '../../domain/policy/visibility.ts';
import { visibleTo } from './case.repository.ts';

/** One report counted: the job aggregates these (n) per key before writing. */
export interface RollupRow {
  day: number; month: number; gridId: string | null; h3: string | null; matterCode: string; n: number;
  communityId: string | null; streetId: string | null; districtId: string | null;
}

const CHUNK = 400;

/** Adds counts (idempotency is the caller's: the job's cursor moves in the same transaction). */
export async function addRollups({ db }: Conn, rows: readonly RollupRow[]): Promise<void> {
  const days = new Map<string, RollupRow>();
  const gridDays = new Map<string, RollupRow>();
  const matterDays = new Map<string, RollupRow>();
  const months = new Map<string, RollupRow>();
  const add = (m: Map<string, RollupRow>, k: string, r: RollupRow) => { const x = m.get(k); if (x) x.n += r.n; else m.set(k, { ...r }); };
  for (const r of rows) {
    if (r.gridId && r.h3) {
      add(days, `${r.day}|${r.gridId}|${r.h3}`, r);
      add(gridDays, `${r.day}|${r.gridId}`, r);
      add(matterDays, `${r.matterCode}|${r.day}|${r.gridId}|${r.h3}`, r);
    }
    add(months, `${r.month}|${r.communityId ?? ''}|${r.matterCode}`, r);
  }
  const d = [...days.values()];
  for (let i = 0; i < d.length; i += CHUNK) {
    await db.insertInto('hotspot_days').values(d.slice(i, i + CHUNK).map((r) => ({
      day: r.day, grid_id: r.gridId!, h3: r.h3!, n: r.n, community_id: r.communityId, street_id: r.streetId, district_id: r.districtId,
    }))).onConflict((oc) => oc.columns(['day', 'grid_id', 'h3']).doUpdateSet((eb) => ({ n: eb('hotspot_days.n', '+', eb.ref('excluded.n')) }))).execute();
  }
  const gd = [...gridDays.values()];
  for (let i = 0; i < gd.length; i += CHUNK) {
    await db.insertInto('hotspot_grid_days').values(gd.slice(i, i + CHUNK).map((r) => ({
      day: r.day, grid_id: r.gridId!, n: r.n, community_id: r.communityId, street_id: r.streetId, district_id: r.districtId,
    }))).onConflict((oc) => oc.columns(['day', 'grid_id']).doUpdateSet((eb) => ({ n: eb('hotspot_grid_days.n', '+', eb.ref('excluded.n')) }))).execute();
  }
  const md = [...matterDays.values()];
  for (let i = 0; i < md.length; i += CHUNK) {
    await db.insertInto('hotspot_matter_days').values(md.slice(i, i + CHUNK).map((r) => ({
      matter_code: r.matterCode, day: r.day, grid_id: r.gridId!, h3: r.h3!, month: r.month, n: r.n,
      community_id: r.communityId, street_id: r.streetId, district_id: r.districtId,
    }))).onConflict((oc) => oc.columns(['matter_code', 'day', 'grid_id', 'h3']).doUpdateSet((eb) => ({ n: eb('hotspot_matter_days.n', '+', eb.ref('excluded.n')) }))).execute();
  }
  const m = [...months.values()];
  for (let i = 0; i < m.length; i += CHUNK) {
    await db.insertInto('trend_months').values(m.slice(i, i + CHUNK).map((r) => ({
      month: r.month, community_id: r.communityId ?? '', matter_code: r.matterCode, n: r.n, street_id: r.streetId, district_id: r.districtId,
    }))).onConflict((oc) => oc.columns(['month', 'community_id', 'matter_code']).doUpdateSet((eb) => ({ n: eb('trend_months.n', '+', eb.ref('excluded.n')) }))).execute();
  }
}

/** Empties the rollups (the full rebuild). */
export async function clearRollups({ db }: Conn): Promise<void> {
  await db.deleteFrom('hotspot_days').execute();
  await db.deleteFrom('hotspot_grid_days').execute();
  await db.deleteFrom('hotspot_matter_days').execute();
  await db.deleteFrom('trend_months').execute();
}

export interface HotspotQuery {
  fromDay: number;
  toDay: number;
  /** Matter codes to count (a matter, or every matter of a class); undefined = all matters. */
  matterCodes?: string[];
  /** Region scope: rows in one of these districts, streets or communities; null = the whole city. */
  regionIds: string[] | null;
}

type RegionCols = 'district_id' | 'street_id' | 'community_id';
function inRegions<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, r: string[]) {
  const e = eb as unknown as ExpressionBuilder<Record<string, Record<RegionCols, string | null>>, string>;
  return e.or([e('district_id', 'in', r), e('street_id', 'in', r), e('community_id', 'in', r)]) as never;
}
const orNone = (ids: string[]) => (ids.length ? ids : ['']);

/** Reports per grid or per stored H3 cell over the days (the map). */
export async function hotspotCounts({ db }: Conn, layer: 'grid' | 'h3', q: HotspotQuery): Promise<{ key: string; n: number }[]> {
  const col = layer === 'grid' ? 'grid_id' : 'h3';
  if (q.matterCodes) {
    if (q.matterCodes.length === 0) return [];
    let s = db.selectFrom('hotspot_matter_days').select([`${col} as key`, sql<number>`sum(n)`.as('n')])
      .where('matter_code', 'in', q.matterCodes).where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
    if (q.regionIds) { const r = orNone(q.regionIds); s = s.where((eb) => inRegions(eb, r)); }
    return (await s.groupBy(col).execute()).map((x) => ({ key: String(x.key), n: Number(x.n) }));
  }
  if (layer === 'grid') {
    // grid × day counters: 90 days of the whole city are 90 × grids rows, not one per (day, grid, res-9 cell)
    let g = db.selectFrom('hotspot_grid_days').select(['grid_id as key', sql<number>`sum(n)`.as('n')])
      .where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
    if (q.regionIds) { const r = orNone(q.regionIds); g = g.where((eb) => inRegions(eb, r)); }
    return (await g.groupBy('grid_id').execute()).map((x) => ({ key: String(x.key), n: Number(x.n) }));
  }
  let s = db.selectFrom('hotspot_days').select([`${col} as key`, sql<number>`sum(n)`.as('n')])
    .where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
  if (q.regionIds) { const r = orNone(q.regionIds); s = s.where((eb) => inRegions(eb, r)); }
  return (await s.groupBy(col).execute()).map((x) => ({ key: String(x.key), n: Number(x.n) }));
}

/** The bucket key of a row as SQL: the day, its week's Monday, yyyymm or yyyyq (integer arithmetic on both stores). */
const BUCKET_SQL = {
  day: sql<number>`day`,
  week: sql<number>`(day - ((day + 3) % 7))`,
  month: sql<number>`month`,
  quarter: sql<number>`((month / 100) * 10 + ((month % 100) - 1) / 3 + 1)`,
} as const;

/** Grid × matter × period: the largest counts first. */
export async function hotspotTable({ db }: Conn, bucket: keyof typeof BUCKET_SQL, q: HotspotQuery, limit: number): Promise<{ bucket: number; gridId: string; matterCode: string; n: number }[]> {
  if (q.matterCodes && q.matterCodes.length === 0) return [];
  let s = db.selectFrom('hotspot_matter_days')
    .select([BUCKET_SQL[bucket].as('bucket'), 'grid_id', 'matter_code', sql<number>`sum(n)`.as('n')])
    .where('day', '>=', q.fromDay).where('day', '<=', q.toDay);
  if (q.matterCodes) s = s.where('matter_code', 'in', q.matterCodes);
  if (q.regionIds) { const r = orNone(q.regionIds); s = s.where((eb) => inRegions(eb, r)); }
  const rows = await s.groupBy([BUCKET_SQL[bucket], 'grid_id', 'matter_code']).orderBy(sql`sum(n)`, 'desc').orderBy('grid_id').orderBy('matter_code').limit(limit).execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), gridId: r.grid_id, matterCode: r.matter_code, n: Number(r.n) }));
}

/** Reports per month over [fromMonth, toMonth] (yyyymm). `unlocated`: count reports without a place too. */
export async function trendCounts(
  { db }: Conn, q: { fromMonth: number; toMonth: number; matterCodes?: string[]; regionIds: string[] | null; unlocated: boolean },
): Promise<{ month: number; n: number }[]> {
  if (q.matterCodes && q.matterCodes.length === 0) return [];
  let s = db.selectFrom('trend_months').select(['month', sql<number>`sum(n)`.as('n')])
    .where('month', '>=', q.fromMonth).where('month', '<=', q.toMonth);
  if (q.matterCodes) s = s.where('matter_code', 'in', q.matterCodes);
  if (q.regionIds) {
    const r = orNone(q.regionIds);
    s = s.where((eb) => eb.or([inRegions(eb, r), ...(q.unlocated ? [eb('community_id', '=', '')] : [])]));
  }
  return (await s.groupBy('month').orderBy('month').execute()).map((r) => ({ month: Number(r.month), n: Number(r.n) }));
}

/**
 * For callers whose scope runs through units (a unit leader sees the cases their unit holds, wherever they lie): the
 * reports themselves, under the case list's own visibility filter, capped. Few rows for a unit; never the city.
 */
export async function casesForHotspots({ db }: Conn, q: { fromMs: number; toMs: number; matterCodes?: string[]; visibility: CaseVisibility; limit: number }):
Promise<{ gridId: string | null; lon: number | null; lat: number | null; matterCode: string; createdAt: number }[]> {
  if (q.matterCodes && q.matterCodes.length === 0) return [];
  let s = db.selectFrom('cases').select(['grid_id', 'lon', 'lat', 'matter_code', 'created_at'])
    .where('created_at', '>=', q.fromMs).where('created_at', '<', q.toMs);
  if (q.matterCodes) s = s.where('matter_code', 'in', q.matterCodes);
  s = visibleTo(s as never, q.visibility) as unknown as typeof s;
  const rows = await s.limit(q.limit).execute();
  return rows.map((r) => ({ gridId: r.grid_id, lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat), matterCode: r.matter_code, createdAt: Number(r.created_at) }));
}
