/**
 * The reference data cache: everything a case needs to be located, routed and timed, held in memory and
 * rebuilt when an administrator changes it. Cross-process freshness (several API nodes on PostgreSQL): each
 * change bumps `settings.reference_version`; every node compares it every few seconds and reloads.
 */
import { GridIndex, pointOnSurface, type PolygonalGeometry } from '../domain/grid/index.ts';
import { ResponsibilityList, AdmissionList, RegionTree, type ResponsibilityRule } from '../domain/routing/index.ts';
import { compileCalendar, defaultDayCounting, defaultWorkPeriods, type WorkCalendar, type TimeLimit, type LimitUnit } from '../domain/deadline/index.ts';
import {
  parseDayCounting, parseUnitWorkTime, parseWeekendDays, parseWorkPeriods, unitCalendar, type CalendarSettings, type UnitWorkTime,
} from '../domain/deadline/calendar-settings.ts';
import { DEFAULT_ALARM_POLICY, parseAlarmPolicy, type AlarmPolicy } from '../domain/sensing/rule-policy.ts';
import { DEFAULT_FEEDBACK_POLICY, parseFeedbackPolicy, type FeedbackPolicy } from '../domain/hotline/feedback-policy.ts';
import { DEFAULT_EMERGENCY_WORDS, parseEmergencyWords, type EmergencyWords } from '../domain/hotline/emergency.ts';
import { DEFAULT_STANDARD_REPLIES, parseStandardReplies, type StandardReplies } from '../domain/hotline/standard-replies.ts';
import { DEFAULT_EMERGENCY_POLICY, parseEmergencyPolicy, type EmergencyPolicy } from '../domain/alerting/emergency.ts';
import type { MatterClassDef } from '../domain/catalog/catalog.ts';
import { DEFAULT_LEVEL_POLICY, parseLevelPolicy, type LevelPolicy } from '../domain/levels/levels.ts';
import { DEFAULT_PORTAL_MATTERS, parsePortalMatters, type PortalMatters } from '../domain/catalog/portal-matters.ts';
import { DEFAULT_VERIFICATION_POLICY, parseVerificationPolicy, type VerificationPolicy } from '../domain/case/verification-policy.ts';
import { DEFAULT_SUMMONS_SETTINGS, parseSummonsSettings, type SummonsSettings } from '../domain/summons/settings.ts';
import { DEFAULT_DESK_SETTINGS, parseDeskSettings, type DeskSettings } from '../domain/callback/settings.ts';
import { DEFAULT_VITAL_SETTINGS, parseVitalSettings, type VitalSettings } from '../domain/sensing/vital-settings.ts';
import { DEFAULT_RECURRENCE_SETTINGS, parseRecurrenceSettings, type RecurrenceSettings } from '../domain/recurrence/settings.ts';
import { DEFAULT_EXPORT_POLICY, parseExportPolicy, type ExportPolicy } from '../domain/export/export.ts';
import { DEFAULT_SENSING_LIMITS, parseSensingLimits, type SensingLimits } from '../domain/sensing/reading-limits.ts';
import { DEFAULT_ASSESSMENT_SETTINGS, parseAssessmentSettings, type AssessmentSettings } from '../domain/assessment/settings.ts';
import { fromJson } from '../storage/codec.ts';
import type { Store } from '../storage/store.ts';
import type { Logger } from './context.ts';

