/**
 * How values are stored portably on both stores: JSON as text, and the one error shape callers may need to
 * recognise (a unique-constraint violation, e.g. two first attempts with one idempotency key).
 */
export const toJson = (v: unknown): string => JSON.stringify(v ?? null);

export function fromJson<T>(s: string | null | undefined, def: T): T {
  if (s === null || s === undefined || s === '') return def;
  return JSON.parse(s) as T;
}

/** A unique-constraint violation on either store (SQLite SQLITE_CONSTRAINT_UNIQUE / PK, PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
