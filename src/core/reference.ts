/**
 * The reference data cache: everything a case needs to be located, routed and timed, held in memory and
 * rebuilt when an administrator changes it. Cross-process freshness (several API nodes on PostgreSQL): each
 * change bumps `settings.reference_version`; every node compares it every few seconds and reloads.
 */
import { GridIndex } from '../domain/grid/index.ts';
import { ResponsibilityList, AdmissionList, RegionTree, type ResponsibilityRule } from '../domain/routing/index.ts';
import { compileCalendar, defaultWorkPeriods, type WorkCalendar, type TimeLimit, type LimitUnit } from '../domain/deadline/index.ts';
import type { MatterClassDef } from '../domain/catalog/catalog.ts';
import type { Db, DbOrTrx } from '../storage/db.ts';
import { fromJson } from '../storage/db.ts';
import { loadReferenceRows } from '../storage/repositories/reference.repository.ts';

export interface RegionInfo {
  id: string; code: string; name: string; level: 'city' | 'district' | 'street' | 'community';
  parentId: string | null; areaClass: string | null; fallbackUnitId: string | null;
}
export interface UnitInfo { id: string; code: string; name: string; kind: string; parentId: string | null; regionId: string | null; active: boolean }
export interface GridInfo { id: string; code: string; name: string; kind: string; communityId: string; areaClass: string | null }

export interface ReferenceData {
  version: number;
  regions: Map<string, RegionInfo>;
  regionTree: RegionTree;
  units: Map<string, UnitInfo>;
  grids: Map<string, GridInfo>;
  gridIndex: GridIndex;
  responsibilityGridIndex: GridIndex;
  matters: Map<string, MatterClassDef>; // kind 'matter' by code
  partClasses: Map<string, MatterClassDef>;
  ruleVersion: number;
  rules: ResponsibilityRule[];
  routing: ResponsibilityList;
  admission: AdmissionList;
  calendar: WorkCalendar;
  /** `${matterCode}|${stage}|${urgency}|${areaClass}` → limit ('' area class = any). */
  timeLimits: Map<string, TimeLimit>;
}

export interface LocatedPoint {
  gridId: string; communityId: string; streetId: string | null; districtId: string | null; areaClass: string | null;
}

export class ReferenceStore {
  private data: ReferenceData | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private db: Db) {}

  current(): ReferenceData {
    if (!this.data) throw new Error('reference data not loaded');
    return this.data;
  }

  async load(): Promise<ReferenceData> {
    this.data = await buildReference(this.db);
    return this.data;
  }

  /** Poll for changes made by other processes. */
  watch(intervalMs = 5000): void {
    this.timer = setInterval(async () => {
      try {
        const v = await readReferenceVersion(this.db);
        if (this.data && v !== this.data.version) await this.load();
      } catch { /* transient: try again next tick */ }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Point → grid → community → street → district. Null when the point is outside every grid. */
  locate(lon: number, lat: number): LocatedPoint | null {
    const d = this.current();
    const gridId = d.gridIndex.locate(lon, lat);
    if (!gridId) return null;
    const grid = d.grids.get(gridId)!;
    const community = d.regions.get(grid.communityId);
    const street = community?.parentId ? d.regions.get(community.parentId) : undefined;
    const district = street?.parentId ? d.regions.get(street.parentId) : undefined;
    return {
      gridId, communityId: grid.communityId, streetId: street?.id ?? null, districtId: district?.id ?? null,
      areaClass: grid.areaClass ?? community?.areaClass ?? null,
    };
  }

  /** The limit for a matter/stage/urgency, preferring the area-class-specific row. */
  limitFor(matterCode: string, stage: string, urgency: string, areaClass: string | null): TimeLimit | undefined {
    const m = this.current().timeLimits;
    return (areaClass ? m.get(`${matterCode}|${stage}|${urgency}|${areaClass}`) : undefined)
      ?? m.get(`${matterCode}|${stage}|${urgency}|`)
      ?? m.get(`*|${stage}|${urgency}|`);
  }
}

export async function readReferenceVersion(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'reference_version').executeTakeFirst();
  return r ? Number(JSON.parse(r.value)) : 0;
}

export async function bumpReferenceVersion(db: DbOrTrx): Promise<void> {
  const v = (await readReferenceVersion(db)) + 1;
  await db.insertInto('settings').values({ key: 'reference_version', value: String(v) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(v) })).execute();
}

