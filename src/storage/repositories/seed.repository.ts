/**
 * Bulk writes of seeding (the demo city, reference data packs): chunked multi-row inserts into reference tables.
 * Only reference tables are reachable here; cases are written by the new-case writer, never by a seed.
 */
import type { Insertable } from 'kysely';
import type { Conn } from '../db.ts';
import type { Database } from '../schema.ts';
import { insertChunked } from './bulk.ts';

export type SeedTable = 'regions' | 'units' | 'grids' | 'parts' | 'places' | 'time_limits' | 'admission_list' | 'matter_types';

/** True when the store has no regions yet (a fresh install). */
export async function isEmpty({ db }: Conn): Promise<boolean> {
  const r = await db.selectFrom('regions').select('id').limit(1).execute();
  return r.length === 0;
}

export async function insertRows<T extends SeedTable>({ db }: Conn, table: T, rows: Insertable<Database[T]>[], chunk = 400): Promise<void> {
  await insertChunked(db, table, rows, chunk);
}

/** The standard catalog is replaced as a whole (a city's local matters, local = 1, stay). */
export async function replaceStandardCatalog({ db }: Conn, rows: Insertable<Database['matter_types']>[]): Promise<void> {
  await db.deleteFrom('matter_types').where('local', '=', 0).execute();
  await insertChunked(db, 'matter_types', rows);
}

export async function matterCodes({ db }: Conn): Promise<string[]> {
  return (await db.selectFrom('matter_types').select('code').where('kind', '=', 'matter').execute()).map((m) => m.code);
}
