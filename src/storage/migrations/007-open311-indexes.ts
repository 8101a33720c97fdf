import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Open311 GET requests by service_code (issue 3 §3): the list is newest first inside the date window, which the
 * repository turns into an id range (open311.repository.ts). Without an index on the matter code, a filter by a
 * rare service scans every case of the 90-day window (~250,000 rows at a million cases a year: ~50 ms, seconds
 * under load). (matter_code, id) answers one code as an ordered range scan that stops at the page size, and
 * several codes with one range per code; a common code costs what the unfiltered list does.
 * Every index costs each insert: this one is a text + integer key.
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('cases_matter_id').on('cases').columns(['matter_code', 'id']).execute();
}
