import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/** A seat's own log (issue 8: "my calls today"): the calls one seat took, newest first, without reading everyone's. */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX hotline_calls_by_seat ON hotline_calls (created_by, created_at)`.execute(db);
}