export interface RegionInfo {
  id: string; code: string; name: string; level: 'city' | 'district' | 'street' | 'community';
  parentId: string | null; areaClass: string | null; fallbackUnitId: string | null;
}
export interface UnitInfo { id: string; code: string; name: string; kind: string; parentId: string | null; regionId: string | null; active: boolean }
export interface GridInfo {
  id: string; code: string; name: string; kind: string; communityId: string; areaClass: string | null;
  /** A point inside the grid (unit grids only; null for responsibility grids): regions' representative points for the geocoder. */
  point: [number, number] | null;
}

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
  /** The city's work calendar (work periods, weekend, holidays, day counting). */
  calendar: WorkCalendar;
  /**
   * Calendars of the units that keep other hours (settings row unit_work_periods), by unit id — the unit's own, or
   * inherited from the nearest ancestor unit that has one; a unit not listed works on `calendar`. Use
   * `ReferenceCache.calendarFor(unitId)`.
   */
  unitCalendars: Map<string, WorkCalendar>;
  /** The work-time settings in force (after defaults replaced what could not be used; see `problems`). */
  calendarSettings: CalendarSettings;
  /** The 12345 feedback limits in force (settings row hotline_feedback_limits, or the Beijing defaults). */
  hotlineFeedback: FeedbackPolicy;
  /** The seat's emergency words in force (settings row emergency_words, or the defaults). */
  emergencyWords: EmergencyWords;
  /** The 12345 seats' standard replies (话术库) in force (settings row standard_replies, or the defaults). */
  standardReplies: StandardReplies;
  /** Which level of platform handles a new case (settings row platform_levels, or the defaults): src/domain/levels. */
  levelPolicy: LevelPolicy;
  /** The summons limits and check-in radius in force (settings row summons_settings, or Beijing's defaults). */
  summons: SummonsSettings;
  /** Callback retries, appeal window, supervision answer limits (settings row desk_settings, or the defaults; issue 10). */
  desks: DeskSettings;
  /** The export limits in force (settings row export_policy, or the defaults of src/domain/export). */
  exportPolicy: ExportPolicy;
  /** The assessment settings in force (settings row assessment_settings: ranking on or off). */
  assessment: AssessmentSettings;
  /** Which reports wait for an on-site verification (settings row verification_policy, or the defaults). */
  verificationPolicy: VerificationPolicy;
  /** Which matters the citizen portal offers (settings row portal_matters, or the defaults). */
  portalMatters: PortalMatters;
  /** Which urgencies ring and how long each level has to acknowledge (settings row emergency_alerting, or the defaults). */
  emergencyAlerting: EmergencyPolicy;
  /** Recurring problems, 每月一题 and 未诉先办 (settings row recurrence_settings, or the defaults): src/domain/recurrence. */
  recurrence: RecurrenceSettings;
  /** Sensing alarms: auto-dispatch whitelist, place window, video types (issue 11; settings row sensing_alarm_policy). */
  alarmPolicy: AlarmPolicy;
  /** Sensing's data plane: reading limits, flood control, retention (issue 11; settings row sensing_limits). */
  sensingLimits: SensingLimits;
  /** Vital-sign lines and crowd tiers (issue 11 parts 6–7; settings row sensing_vital_settings): src/domain/sensing/vital-settings.ts. */
  vitalSettings: VitalSettings;
  /** `${matterCode}|${stage}|${urgency}|${areaClass}` → limit ('' area class = any). */
  timeLimits: Map<string, TimeLimit>;
  /**
   * Stored settings that could not be used, with what was used instead. A bad stored setting never stops the
   * server: it is reported here (and logged, and shown to administrators), and the default applies.
   */
  problems: SettingProblem[];
}

export interface SettingProblem { setting: string; message: string; usingDefault: unknown }

export interface LocatedPoint {
  gridId: string; communityId: string; streetId: string | null; districtId: string | null; areaClass: string | null;
}