async function buildReference(db: Db): Promise<ReferenceData> {
  const rows = await loadReferenceRows(db);
  const regions = new Map<string, RegionInfo>(rows.regions.map((r) => [r.id, {
    id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parent_id, areaClass: r.area_class,
    fallbackUnitId: r.fallback_unit_id,
  }]));
  const regionTree = new RegionTree([...regions.values()].map((r) => ({ id: r.id, parentId: r.parentId, level: r.level })));
  const units = new Map<string, UnitInfo>(rows.units.map((u) => [u.id, {
    id: u.id, code: u.code, name: u.name, kind: u.kind, parentId: u.parent_id, regionId: u.region_id, active: u.active === 1,
  }]));
  const grids = new Map<string, GridInfo>();
  const unitGrids: { id: string; geometry: never }[] = [];
  const respGrids: { id: string; geometry: never }[] = [];
  for (const g of rows.grids) {
    grids.set(g.id, { id: g.id, code: g.code, name: g.name, kind: g.kind, communityId: g.community_id, areaClass: g.area_class });
    (g.kind === 'unit' ? unitGrids : respGrids).push({ id: g.id, geometry: JSON.parse(g.geometry) as never });
  }
  const matters = new Map<string, MatterClassDef>();
  const partClasses = new Map<string, MatterClassDef>();
  for (const m of rows.matters) {
    const def: MatterClassDef = {
      kind: m.kind, code: m.code, name: m.name, classCode: m.class_code, className: m.class_name,
      registrationCondition: m.registration_condition, closureCondition: m.closure_condition, local: m.local === 1,
    };
    (m.kind === 'matter' ? matters : partClasses).set(m.code, def);
  }
  const rules: ResponsibilityRule[] = rows.rules.map((r) => ({
    id: r.id, regionId: r.region_id, unitId: r.unit_id, assistingUnitIds: fromJson<string[]>(r.assisting_unit_ids, []),
    ...(r.matter_code ? { matterCode: r.matter_code } : {}), ...(r.matter_class ? { matterClass: r.matter_class } : {}),
    ...(r.part_owner_unit_id ? { partOwnerUnitId: r.part_owner_unit_id } : {}), ...(r.note ? { note: r.note } : {}),
  }));
  const fallbackUnits: Record<string, string> = {};
  for (const r of regions.values()) if (r.fallbackUnitId) fallbackUnits[r.id] = r.fallbackUnitId;
  const calendar = compileCalendar({
    utcOffsetMinutes: rows.settings.utcOffsetMinutes,
    workPeriods: rows.settings.workPeriods ?? [...defaultWorkPeriods],
    weekendDays: rows.settings.weekendDays ?? [0, 6],
    holidays: rows.calendarDays.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.date, name: d.name ?? undefined })),
    makeUpWorkdays: rows.calendarDays.filter((d) => d.kind === 'workday').map((d) => d.date),
  });
  const timeLimits = new Map<string, TimeLimit>();
  for (const t of rows.timeLimits) {
    timeLimits.set(`${t.matter_code}|${t.stage}|${t.urgency}|${t.area_class}`, { amount: Number(t.amount), unit: t.unit as LimitUnit });
  }
  return {
    version: rows.version,
    regions, regionTree, units, grids,
    gridIndex: new GridIndex(unitGrids),
    responsibilityGridIndex: new GridIndex(respGrids),
    matters, partClasses,
    ruleVersion: rows.ruleVersion, rules,
    routing: new ResponsibilityList(rules, regionTree, fallbackUnits),
    admission: new AdmissionList(rows.admission.map((a) => ({
      ...(a.matter_code ? { matterCode: a.matter_code } : {}), ...(a.matter_class ? { matterClass: a.matter_class } : {}),
    }))),
    calendar, timeLimits,
  };
}
