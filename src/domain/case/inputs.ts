/**
 * Input checks for `decide`. The HTTP edge validates shapes with its schema; the domain re-checks the
 * business requirements (a return needs a reason AND a basis, …) so that every caller — API, jobs, intake,
 * CLI — gets the same rule and an error naming the field.
 */
import type { LimitUnit, TimeLimit } from '../deadline/deadline.types.ts';
import { invalidAs } from '../errors.ts';

const LIMIT_UNITS: readonly LimitUnit[] = ['natural_minutes', 'natural_hours', 'natural_days', 'work_hours', 'work_days'];

/** A required, non-blank text; returns it trimmed. */
export const requireText = (input: Record<string, unknown>, field: string, why: string): string => {
  const v = input[field];
  if (typeof v !== 'string' || v.trim() === '') throw invalidAs(field, { key: 'field.required' }, `required ${why}`);
  return v.trim();
};

/** An optional text; blank counts as absent. */
export const optionalText = (input: Record<string, unknown>, field: string): string | undefined => {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidAs(field, { key: 'field.string' }, 'must be a string');
  return v.trim() === '' ? undefined : v.trim();
};

export const requireOneOf = <T extends string>(
  input: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  why: string,
): T => {
  const v = input[field];
  if (v === undefined || v === null || v === '') throw invalidAs(field, { key: 'field.required' }, `required ${why}`);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw invalidAs(field, { key: 'field.one_of', params: { allowed: allowed.join(', ') } }, `must be one of ${allowed.join(', ')}`);
  return v as T;
};

export const requireBoolean = (input: Record<string, unknown>, field: string, why: string): boolean => {
  const v = input[field];
  if (typeof v !== 'boolean') throw invalidAs(field, { key: 'field.required' }, `required ${why} (true or false)`);
  return v;
};

/** An optional list of distinct non-blank ids. */
export const idList = (input: Record<string, unknown>, field: string): string[] => {
  const v = input[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === ''))
    throw invalidAs(field, { key: 'case.list_ids' }, 'must be a list of ids');
  const ids = (v as string[]).map((x) => x.trim());
  if (new Set(ids).size !== ids.length) throw invalidAs(field, { key: 'case.not_repeat_id' }, 'must not repeat an id');
  return ids;
};

/** A postponement amount: { amount > 0, unit }. */
export const requireTimeLimit = (input: Record<string, unknown>, field: string, why: string): TimeLimit => {
  const v = input[field];
  if (typeof v !== 'object' || v === null) throw invalidAs(field, { key: 'case.required', params: { why: String(why) } }, `required ${why}`);
  const { amount, unit } = v as Record<string, unknown>;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0)
    throw invalidAs(`${field}.amount`, { key: 'field.number_greater_than_0' }, 'must be a number greater than 0');
  if (typeof unit !== 'string' || !(LIMIT_UNITS as readonly string[]).includes(unit))
    throw invalidAs(`${field}.unit`, { key: 'field.one_of', params: { allowed: LIMIT_UNITS.join(', ') } }, `must be one of ${LIMIT_UNITS.join(', ')}`);
  return { amount, unit: unit as LimitUnit };
};
