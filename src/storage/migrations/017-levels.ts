import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Levels of platform (issue 9 part 3, docs/issue-9/levels.md):
 * - cases.platform_region_id: the handling platform (the street, district or city whose centre coordinates the case);
 *   cases.pending_transfer: the escalation or assignment waiting for its receiver (JSON, as the lifecycle reads it).
 * - case_transfers: every escalation (上报) and assignment down (下派) with its outcome — accepted, refused (with the
 *   reason: counted per platform, the "两层皮" made visible) or withdrawn (the case left the loop while it waited). At
 *   most one pending per case (a partial unique index: two coordinators racing cannot both send one).
 * Backfill: the default policy as intake applies it (src/domain/levels/levels.ts): the platform of the routed unit's
 * level when that is a district or the city, a 非常紧急 case at its district, otherwise its street, else its district,
 * else the city (the root region; a case not located is the city's intake desk's).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('platform_region_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('pending_transfer', 'text').execute();
  await backfill(db);
  await sql`CREATE INDEX cases_platform ON cases (platform_region_id, id)`.execute(db);

  await serialId(db.schema.createTable('case_transfers'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // escalate | assign_down
    .addColumn('from_region_id', 'text', (c) => c.notNull())
    .addColumn('to_region_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text')
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | accepted | refused | withdrawn
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX case_transfers_one_pending ON case_transfers (case_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX case_transfers_to_pending ON case_transfers (to_region_id, case_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX case_transfers_from_pending ON case_transfers (from_region_id, case_id) WHERE status = 'pending'`.execute(db);
  await db.schema.createIndex('case_transfers_requested').on('case_transfers').columns(['requested_at']).execute();
  await db.schema.createIndex('case_transfers_case').on('case_transfers').columns(['case_id', 'id']).execute();
}

/** The handling platform of the cases stored before this migration (exported for its test; safe to run again). */
export async function backfill(db: AnyDb): Promise<void> {
  const root = sql`(SELECT id FROM regions WHERE parent_id IS NULL ORDER BY id LIMIT 1)`;
  await sql`UPDATE cases SET platform_region_id = COALESCE(
      CASE (SELECT r.level FROM units u JOIN regions r ON r.id = u.region_id WHERE u.id = cases.routed_unit_id)
        WHEN 'city' THEN ${root} WHEN 'district' THEN district_id ELSE NULL END,
      CASE WHEN urgency = 'very_urgent' THEN district_id ELSE NULL END,
      street_id, district_id, ${root})
    WHERE platform_region_id IS NULL`.execute(db);
}
