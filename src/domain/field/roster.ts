/**
 * Rosters (值班表): who is on duty when, per centre (a region's operations centre) and unit. An entry is a person,
 * where (unit and/or centre region), the role they are on duty in, and a start and an end. Pure.
 */
import { DomainError, invalidAs } from '../errors.ts';
import { isRole, type Role } from '../policy/permissions.ts';

export interface RosterEntryInput {
  userId: string;
  unitId?: string | null;
  regionId?: string | null;
  dutyRole: string;
  startAt: number;
  endAt: number;
  note?: string | null;
}

export interface RosterEntry {
  id: number;
  userId: string;
  unitId: string | null;
  regionId: string | null;
  dutyRole: Role;
  startAt: number;
  endAt: number;
  note: string | null;
}

/** The longest single duty (a 24 h 值班 plus handover). */
export const MAX_DUTY_MS = 26 * 3600_000;

/**
 * Checks one entry on its own (end after start, at most MAX_DUTY_MS, a known role, a unit or a centre). Throws
 * `invalidAs(field, …)` naming the field.
 */
export function validateRosterEntry(e: RosterEntryInput, prefix = ''): void {
  const f = (n: string) => (prefix ? `${prefix}.${n}` : n);
  if (!isRole(e.dutyRole)) throw invalidAs(f('dutyRole'), { key: 'field.unknown_role', params: { dutyRole: String(e.dutyRole) } }, `unknown role "${e.dutyRole}"`);
  if (!e.unitId && !e.regionId) throw invalidAs(f('regionId'), { key: 'field.name_centre_regionid_or_unit' }, 'name the centre (regionId) or the unit (unitId) the duty is for');
  if (!Number.isFinite(e.startAt)) throw invalidAs(f('startAt'), { key: 'field.time' }, 'must be a time');
  if (!Number.isFinite(e.endAt)) throw invalidAs(f('endAt'), { key: 'field.time' }, 'must be a time');
  if (e.endAt <= e.startAt) throw invalidAs(f('endAt'), { key: 'field.after_startat' }, 'must be after startAt');
  if (e.endAt - e.startAt > MAX_DUTY_MS) throw invalidAs(f('endAt'), { key: 'field.duty_may_last_at_most', params: { max_duty_ms: String(MAX_DUTY_MS / 3600_000) } }, `a duty may last at most ${MAX_DUTY_MS / 3600_000} h; split longer ones`);
}

/** Half-open intervals [start, end) overlap. */
export const overlaps = (a: { startAt: number; endAt: number }, b: { startAt: number; endAt: number }): boolean =>
  a.startAt < b.endAt && b.startAt < a.endAt;

/** Refuses an entry that overlaps another of the same person (`others` are that person's entries, the edited one excluded). */
export function assertNoOverlap(e: RosterEntryInput, others: readonly RosterEntry[]): void {
  const clash = others.find((o) => o.userId === e.userId && overlaps(o, e));
  if (clash) {
    throw new DomainError('CONFLICT', `startAt: the person is already on duty from ${new Date(clash.startAt).toISOString()} to ${new Date(clash.endAt).toISOString()} (entry ${clash.id})`,
      { field: 'startAt', details: { conflictingEntryId: clash.id }, key: 'roster.already_on_duty', params: { field: 'startAt', from: new Date(clash.startAt).toISOString(), to: new Date(clash.endAt).toISOString() } });
  }
}

/** True when one of the entries covers the instant. */
export const coversInstant = (entries: readonly Pick<RosterEntry, 'startAt' | 'endAt'>[], at: number): boolean =>
  entries.some((e) => e.startAt <= at && at < e.endAt);
