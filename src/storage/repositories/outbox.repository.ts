/** The outbox: every committed change leaves one row here, in the same transaction as the change. */
import type { DbOrTrx } from '../db.ts';
import { toJson } from '../db.ts';
import { insertChunked } from './bulk.ts';

export interface OutboxEvent {
  topic: string;
  caseId: number | null;
  unitIds: string[];
  regionIds: string[];
  payload: Record<string, unknown>;
  at: number;
}

export interface OutboxRow extends OutboxEvent {
  id: number;
}

export async function appendOutbox(db: DbOrTrx, e: OutboxEvent): Promise<void> {
  await db.insertInto('outbox').values({
    topic: e.topic, case_id: e.caseId, unit_ids: toJson(e.unitIds), region_ids: toJson(e.regionIds),
    payload: toJson(e.payload), created_at: e.at,
  }).execute();
}

export async function appendOutboxMany(db: DbOrTrx, events: OutboxEvent[]): Promise<void> {
  await insertChunked(db, 'outbox', events.map((e) => ({
    topic: e.topic, case_id: e.caseId, unit_ids: toJson(e.unitIds), region_ids: toJson(e.regionIds),
    payload: toJson(e.payload), created_at: e.at,
  })), 500);
}

type RawOutbox = { id: number; topic: string; case_id: number | null; unit_ids: string; region_ids: string; payload: string; created_at: number };

export async function readOutboxAfter(db: DbOrTrx, afterId: number, limit: number): Promise<OutboxRow[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toRow);
}

export async function readOutboxIds(db: DbOrTrx, ids: number[]): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids.slice(0, 1000)).orderBy('id').execute();
  return rows.map(toRow);
}

function toRow(r: RawOutbox): OutboxRow {
  return ({
    id: Number(r.id), topic: r.topic, caseId: r.case_id === null ? null : Number(r.case_id),
    unitIds: JSON.parse(r.unit_ids), regionIds: JSON.parse(r.region_ids), payload: JSON.parse(r.payload),
    at: Number(r.created_at),
  });
}

export async function lastOutboxId(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}
