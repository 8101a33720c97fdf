/** The camera registry (issue 11 part 5): position, direction and the stream on the city's own video platform. */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { CameraTable } from '../sensing-rules.schema.ts';

export type CameraRow = Selectable<CameraTable>;

export async function saveCamera({ db }: Conn, row: Insertable<CameraTable>): Promise<void> {
  const { id: _id, created_at: _created, ...rest } = row;
  await db.insertInto('cameras').values(row).onConflict((oc) => oc.column('id').doUpdateSet(rest)).execute();
}

export async function findCamera({ db }: Conn, id: string): Promise<CameraRow | undefined> {
  return db.selectFrom('cameras').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCameras({ db }: Conn, opts: { limit: number; afterId?: string }): Promise<CameraRow[]> {
  let q = db.selectFrom('cameras').selectAll();
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  return q.orderBy('id').limit(opts.limit).execute();
}

/** Cameras inside a square around a point (index cameras_position); the caller sorts by true distance. */
export async function camerasNear({ db }: Conn, box: { minLon: number; maxLon: number; minLat: number; maxLat: number }, limit: number): Promise<CameraRow[]> {
  return db.selectFrom('cameras').selectAll()
    .where('lon', '>=', box.minLon).where('lon', '<=', box.maxLon).where('lat', '>=', box.minLat).where('lat', '<=', box.maxLat)
    .limit(limit).execute();
}