export class ReferenceCache {
  private data: ReferenceData | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private store: Store, private opts: { utcOffsetMinutes: number; log?: Logger }) {}

  current(): ReferenceData {
    if (!this.data) throw new Error('reference data not loaded');
    return this.data;
  }

  async load(): Promise<ReferenceData> {
    const data = await buildReference(this.store, this.opts.utcOffsetMinutes);
    for (const p of data.problems) this.opts.log?.warn(p, `setting ${p.setting} is not usable (${p.message}); using the default`);
    this.data = data;
    return data;
  }

  /** Poll for changes made by other processes. */
  watch(intervalMs = 5000): void {
    this.timer = setInterval(async () => {
      try {
        const v = await this.store.settings.referenceVersion();
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

  /**
   * The calendar a unit's clocks run on: the unit's own work periods (or its nearest ancestor's) over the city's
   * days, or the city calendar. Compiled once per reference version; null / unknown ids get the city calendar.
   */
  calendarFor(unitId: string | null | undefined): WorkCalendar {
    const d = this.current();
    return (unitId ? d.unitCalendars.get(unitId) : undefined) ?? d.calendar;
  }

  /** The limit for a matter/stage/urgency, preferring the area-class-specific row. */
  limitFor(matterCode: string, stage: string, urgency: string, areaClass: string | null): TimeLimit | undefined {
    const m = this.current().timeLimits;
    return (areaClass ? m.get(`${matterCode}|${stage}|${urgency}|${areaClass}`) : undefined)
      ?? m.get(`${matterCode}|${stage}|${urgency}|`)
      ?? m.get(`*|${stage}|${urgency}|`);
  }
}

async function buildReference(store: Store, utcOffsetMinutes: number): Promise<ReferenceData> {
  const rows = await store.reference.loadReferenceRows();
  const problems: SettingProblem[] = [];
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
    const geometry = JSON.parse(g.geometry) as PolygonalGeometry;
    const point = g.kind === 'unit' ? pointOnSurface(geometry) : null;
    grids.set(g.id, { id: g.id, code: g.code, name: g.name, kind: g.kind, communityId: g.community_id, areaClass: g.area_class, point });
    (g.kind === 'unit' ? unitGrids : respGrids).push({ id: g.id, geometry: geometry as never });
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
  const calendar = compileStoredCalendar(rows, utcOffsetMinutes, problems);
  const { unitCalendars, unitWorkPeriods } = compileUnitCalendars(calendar, rows.settings.unit_work_periods, units, problems);
  const calendarSettings: CalendarSettings = {
    workPeriods: calendar.data.workPeriods.map((p) => ({ start: p.start, end: p.end })), weekendDays: [...calendar.data.weekendDays],
    dayCounting: calendar.dayCounting, unitWorkPeriods,
  };
  const hotlineFeedback = storedSetting('hotline_feedback_limits', rows.settings.hotline_feedback_limits, parseFeedbackPolicy, DEFAULT_FEEDBACK_POLICY, problems);
  const emergencyWords = storedSetting('emergency_words', rows.settings.emergency_words, parseEmergencyWords, DEFAULT_EMERGENCY_WORDS, problems);
  const standardReplies = storedSetting('standard_replies', rows.settings.standard_replies, parseStandardReplies, DEFAULT_STANDARD_REPLIES, problems);
  const levelPolicy = storedSetting('platform_levels', rows.settings.platform_levels, parseLevelPolicy, DEFAULT_LEVEL_POLICY, problems);
  const verificationPolicy = storedSetting('verification_policy', rows.settings.verification_policy, parseVerificationPolicy, DEFAULT_VERIFICATION_POLICY, problems);
  const summons = storedSetting('summons_settings', rows.settings.summons_settings, parseSummonsSettings, DEFAULT_SUMMONS_SETTINGS, problems);
  const portalMatters = storedSetting('portal_matters', rows.settings.portal_matters, parsePortalMatters, DEFAULT_PORTAL_MATTERS, problems);
  const desks = storedSetting('desk_settings', rows.settings.desk_settings, parseDeskSettings, DEFAULT_DESK_SETTINGS, problems);
  const assessment = storedSetting('assessment_settings', rows.settings.assessment_settings, parseAssessmentSettings, DEFAULT_ASSESSMENT_SETTINGS, problems);
  const exportPolicy = storedSetting('export_policy', rows.settings.export_policy, parseExportPolicy, DEFAULT_EXPORT_POLICY, problems);
  const emergencyAlerting = storedSetting('emergency_alerting', rows.settings.emergency_alerting, parseEmergencyPolicy, DEFAULT_EMERGENCY_POLICY, problems);
  const recurrence = storedSetting('recurrence_settings', rows.settings.recurrence_settings, parseRecurrenceSettings, DEFAULT_RECURRENCE_SETTINGS, problems);
  const alarmPolicy = storedSetting('sensing_alarm_policy', rows.settings.sensing_alarm_policy, parseAlarmPolicy, DEFAULT_ALARM_POLICY, problems);
  const sensingLimits = storedSetting('sensing_limits', rows.settings.sensing_limits, (v, f) => parseSensingLimits(v, f), DEFAULT_SENSING_LIMITS, problems);
  const vitalSettings = storedSetting('sensing_vital_settings', rows.settings.sensing_vital_settings, parseVitalSettings, DEFAULT_VITAL_SETTINGS, problems);
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
    calendar, unitCalendars, calendarSettings, hotlineFeedback, emergencyWords, standardReplies, portalMatters, levelPolicy, summons, desks,
    verificationPolicy, emergencyAlerting, recurrence, alarmPolicy, timeLimits, problems,
    exportPolicy, sensingLimits,
    assessment,
    vitalSettings,
  };
}

/**
 * The work calendar from the stored rows. Each stored setting is tried on its own; one that does not compile is
 * reported and its default used, so that a bad row (e.g. an empty weekend list written by an old version) never
 * keeps the platform from starting.
 */
function compileStoredCalendar(rows: Awaited<ReturnType<Store['reference']['loadReferenceRows']>>, utcOffsetMinutes: number, problems: SettingProblem[]): WorkCalendar {
  const base = {
    utcOffsetMinutes,
    workPeriods: [...defaultWorkPeriods],
    weekendDays: [0, 6],
    holidays: rows.calendarDays.filter((d) => d.kind === 'holiday').map((d) => ({ date: d.date, name: d.name ?? undefined })),
    makeUpWorkdays: rows.calendarDays.filter((d) => d.kind === 'workday').map((d) => d.date),
    dayCounting: defaultDayCounting,
  };
  const attempt = (setting: string, read: () => Partial<typeof base>, fallback: unknown): void => {
    try {
      const patch = read();
      compileCalendar({ ...base, ...patch });
      Object.assign(base, patch);
    } catch (err) {
      problems.push({ setting, message: (err as Error).message, usingDefault: fallback });
    }
  };
  const stored = rows.settings;
  const probe = compileCalendar({ ...base, holidays: [], makeUpWorkdays: [] });
  if (stored.work_periods !== undefined) attempt('work_periods', () => ({ workPeriods: parseWorkPeriods(probe, stored.work_periods, 'work_periods') }), base.workPeriods);
  if (stored.weekend_days !== undefined) attempt('weekend_days', () => ({ weekendDays: parseWeekendDays(stored.weekend_days, 'weekend_days') }), base.weekendDays);
  if (stored.day_counting !== undefined) attempt('day_counting', () => ({ dayCounting: parseDayCounting(stored.day_counting, 'day_counting') }), base.dayCounting);
  try {
    return compileCalendar(base);
  } catch (err) {
    // The calendar days themselves do not compile (e.g. a make-up day on a weekday under a changed weekend):
    // keep the weekly pattern, drop the exceptions, and say so.
    problems.push({ setting: 'calendar_days', message: (err as Error).message, usingDefault: 'no holidays or make-up days' });
    return compileCalendar({ ...base, holidays: [], makeUpWorkdays: [] });
  }
}

/**
 * The calendars of the units that keep other hours. Each unit's entry is read on its own: an unknown unit or bad
 * periods are reported (that unit works on the city calendar) and the other units' entries still apply. A unit
 * without an entry inherits its nearest ancestor's (a utility's branch teams keep the utility's hours).
 */
function compileUnitCalendars(
  city: WorkCalendar, stored: unknown, units: Map<string, UnitInfo>, problems: SettingProblem[],
): { unitCalendars: Map<string, WorkCalendar>; unitWorkPeriods: Record<string, UnitWorkTime> } {
  const own = new Map<string, WorkCalendar>();
  const unitWorkPeriods: Record<string, UnitWorkTime> = {};
  if (stored !== undefined && stored !== null) {
    const unreadable = typeof stored === 'object' && 'unreadable' in stored && Object.keys(stored).length === 1;
    if (typeof stored !== 'object' || Array.isArray(stored) || unreadable) {
      const message = unreadable ? 'unit_work_periods: is not valid JSON' : 'unit_work_periods: must be an object by unit id';
      problems.push({ setting: 'unit_work_periods', message, usingDefault: 'the city calendar for every unit' });
    } else {
      for (const [unitId, value] of Object.entries(stored as Record<string, unknown>)) {
        const field = `unit_work_periods.${unitId}`;
        try {
          if (!units.has(unitId)) throw new Error(`${field}: unknown unit "${unitId}"`);
          const u = parseUnitWorkTime(city, value, field);
          own.set(unitId, unitCalendar(city, u, `${field}.workPeriods`));
          unitWorkPeriods[unitId] = u;
        } catch (err) {
          problems.push({ setting: 'unit_work_periods', message: (err as Error).message, usingDefault: `the city calendar for unit ${unitId}` });
        }
      }
    }
  }
  const unitCalendars = new Map<string, WorkCalendar>();
  if (own.size > 0) {
    for (const u of units.values()) {
      const seen = new Set<string>();
      for (let id: string | null = u.id; id && !seen.has(id); id = units.get(id)?.parentId ?? null) {
        seen.add(id);
        const cal = own.get(id);
        if (cal) { unitCalendars.set(u.id, cal); break; }
      }
    }
  }
  return { unitCalendars, unitWorkPeriods };
}

/**
 * A stored setting parsed by its domain parser, or its default when unset; a value that cannot be used is
 * reported in `problems` and the default used (a bad row never keeps the platform from starting).
 */
function storedSetting<T>(setting: string, stored: unknown, parse: (v: unknown, field: string) => T, fallback: Readonly<T>, problems: SettingProblem[]): T {
  if (stored === undefined || stored === null) return structuredClone(fallback) as T;
  try {
    return parse(stored, setting);
  } catch (err) {
    problems.push({ setting, message: (err as Error).message, usingDefault: fallback });
    return structuredClone(fallback) as T;
  }
}
