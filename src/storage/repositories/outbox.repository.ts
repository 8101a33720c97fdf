/**
 * The outbox: every committed change leaves one row here, in the same transaction as the change. Live streams and
 * webhooks tail it. `caseEvent` is the ONE place a case's event is made: its audience (regions and units) comes from
 * the case row as the visibility policy reads it (src/domain/policy/visibility.ts), so a stream shows exactly the
 * events of the cases its user may see.
 */
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
import { insertChunked } from './bulk.ts';

export interface OutboxEvent {
  topic: string;
  caseId: number | null;
  /** Units the event concerns: the units holding the case (and, on a change, those that held it just before). */
  unitIds: string[];
  /** The case's place: district, street, community (the hub adds their ancestors). */
  regionIds: string[];
  payload: Record<string, unknown>;
  at: number;
}

export interface OutboxRow extends OutboxEvent {
  id: number;
}

/** The columns of a case that say who it concerns. */
export interface CaseAudienceRow {
  id: number;
  district_id: string | null;
  street_id: string | null;
  community_id: string | null;
  assigned_unit_id: string | null;
  sub_unit_id: string | null;
  assisting_unit_ids: string | null;
}

/** The units holding a case (visibility policy: assigned, sub-unit, assisting). */
export function holdingUnits(row: Pick<CaseAudienceRow, 'assigned_unit_id' | 'sub_unit_id' | 'assisting_unit_ids'>): string[] {
  return [row.assigned_unit_id, row.sub_unit_id, ...fromJson<string[]>(row.assisting_unit_ids, [])].filter((u): u is string => !!u);
}

/**
 * An event about a case. `before` is the case as it was before the change (when it changed hands, the units that
 * held it learn that it left them).
 */
export function caseEvent(
  topic: string, row: CaseAudienceRow, payload: Record<string, unknown>, at: number,
  before?: Pick<CaseAudienceRow, 'assigned_unit_id' | 'sub_unit_id' | 'assisting_unit_ids'>,
): OutboxEvent {
  const units = new Set([...holdingUnits(row), ...(before ? holdingUnits(before) : [])]);
  return {
    topic, caseId: Number(row.id), unitIds: [...units],
    regionIds: [row.district_id, row.street_id, row.community_id].filter((x): x is string => !!x),
    payload, at,
  };
}

export const outboxRow = (e: OutboxEvent) => ({
  topic: e.topic, case_id: e.caseId, unit_ids: toJson(e.unitIds), region_ids: toJson(e.regionIds),
  payload: toJson(e.payload), created_at: e.at,
});

export async function append({ db }: Conn, e: OutboxEvent): Promise<void> {
  await db.insertInto('outbox').values(outboxRow(e)).execute();
}

export async function appendMany({ db }: Conn, events: OutboxEvent[]): Promise<void> {
  await insertChunked(db, 'outbox', events.map(outboxRow), 500);
}

type RawOutbox = { id: number; topic: string; case_id: number | null; unit_ids: string; region_ids: string; payload: string; created_at: number };

export async function readAfter({ db }: Conn, afterId: number, limit: number): Promise<OutboxRow[]> {
  const rows = await db.selectFrom('outbox').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toRow);
}

export async function readIds({ db }: Conn, ids: number[]): Promise<OutboxRow[]> {
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

export async function lastId({ db }: Conn): Promise<number> {
  const r = await db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}
