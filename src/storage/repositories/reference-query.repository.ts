/**
 * Read queries behind the reference and admin API that the in-memory reference cache does not hold: polygons
 * (regions, grids), parts, rule versions, the admission list as stored, time-limit bases and unit counters.
 */
import type { Conn } from '../db.ts';
import { fromJson } from '../codec.ts';

export interface GeometryRow { id: string; geometry: unknown }

export async function findRegionGeometry({ db }: Conn, id: string): Promise<unknown | null> {
  const r = await db.selectFrom('regions').select('geometry').where('id', '=', id).executeTakeFirst();
  return r?.geometry ? JSON.parse(r.geometry) : null;
}

/** Polygons of every region of a level (regions without a polygon are left out). */
export async function listRegionGeometries({ db }: Conn, level: string): Promise<GeometryRow[]> {
  const rows = await db.selectFrom('regions').select(['id', 'geometry'])
    .where('level', '=', level as 'city').where('geometry', 'is not', null).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry!) }));
}

export interface GridGeometryRow { id: string; geometry: unknown; areaM2: number; bbox: [number, number, number, number] }

export async function findGridGeometry({ db }: Conn, id: string): Promise<GridGeometryRow | undefined> {
  const r = await db.selectFrom('grids').select(['id', 'geometry', 'area_m2', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .where('id', '=', id).executeTakeFirst();
  return r ? {
    id: r.id, geometry: JSON.parse(r.geometry), areaM2: Number(r.area_m2),
    bbox: [Number(r.min_lon), Number(r.min_lat), Number(r.max_lon), Number(r.max_lat)],
  } : undefined;
}

/** Grid polygons, optionally only those of some communities (an empty list means none). */
export async function listGridGeometries({ db }: Conn, communityIds?: string[]): Promise<GeometryRow[]> {
  if (communityIds && communityIds.length === 0) return [];
  let q = db.selectFrom('grids').select(['id', 'geometry']).orderBy('id');
  if (communityIds) q = q.where('community_id', 'in', communityIds);
  return (await q.execute()).map((r) => ({ id: r.id, geometry: JSON.parse(r.geometry) }));
}

export interface PartRow {
  id: string; partCode: string; name: string; lon: number; lat: number; gridId: string | null;
  ownerUnitId: string | null; maintainerUnitId: string | null; state: string;
}

type RawPart = {
  id: string; part_code: string; name: string; lon: number; lat: number; grid_id: string | null;
  owner_unit_id: string | null; maintainer_unit_id: string | null; state: string;
};
const toPart = (r: RawPart): PartRow => ({
  id: r.id, partCode: r.part_code, name: r.name, lon: Number(r.lon), lat: Number(r.lat), gridId: r.grid_id,
  ownerUnitId: r.owner_unit_id, maintainerUnitId: r.maintainer_unit_id, state: r.state,
});
const PART_COLUMNS = ['id', 'part_code', 'name', 'lon', 'lat', 'grid_id', 'owner_unit_id', 'maintainer_unit_id', 'state'] as const;

export async function findPart({ db }: Conn, id: string): Promise<PartRow | undefined> {
  const r = await db.selectFrom('parts').select(PART_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toPart(r) : undefined;
}

/** Parts by grid and/or class code, ordered by id; keyset paging with `afterId`. */
export async function listParts({ db }: Conn, f: { gridId?: string; partCode?: string; afterId?: string; limit: number }): Promise<PartRow[]> {
  let q = db.selectFrom('parts').select(PART_COLUMNS).orderBy('id').limit(f.limit);
  if (f.gridId) q = q.where('grid_id', '=', f.gridId);
  if (f.partCode) q = q.where('part_code', '=', f.partCode);
  if (f.afterId) q = q.where('id', '>', f.afterId);
  return (await q.execute()).map(toPart);
}

export interface RuleVersionRow { version: number; createdAt: number; createdBy: string | null; note: string | null; ruleCount: number; report: unknown }

type RawVersion = { version: number; created_at: number; created_by: string | null; note: string | null; rule_count: number; report: string };
const toVersion = (r: RawVersion): RuleVersionRow => ({
  version: Number(r.version), createdAt: Number(r.created_at), createdBy: r.created_by, note: r.note,
  ruleCount: Number(r.rule_count), report: fromJson<unknown>(r.report, null),
});

export async function listRuleVersions({ db }: Conn): Promise<RuleVersionRow[]> {
  return (await db.selectFrom('rule_versions').selectAll().orderBy('version', 'desc').execute()).map(toVersion);
}

export async function findRuleVersion({ db }: Conn, version: number): Promise<RuleVersionRow | undefined> {
  const r = await db.selectFrom('rule_versions').selectAll().where('version', '=', version).executeTakeFirst();
  return r ? toVersion(r) : undefined;
}

export interface StoredRule {
  id: string; matterCode?: string; matterClass?: string; regionId: string; partOwnerUnitId?: string;
  unitId: string; assistingUnitIds: string[]; note?: string;
}

export async function listRulesOfVersion({ db }: Conn, version: number): Promise<StoredRule[]> {
  const rows = await db.selectFrom('rules').selectAll().where('version', '=', version).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, ...(r.matter_code ? { matterCode: r.matter_code } : {}), ...(r.matter_class ? { matterClass: r.matter_class } : {}),
    regionId: r.region_id, ...(r.part_owner_unit_id ? { partOwnerUnitId: r.part_owner_unit_id } : {}),
    unitId: r.unit_id, assistingUnitIds: fromJson<string[]>(r.assisting_unit_ids, []), ...(r.note ? { note: r.note } : {}),
  }));
}

export async function listAdmissionEntries({ db }: Conn): Promise<{ matterCode?: string; matterClass?: string }[]> {
  const rows = await db.selectFrom('admission_list').select(['matter_code', 'matter_class']).orderBy('id').execute();
  return rows.map((r) => (r.matter_code ? { matterCode: r.matter_code } : { matterClass: r.matter_class! }));
}

/** `${stage}|${urgency}|${areaClass}` → basis text, for one matter code (or '*'). */
export async function timeLimitBases({ db }: Conn, matterCodes: string[]): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('time_limits').select(['matter_code', 'stage', 'urgency', 'area_class', 'basis'])
    .where('matter_code', 'in', matterCodes).execute();
  return new Map(rows.map((r) => [`${r.matter_code}|${r.stage}|${r.urgency}|${r.area_class}`, r.basis]));
}
