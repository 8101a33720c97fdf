/** Chunked multi-row inserts (seeding, imports): few statements, well under either store's parameter limit. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../db.ts';
import type { Database } from '../schema.ts';

export async function insertChunked<T extends keyof Database & string>(
  db: DbOrTrx, table: T, rows: Insertable<Database[T]>[], chunk = 400,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (db.insertInto(table) as any).values(rows.slice(i, i + chunk)).execute();
  }
}
