import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * Issue 9 parts 5–7: notifications, emergencies that ring, shift handover.
 *
 * - `job_cursors`: where a job that tails the outbox stands (one row per job). The notification fan-out advances its
 *   row with a conditional UPDATE (… WHERE cursor = <what it read>), so two nodes never fan out the same rows.
 * - `notifications`: one per (user, outbox row) — the unique key makes a fan-out run twice harmless.
 * - `notify_preferences`, `notify_deliveries`: which kinds also go out of the console (SMS, work message) and the
 *   delivery log of those that did.
 * - `emergency_alerts`: one per case that rang; its tier (street → district → city), when the next escalation is
 *   due, and who acknowledged it. `version` guards every change (conditional UPDATE), so an escalation fires once.
 * - `shift_handovers`: a shift closed by its leader and acknowledged by the next.
 * - `major_incidents`, `incident_cases`, `incident_entries`: the major-incident mode — one command record grouping
 *   related cases, with its timeline (opened, cases added, situation reports 续报, resources assigned, closed).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createTable('job_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('cursor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // New installations (and upgrades) start at the end of the outbox: old events do not become notifications.
  await sql`INSERT INTO job_cursors (name, cursor, updated_at) SELECT 'notifications', COALESCE(MAX(id), 0), 0 FROM outbox`.execute(db);

  await serialId(db.schema.createTable('notifications'), dialect)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint')
    .addColumn('case_no', 'text')
    .addColumn('details', 'text', (c) => c.notNull()) // JSON: what the console shows beside the kind
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addUniqueConstraint('notifications_user_outbox', ['user_id', 'outbox_id'])
    .execute();
  await db.schema.createIndex('notifications_user_recent').on('notifications').columns(['user_id', 'id']).execute();
  await sql`CREATE INDEX notifications_user_unread ON notifications (user_id) WHERE read_at IS NULL`.execute(db);

  await db.schema.createTable('notify_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull()) // none | sms | work_message | log
    .addColumn('kinds', 'text', (c) => c.notNull()) // JSON array of kinds that go out
    .addColumn('address', 'text') // phone number or work-message account
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await serialId(db.schema.createTable('notify_deliveries'), dialect)
    .addColumn('notification_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sending | sent | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('notify_deliveries_status').on('notify_deliveries').columns(['status', 'id']).execute();

  await serialId(db.schema.createTable('emergency_alerts'), dialect)
    .addColumn('case_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('case_no', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // ringing | acknowledged | closed
    .addColumn('tier', 'integer', (c) => c.notNull()) // index into the case's ring tiers (0 = street level)
    .addColumn('tiers', 'text', (c) => c.notNull()) // JSON [{ level, regionIds }]
    .addColumn('unit_ids', 'text', (c) => c.notNull()) // JSON: units holding the case when it rang
    .addColumn('region_ids', 'text', (c) => c.notNull()) // JSON: the case's regions (for its events)
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('ack_due_at', 'bigint') // NULL: nothing more to escalate (acknowledged, closed, or at the top)
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_by_name', 'text')
    .addColumn('ack_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`CREATE INDEX emergency_alerts_due ON emergency_alerts (ack_due_at) WHERE ack_due_at IS NOT NULL`.execute(db);
  await db.schema.createIndex('emergency_alerts_state').on('emergency_alerts').columns(['state', 'id']).execute();

  await serialId(db.schema.createTable('shift_handovers'), dialect)
    .addColumn('region_id', 'text')
    .addColumn('shift_label', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    .addColumn('closed_by_name', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'bigint', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull()) // JSON: the generated summary (open, urgent, overdue, ringing)
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('next_leader_id', 'text')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_by_name', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('ack_note', 'text')
    .execute();
  await db.schema.createIndex('shift_handovers_recent').on('shift_handovers').columns(['closed_at']).execute();

  await serialId(db.schema.createTable('major_incidents'), dialect)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull()) // I | II | III | IV (特别重大 / 重大 / 较大 / 一般)
    .addColumn('region_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // open | closed
    .addColumn('commander_id', 'text', (c) => c.notNull())
    .addColumn('commander_name', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createTable('incident_cases')
    .addColumn('incident_id', 'bigint', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_cases_pk', ['incident_id', 'case_id'])
    .execute();
  await db.schema.createIndex('incident_cases_case').on('incident_cases').columns(['case_id']).execute();
  await serialId(db.schema.createTable('incident_entries'), dialect)
    .addColumn('incident_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // opened | case_added | report | resource | closed
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull()) // JSON
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_entries_incident').on('incident_entries').columns(['incident_id', 'id']).execute();
}
