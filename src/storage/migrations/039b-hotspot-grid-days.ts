import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * The hotspot map's grid layer from a grid × day counter (issue 10 part 5, docs/issue-10/decision-support.md
 * "Performance"): `hotspot_grid_days` holds reports per (city day, grid) — the sum of `hotspot_days` over its H3
 * cells — kept by the same job in the same transaction, so the whole city over 90 days reads 90 × grids rows instead
 * of one row per (day, grid, res-9 cell). Filled here from `hotspot_days` for the stores built before.
 * (Second migration of the number assigned to this branch: 039 is the linked tasks' one.)
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('hotspot_grid_days')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('grid_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addPrimaryKeyConstraint('hotspot_grid_days_pk', ['day', 'grid_id'])
    .execute();
  await sql`INSERT INTO hotspot_grid_days (day, grid_id, n, community_id, street_id, district_id)
    SELECT day, grid_id, sum(n), min(community_id), min(street_id), min(district_id) FROM hotspot_days GROUP BY day, grid_id`.execute(db);
}
