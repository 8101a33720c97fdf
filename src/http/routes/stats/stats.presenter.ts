/**
 * Statistics for one caller, from the city-wide grouped counts (stats.repository.ts): the visibility policy
 * (src/domain/policy/visibility.ts) is applied here, to grouped rows, as the case list applies it to cases: regions by
 * where the case's grid lies (grid → community → street → district → city), units by the assigned unit, the sub-unit
 * or an assisting unit (the joint cases come as their own groups, with their assisting units, and are counted once).
 * Only counts and reference names leave: no case, no person.
 */
import { STATES } from '../../../domain/case/states.ts';
import { CHANNELS } from '../../../domain/case/channels.ts';
import type { ReferenceData } from '../../../runtime/reference-cache.ts';
import type { AssistGroup, DayGroup, OpenGroup } from '../../../storage/repositories/stats.repository.ts';
import type { CaseVisibility } from '../../../domain/policy/visibility.ts';
import { GRID_FIELDS, type GridStatsView, type OverviewView } from './stats.schema.ts';

/** One counting of the whole city: what the cache keeps. */
export interface StatsSnapshot {
  /** When it was counted (clock ms). */
  at: number;
  /** The local day it counted as today (YYYY-MM-DD). */
  localDate: string;
  open: OpenGroup[];
  /** The open cases that have assisting units (also counted in `open`), with their assisting units. */
  assists: AssistGroup[];
  intake: DayGroup[];
  closed: DayGroup[];
}

export const CHANNEL_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  hotline: { zh: '12345热线', en: 'Hotline' },
  patrol: { zh: '巡查上报', en: 'Patrol' },
  open311: { zh: '市民上报（Open311）', en: 'Open311' },
  app: { zh: '移动应用', en: 'App' },
  iot: { zh: '物联感知', en: 'IoT' },
  video: { zh: '视频智能', en: 'Video AI' },
  department: { zh: '部门推送', en: 'Department' },
  superior: { zh: '上级交办', en: 'Superior' },
  media: { zh: '媒体曝光', en: 'Media' },
  petition: { zh: '信访转办', en: 'Petition' },
  other: { zh: '其他', en: 'Other' },
};

const OPEN_STATES = STATES.filter((s) => s.open);
const TOP_UNITS = 10;

interface GridPlace { streetId: string | null; path: string[] }
const places = new WeakMap<ReferenceData, Map<string, GridPlace>>();

/** Where each grid lies: its street and every region above it (community first). Built once per reference version. */
function gridPlaces(ref: ReferenceData): Map<string, GridPlace> {
  let m = places.get(ref);
  if (m) return m;
  m = new Map();
  for (const g of ref.grids.values()) {
    const path: string[] = [];
    let streetId: string | null = null;
    for (let r = ref.regions.get(g.communityId); r && path.length < 16; r = r.parentId ? ref.regions.get(r.parentId) : undefined) {
      path.push(r.id);
      if (r.level === 'street' && streetId === null) streetId = r.id;
    }
    m.set(g.id, { streetId, path });
  }
  places.set(ref, m);
  return m;
}

type Grouped = { gridId: string | null; unitId: string | null; subUnitId: string | null; assisting?: string[] };

/**
 * The visibility policy over grouped rows: `base` — visible by region or by the assigned unit or sub-unit;
 * `byAssist` — visible only because one of the caller's units assists (the joint groups add these, once).
 */
function visibility(v: CaseVisibility, ref: ReferenceData) {
  if (v.all) return { base: (_r: Grouped) => true, byAssist: (_r: Grouped) => false };
  const units = new Set(v.unitIds);
  const regions = new Set(v.regionIds);
  const grids = new Set<string>();
  if (regions.size) for (const [id, p] of gridPlaces(ref)) if (p.path.some((r) => regions.has(r))) grids.add(id);
  const base = (r: Grouped) => (r.gridId !== null ? grids.has(r.gridId) : v.unlocated)
    || (r.unitId !== null && units.has(r.unitId)) || (r.subUnitId !== null && units.has(r.subUnitId));
  return { base, byAssist: (r: Grouped) => !base(r) && (r.assisting ?? []).some((u) => units.has(u)) };
}

/** The scope as the answer names it. */
function scopeOf(v: CaseVisibility): OverviewView['scope'] {
  if (v.all) return { kind: 'city', ids: [] };
  const kind = v.regionIds.length && v.unitIds.length ? 'regions_and_units' : v.regionIds.length ? 'regions' : 'units';
  return { kind, ids: [...v.regionIds, ...v.unitIds] };
}

