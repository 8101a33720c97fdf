/**
 * Statistics for one caller, from the city-wide grouped counts (stats.repository.ts): the caller's scope is
 * applied here, to grouped rows, exactly as the case list applies it to cases (caseScopeOf): region scope by where
 * the case's grid lies (grid → community → street → district → city), unit scope by the assigned unit or sub-unit.
 * Only counts and reference names leave: no case, no person.
 */
import { STATES } from '../../../domain/case/states.ts';
import { CHANNELS } from '../../../domain/case/channels.ts';
import type { ReferenceData } from '../../../core/reference.ts';
import type { DayGroup, OpenGroup } from '../../../storage/repositories/stats.repository.ts';
import type { CaseScope } from '../cases/case.load.ts';
import { GRID_FIELDS, type GridStatsView, type OverviewView } from './stats.schema.ts';

/** One counting of the whole city: what the cache keeps. */
export interface StatsSnapshot {
  /** When it was counted (clock ms). */
  at: number;
  /** The local day it counted as today (YYYY-MM-DD). */
  localDate: string;
  open: OpenGroup[];
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

/** A predicate over grouped rows for the scope. Region scope: the row's grid lies in one of the regions. */
function inScope(scope: CaseScope, ref: ReferenceData): (row: { gridId: string | null; unitId: string | null; subUnitId: string | null }) => boolean {
  if (scope.kind === 'city') return () => true;
  if (scope.kind === 'units') {
    const units = new Set(scope.unitIds);
    return (r) => (r.unitId !== null && units.has(r.unitId)) || (r.subUnitId !== null && units.has(r.subUnitId));
  }
  const regions = new Set(scope.regionIds);
  const grids = new Set<string>();
  for (const [id, p] of gridPlaces(ref)) if (p.path.some((r) => regions.has(r))) grids.add(id);
  return (r) => r.gridId !== null && grids.has(r.gridId);
}

export function presentOverview(s: StatsSnapshot, scope: CaseScope, ref: ReferenceData, maxAgeSeconds: number): OverviewView {
  const visible = inScope(scope, ref);
  const where = gridPlaces(ref);
  const byState = new Map<string, number>();
  const streets = new Map<string, { open: number; warning: number; overdue: number }>();
  const units = new Map<string, { open: number; overdue: number }>();
  const ownUnits = scope.kind === 'units' ? new Set(scope.unitIds) : undefined;
  const totals = { open: 0, warning: 0, overdue: 0, hung: 0, todayIntake: 0, todayClosed: 0 };
  // Every street that has a grid in scope is listed, with zeros if nothing is open there.
  if (scope.kind !== 'units') {
    for (const g of ref.grids.keys()) {
      const st = where.get(g)?.streetId;
      if (st && !streets.has(st) && visible({ gridId: g, unitId: null, subUnitId: null })) streets.set(st, { open: 0, warning: 0, overdue: 0 });
    }
  }
  for (const r of s.open) {
    if (!visible(r)) continue;
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
    if (!visible(r)) continue;
    intake.set(r.channel, (intake.get(r.channel) ?? 0) + r.n);
    totals.todayIntake += r.n;
  }
  for (const r of s.closed) if (visible(r)) totals.todayClosed += r.n;
  const channels = [...CHANNELS, ...[...intake.keys()].filter((c) => !(CHANNELS as readonly string[]).includes(c)).sort()];
  return {
    generatedAt: new Date(s.at).toISOString(),
    maxAgeSeconds,
    localDate: s.localDate,
    scope: { kind: scope.kind, ids: scope.kind === 'regions' ? scope.regionIds : scope.kind === 'units' ? scope.unitIds : [] },
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

export function presentGrids(s: StatsSnapshot, scope: CaseScope, ref: ReferenceData, maxAgeSeconds: number): GridStatsView {
  const visible = inScope(scope, ref);
  const grids = new Map<string, [number, number, number]>();
  for (const r of s.open) {
    if (r.gridId === null || !visible(r)) continue;
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
