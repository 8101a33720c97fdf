/**
 * Writes of the reference data an administrator changes: units, matter types, time limits, the responsibility
 * list, the admission list, the calendar, grids. Each is called inside the command's transaction, which also bumps
 * the reference version and appends the change's event (configEvent).
 */
import type { Conn } from '../db.ts';
import { toJson } from '../codec.ts';
import { insertChunked } from './bulk.ts';
import { activeRuleVersion } from './reference.repository.ts';
import { write } from './settings.repository.ts';

/** An event about configuration (no case): for administrators' streams and the webhook log. */
export const configEvent = (topic: string, payload: Record<string, unknown>, at: number, scope: { unitIds?: string[]; regionIds?: string[] } = {}) => ({
  topic, caseId: null, unitIds: scope.unitIds ?? [], regionIds: scope.regionIds ?? [], payload, at,
});

export async function replaceAdmission({ db }: Conn, entries: { matterCode?: string; matterClass?: string }[]): Promise<void> {
  await db.deleteFrom('admission_list').execute();
  if (entries.length) {
    await db.insertInto('admission_list').values(entries.map((e) => ({ matter_code: e.matterCode ?? null, matter_class: e.matterClass ?? null }))).execute();
  }
}

/** One year of the calendar: its holidays and make-up working days replace that year's rows. */
export async function replaceCalendarYear(
  { db }: Conn, year: number, days: { holidays: { date: string; name?: string | null }[]; makeUpWorkdays: string[] },
): Promise<void> {
  await db.deleteFrom('calendar_days').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
  const rows = [
    ...days.holidays.map((h) => ({ date: h.date, kind: 'holiday' as const, name: h.name ?? null })),
    ...days.makeUpWorkdays.map((d) => ({ date: d, kind: 'workday' as const, name: '调休上班' })),
  ];
  if (rows.length) await db.insertInto('calendar_days').values(rows).execute();
}

/** Calendar settings (work periods, weekend days, the day-counting rule, per-unit work periods): stored as given. */
export async function writeCalendarSetting(c: Conn, key: 'work_periods' | 'weekend_days' | 'day_counting' | 'unit_work_periods', value: unknown): Promise<void> {
  await write(c, key, value);
}

export interface MatterInsert {
  code: string; name: string; classCode: string; className: string; registrationCondition: string | null; closureCondition: string | null;
}

export async function insertMatter({ db }: Conn, m: MatterInsert, at: number): Promise<void> {
  await db.insertInto('matter_types').values({
    kind: 'matter', code: m.code, name: m.name, class_code: m.classCode, class_name: m.className,
    registration_condition: m.registrationCondition, closure_condition: m.closureCondition, local: 1, created_at: at,
  }).execute();
}

export interface TimeLimitRow { stage: string; urgency: string; areaClass: string | null; amount: number; unit: string; basis: string | null }

export async function replaceTimeLimits({ db }: Conn, matterCode: string, limits: TimeLimitRow[]): Promise<void> {
  await db.deleteFrom('time_limits').where('matter_code', '=', matterCode).execute();
  if (limits.length) {
    await db.insertInto('time_limits').values(limits.map((l) => ({
      matter_code: matterCode, stage: l.stage, urgency: l.urgency, area_class: l.areaClass ?? '', amount: l.amount, unit: l.unit, basis: l.basis,
    }))).execute();
  }
}

export interface RuleInsert {
  id: string; matterCode?: string; matterClass?: string; regionId: string; partOwnerUnitId?: string; unitId: string;
  assistingUnitIds: string[]; note?: string;
}

/** A new version of the responsibility list; returns its number. */
export async function insertRuleVersion(
  c: Conn, rules: RuleInsert[], report: unknown, meta: { by: string | null; note: string | null; at: number },
): Promise<number> {
  const version = (await activeRuleVersion(c)) + 1;
  await c.db.insertInto('rule_versions').values({
    version, created_at: meta.at, created_by: meta.by, note: meta.note, rule_count: rules.length, report: toJson(report),
  }).execute();
  await insertChunked(c.db, 'rules', rules.map((r) => ({
    version, id: r.id, matter_code: r.matterCode ?? null, matter_class: r.matterClass ?? null, region_id: r.regionId,
    part_owner_unit_id: r.partOwnerUnitId ?? null, unit_id: r.unitId, assisting_unit_ids: toJson(r.assistingUnitIds), note: r.note ?? null,
  })));
  return version;
}

/** The unit that already has this id or code, if any. */
export async function findUnitClash({ db }: Conn, id: string, code: string): Promise<{ id: string; code: string } | undefined> {
  return db.selectFrom('units').select(['id', 'code']).where((eb) => eb.or([eb('id', '=', id), eb('code', '=', code)])).executeTakeFirst();
}

export async function insertUnit(
  { db }: Conn, u: { id: string; code: string; name: string; kind: string; parentId: string | null; regionId: string | null }, at: number,
): Promise<void> {
  await db.insertInto('units').values({
    id: u.id, code: u.code, name: u.name, kind: u.kind, parent_id: u.parentId, region_id: u.regionId, active: 1, created_at: at,
  }).execute();
}

export interface GridUpsert {
  id: string; code: string; name: string; kind: 'unit' | 'responsibility'; communityId: string; geometry: unknown;
  areaM2: number; areaClass: string | null; bbox: [number, number, number, number];
}

export async function upsertGrids({ db }: Conn, grids: GridUpsert[], at: number): Promise<void> {
  for (const g of grids) {
    const [minLon, minLat, maxLon, maxLat] = g.bbox;
    const values = {
      code: g.code, name: g.name, kind: g.kind, community_id: g.communityId, geometry: toJson(g.geometry),
      area_m2: g.areaM2, area_class: g.areaClass, min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat,
    };
    await db.insertInto('grids').values({ id: g.id, ...values, created_at: at }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  }
}

/** One day of the calendar set by hand: its row replaced (kind and name), or removed (null = a normal day again). */
export async function setCalendarDay({ db }: Conn, date: string, row: { kind: 'holiday' | 'workday'; name: string } | null): Promise<void> {
  await db.deleteFrom('calendar_days').where('date', '=', date).execute();
  if (row) await db.insertInto('calendar_days').values({ date, kind: row.kind, name: row.name }).execute();
}

/** The stored days of one year (holidays and make-up workdays with their names), by date (the primary key). */
export async function listCalendarDays({ db }: Conn, year: number): Promise<{ date: string; kind: 'holiday' | 'workday'; name: string | null }[]> {
  return db.selectFrom('calendar_days').select(['date', 'kind', 'name'])
    .where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute();
}