export function presentOverview(s: StatsSnapshot, scope: CaseVisibility, ref: ReferenceData, maxAgeSeconds: number): OverviewView {
  const { base, byAssist } = visibility(scope, ref);
  const where = gridPlaces(ref);
  const byState = new Map<string, number>();
  const streets = new Map<string, { open: number; warning: number; overdue: number }>();
  const units = new Map<string, { open: number; overdue: number }>();
  const unitsOnly = !scope.all && scope.regionIds.length === 0;
  const ownUnits = unitsOnly ? new Set(scope.unitIds) : undefined;
  const totals = { open: 0, warning: 0, overdue: 0, hung: 0, todayIntake: 0, todayClosed: 0 };
  // Every street that has a grid in scope is listed, with zeros if nothing is open there.
  if (!unitsOnly) {
    for (const g of ref.grids.keys()) {
      const st = where.get(g)?.streetId;
      if (st && !streets.has(st) && base({ gridId: g, unitId: null, subUnitId: null })) streets.set(st, { open: 0, warning: 0, overdue: 0 });
    }
  }
  for (const r of [...s.open.filter(base), ...s.assists.filter(byAssist)]) {
    const overdue = r.alertLevel === 'overdue' && r.state !== 'HUNG' ? r.n : 0;
    const warning = r.alertLevel === 'warning' && r.state !== 'HUNG' ? r.n : 0;
    byState.set(r.state, (byState.get(r.state) ?? 0) + r.n);
    totals.open += r.n;
    totals.overdue += overdue;
    totals.warning += warning;
    if (r.state === 'HUNG') totals.hung += r.n;
    const st = r.gridId ? where.get(r.gridId)?.streetId : null;
    if (st) {
      const c = streets.get(st) ?? { open: 0, warning: 0, overdue: 0 };
      c.open += r.n; c.warning += warning; c.overdue += overdue;
      streets.set(st, c);
    }
    // A unit's own cases rank under the unit itself, also when it only holds them as a sub-unit.
    const unit = ownUnits && !(r.unitId && ownUnits.has(r.unitId)) ? r.subUnitId : r.unitId;
    if (unit) {
      const c = units.get(unit) ?? { open: 0, overdue: 0 };
      c.open += r.n; c.overdue += overdue;
      units.set(unit, c);
    }
  }
  const intake = new Map<string, number>();
  for (const r of s.intake) {
    if (!base(r) && !byAssist(r)) continue;
    intake.set(r.channel, (intake.get(r.channel) ?? 0) + r.n);
    totals.todayIntake += r.n;
  }
  for (const r of s.closed) if (base(r) || byAssist(r)) totals.todayClosed += r.n;
  const channels = [...CHANNELS, ...[...intake.keys()].filter((c) => !(CHANNELS as readonly string[]).includes(c)).sort()];
  return {
    generatedAt: new Date(s.at).toISOString(),
    maxAgeSeconds,
    localDate: s.localDate,
    scope: scopeOf(scope),
    totals,
    byState: OPEN_STATES.map((x) => ({ state: x.state, label: { zh: x.zh, en: x.en }, count: byState.get(x.state) ?? 0 })),
    byStreet: [...streets.entries()]
      .map(([id, c]) => ({ id, name: ref.regions.get(id)?.name ?? id, code: ref.regions.get(id)?.code ?? id, ...c }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    topOverdueUnits: [...units.entries()].filter(([, c]) => c.overdue > 0)
      .sort(([a, x], [b, y]) => y.overdue - x.overdue || y.open - x.open || (a < b ? -1 : 1))
      .slice(0, TOP_UNITS)
      .map(([id, c]) => ({ id, name: ref.units.get(id)?.name ?? id, overdue: c.overdue, open: c.open })),
    todayIntake: channels.map((c) => ({ channel: c, label: CHANNEL_LABELS[c] ?? { zh: c, en: c }, count: intake.get(c) ?? 0 })),
  };
}

export function presentGrids(s: StatsSnapshot, scope: CaseVisibility, ref: ReferenceData, maxAgeSeconds: number): GridStatsView {
  const { base, byAssist } = visibility(scope, ref);
  const grids = new Map<string, [number, number, number]>();
  for (const r of [...s.open.filter(base), ...s.assists.filter(byAssist)]) {
    if (r.gridId === null) continue;
    const c = grids.get(r.gridId) ?? [0, 0, 0];
    c[0] += r.n;
    if (r.state !== 'HUNG' && r.alertLevel === 'overdue') c[1] += r.n;
    if (r.state !== 'HUNG' && r.alertLevel === 'warning') c[2] += r.n;
    grids.set(r.gridId, c);
  }
  return {
    generatedAt: new Date(s.at).toISOString(),
    maxAgeSeconds,
    fields: [...GRID_FIELDS],
    items: [...grids.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, c]) => [id, c[0], c[1], c[2]] as [string, number, number, number]),
  };
}
