/** Rosters (值班表, migration 019): entries of who is on duty when, per centre region and unit. */
import type { Conn } from '../db.ts';
import type { RosterTable } from '../field.schema.ts';

export type RosterRow = Omit<RosterTable, 'id'> & { id: number };

function toRow(r: Record<string, unknown>): RosterRow {
  return {
    id: Number(r.id), user_id: String(r.user_id), unit_id: (r.unit_id as string) ?? null, region_id: (r.region_id as string) ?? null,
    duty_role: String(r.duty_role), start_at: Number(r.start_at), end_at: Number(r.end_at), note: (r.note as string) ?? null,
    created_by: (r.created_by as string) ?? null, created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  };
}

export async function insertRoster({ db }: Conn, row: Omit<RosterRow, 'id'>): Promise<number> {
  const r = await db.insertInto('rosters').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateRoster({ db }: Conn, id: number, patch: Partial<Omit<RosterRow, 'id' | 'created_at' | 'created_by'>>): Promise<void> {
  await db.updateTable('rosters').set(patch).where('id', '=', id).execute();
}

export async function deleteRoster({ db }: Conn, id: number): Promise<void> {
  await db.deleteFrom('rosters').where('id', '=', id).execute();
}

export async function findRoster({ db, dialect }: Conn, id: number, opts: { forUpdate?: boolean } = {}): Promise<RosterRow | undefined> {
  let q = db.selectFrom('rosters').selectAll().where('id', '=', id);
  if (opts.forUpdate && dialect === 'postgres') q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** The person's entries that overlap [from, to) (for the overlap check). */
export async function userEntriesOverlapping({ db }: Conn, userId: string, from: number, to: number): Promise<RosterRow[]> {
  const rows = await db.selectFrom('rosters').selectAll().where('user_id', '=', userId).where('start_at', '<', to).where('end_at', '>', from)
    .orderBy('start_at').execute();
  return rows.map(toRow);
}

export interface RosterFilter { from: number; to: number; userId?: string; unitIds?: string[]; regionIds?: string[]; limit: number }

/** Entries overlapping [from, to), optionally of one person, or of some units / centre regions (either matches). */
export async function listRosters({ db }: Conn, f: RosterFilter): Promise<RosterRow[]> {
  let q = db.selectFrom('rosters').selectAll().where('start_at', '<', f.to).where('end_at', '>', f.from);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.unitIds || f.regionIds) {
    const units = f.unitIds ?? [];
    const regions = f.regionIds ?? [];
    if (units.length === 0 && regions.length === 0) return [];
    q = q.where((eb) => eb.or([
      ...(units.length ? [eb('unit_id', 'in', units)] : []),
      ...(regions.length ? [eb('region_id', 'in', regions)] : []),
    ]));
  }
  const rows = await q.orderBy('start_at').orderBy('id').limit(f.limit).execute();
  return rows.map(toRow);
}
