/** Chunked multi-row inserts (seeding, imports): few statements, well under either store's parameter limit. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../db.ts';
import type { Database } from '../schema.ts';

export async function insertChunked<T extends keyof Database & string>(
  db: DbOrTrx, table: T, rows: Insertable<Database[T]>[], chunk = 400,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // Kysely cannot type an insert into a table chosen at run time; the rows are typed by the signature above.
    await (db.insertInto(table) as unknown as { values(r: unknown[]): { execute(): Promise<unknown> } }).values(rows.slice(i, i + chunk)).execute();
  }
}
