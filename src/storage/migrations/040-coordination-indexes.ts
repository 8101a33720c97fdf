import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The assessment's coordination indicators (src/domain/assessment/coordination.ts) read assisting tasks and transfers
 * by the instant they were issued: index those instants with the unit / the receiving platform beside them, so a
 * month is one range read. (summons_units already has (unit_id, issued_at); the range is the leading column here
 * because every unit is read at once.)
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX case_assist_tasks_dispatched ON case_assist_tasks (dispatched_at, unit_id)`.execute(db);
  await sql`CREATE INDEX case_transfers_requested_to ON case_transfers (requested_at, to_region_id)`.execute(db);
  await sql`CREATE INDEX summons_units_issued ON summons_units (issued_at, unit_id)`.execute(db);
}
