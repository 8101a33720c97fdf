/**
 * The settings table: small JSON values by key (work periods, weekend days, the duplicate policy, the reference
 * version …). Values are parsed here but validated by whoever reads them: a bad stored value is reported and
 * replaced by its default, never a reason for the server not to start (see runtime/reference-cache.ts).
 */
import type { Conn } from '../db.ts';

/** The parsed JSON value, or undefined when the key is absent; `{ unreadable: text }` when it is not valid JSON. */
export async function read({ db }: Conn, key: string): Promise<unknown> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!r) return undefined;
  try {
    return JSON.parse(r.value) as unknown;
  } catch {
    return { unreadable: r.value };
  }
}

export async function write({ db }: Conn, key: string, value: unknown): Promise<void> {
  const v = JSON.stringify(value);
  await db.insertInto('settings').values({ key, value: v }).onConflict((oc) => oc.column('key').doUpdateSet({ value: v })).execute();
}

export async function remove({ db }: Conn, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

/**
 * The reference version: every change to reference data (grids, units, rules, calendar, limits, settings) bumps
 * it in the same transaction, and every node compares it every few seconds and reloads its cache.
 */
export async function referenceVersion(c: Conn): Promise<number> {
  const v = await read(c, 'reference_version');
  return typeof v === 'number' && Number.isFinite(v) ? v : Number(v ?? 0) || 0;
}

export async function bumpReferenceVersion(c: Conn): Promise<number> {
  const v = (await referenceVersion(c)) + 1;
  await write(c, 'reference_version', v);
  return v;
}
