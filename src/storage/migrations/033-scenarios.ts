import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Scenarios (issue 11 part 6; docs/issue-11/scenarios.md): the shop-sign registry (店招店牌: owner, address,
 * position, last inspection), the inspection tasks raised for signs (periodic, or after a wind warning — each a case
 * filed through the intake contract; the row keeps the key that makes raising it twice harmless) and the wind
 * warnings operators enter.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createTable('shop_signs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('owner_phone', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('grid_id', 'text')
    .addColumn('community_id', 'text')
    .addColumn('street_id', 'text')
    .addColumn('district_id', 'text')
    .addColumn('area_m2', 'double precision')
    .addColumn('inspect_every_days', 'integer', (c) => c.notNull())
    .addColumn('last_inspected_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX shop_signs_street ON shop_signs (street_id)`.execute(db);
  await sql`CREATE INDEX shop_signs_district ON shop_signs (district_id)`.execute(db);

  await serialId(db.schema.createTable('wind_warnings'), dialect)
    .addColumn('level', 'text', (c) => c.notNull()) // blue | yellow | orange | red
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('signs', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_by_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('shop_sign_inspections')
    .addColumn('key', 'text', (c) => c.primaryKey()) // `${signId}:${periodic day | wind-<warning id>}`
    .addColumn('sign_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // periodic | wind
    .addColumn('wind_warning_id', 'integer')
    .addColumn('case_id', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull()) // case | unfiled
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX shop_sign_inspections_sign ON shop_sign_inspections (sign_id, created_at)`.execute(db);
}
