/**
 * Migrations run on start. Each migration runs in its own transaction (both stores have transactional DDL)
 * and is recorded in `cityops_migrations`; a second process on PostgreSQL waits on an advisory lock.
 */
import { sql } from 'kysely';
import type { DbHandle } from './db.ts';
import * as m001 from './migrations/001-initial.ts';
import * as m002 from './migrations/002-append-only-history.ts';
import * as m003 from './migrations/003-webhooks.ts';
import * as m004 from './migrations/004-hotline.ts';
import * as m005 from './migrations/005-duplicates.ts';
import * as m006 from './migrations/006-console.ts';
import * as m007 from './migrations/007-open311-indexes.ts';
import * as m008 from './migrations/008-hotline-followup.ts';
import * as m009 from './migrations/009-public-reports.ts';
import * as m010 from './migrations/010-visibility.ts';
import * as m011 from './migrations/011-open311.ts';
import * as m012 from './migrations/012-lifecycle-clocks.ts';
import * as m014 from './migrations/014-hotline-feedback-clock.ts';
import * as m015 from './migrations/015-joint-action.ts';
import * as m016 from './migrations/016-summons.ts';
import * as m017 from './migrations/017-levels.ts';
import * as m018 from './migrations/018-alerting.ts';
import * as m019 from './migrations/019-field-resources.ts';
import * as m020 from './migrations/020-case-search.ts';
import * as m021 from './migrations/021-seat-log.ts';
import * as m028 from './migrations/028-sensing-devices.ts';
import * as m023 from './migrations/023-desks.ts';
import * as m022 from './migrations/022-assessment.ts';
import * as m024 from './migrations/024-decision-support.ts';
import * as m030 from './migrations/030-sensing-rules-alarms.ts';
import * as m025 from './migrations/025-exports.ts';
import * as m029 from './migrations/029-sensing-readings.ts';
import * as m031 from './migrations/031-case-verifier.ts';
import * as m033 from './migrations/033-scenarios.ts';
import * as m036 from './migrations/036-case-search-units.ts';
import * as m037 from './migrations/037-case-search-unit-words.ts';
import * as m039 from './migrations/039-linked-task-closure.ts';
import * as m039b from './migrations/039b-hotspot-grid-days.ts';
import * as m040 from './migrations/040-coordination-indexes.ts';
import * as m041 from './migrations/041-assist-overdue.ts';

const MIGRATIONS: { name: string; up: typeof m001.up }[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-append-only-history', up: m002.up },
  { name: '003-webhooks', up: m003.up },
  { name: '004-hotline', up: m004.up },
  { name: '005-duplicates', up: m005.up },
  { name: '006-console', up: m006.up },
  { name: '007-open311-indexes', up: m007.up },
  { name: '008-hotline-followup', up: m008.up },
  { name: '009-public-reports', up: m009.up },
  { name: '010-visibility', up: m010.up },
  { name: '011-open311', up: m011.up },
  { name: '012-lifecycle-clocks', up: m012.up },
  { name: '014-hotline-feedback-clock', up: m014.up },
  { name: '015-joint-action', up: m015.up },
  { name: '016-summons', up: m016.up },
  { name: '017-levels', up: m017.up },
  { name: '018-alerting', up: m018.up },
  { name: '019-field-resources', up: m019.up },
  { name: '020-case-search', up: m020.up },
  { name: '021-seat-log', up: m021.up },
  { name: '022-assessment', up: m022.up },
  { name: '023-desks', up: m023.up },
  { name: '024-decision-support', up: m024.up },
  { name: '025-exports', up: m025.up },
  { name: '028-sensing-devices', up: m028.up },
  { name: '029-sensing-readings', up: m029.up },
  { name: '030-sensing-rules-alarms', up: m030.up },
  { name: '031-case-verifier', up: m031.up },
  { name: '033-scenarios', up: m033.up },
  { name: '036-case-search-units', up: m036.up },
  { name: '037-case-search-unit-words', up: m037.up },
  { name: '039-linked-task-closure', up: m039.up },
  { name: '039b-hotspot-grid-days', up: m039b.up },
  { name: '040-coordination-indexes', up: m040.up },
  { name: '041-assist-overdue', up: m041.up },
];

export async function migrate(h: DbHandle): Promise<string[]> {
  const { db, dialect } = h;
  await sql`CREATE TABLE IF NOT EXISTS cityops_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)`.execute(db);
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    const done = await db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(72657)`.execute(trx);
      const row = await sql<{ name: string }>`SELECT name FROM cityops_migrations WHERE name = ${m.name}`.execute(trx);
      if (row.rows.length > 0) return false;
      await m.up(trx, dialect);
      await sql`INSERT INTO cityops_migrations (name, applied_at) VALUES (${m.name}, ${Date.now()})`.execute(trx);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}
