/** Portable DDL helpers shared by the migrations. */
import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../db.ts';

// Migrations run against the schema as it was then, not today's typed Database.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** An auto-increment integer primary key on either store. */
export function serialId<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === 'postgres'
    ? t.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
