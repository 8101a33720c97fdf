/**
 * The gazetteer in the `places` table (roads with house numbers, compounds, landmarks): reading it into the
 * geocoder, listing it, and the writes of an import. `details` holds {houseNumbers, propertyUnitId, category}.
 */
import { sql } from 'kysely';
import { Gazetteer, type GazetteerPlace, type HouseNumberPoint, type NormalizeOptions, type PlaceKind } from '../../domain/geocode/index.ts';
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
import { insertChunked } from './bulk.ts';

interface Details { houseNumbers?: HouseNumberPoint[]; propertyUnitId?: string | null; category?: string | null }
type Geometry = { type?: string; coordinates?: unknown } | null;

/** Every place, as the geocoder wants it (road centre lines kept, polygons not needed). */
export async function loadGazetteerPlaces({ db }: Conn): Promise<GazetteerPlace[]> {
  const rows = await db.selectFrom('places')
    .select(['id', 'kind', 'name', 'community_id', 'address', 'lon', 'lat', 'details',
      sql<string | null>`case when kind = 'road' then geometry else null end`.as('geometry')])
    .orderBy('id').execute();
  const out: GazetteerPlace[] = [];
  for (const r of rows) {
    const d = fromJson<Details>(r.details, {});
    const g = fromJson<Geometry>(r.geometry, null);
    const lines = g?.type === 'LineString' ? [g.coordinates as number[][]] : g?.type === 'MultiLineString' ? g.coordinates as number[][][] : [];
    const first = d.houseNumbers?.[0];
    const lon = r.lon ?? first?.lon;
    const lat = r.lat ?? first?.lat;
    if (lon === undefined || lat === undefined || lon === null || lat === null) continue;
    out.push({
      id: Number(r.id), kind: r.kind as PlaceKind, name: r.name, communityId: r.community_id, address: r.address,
      lon, lat, category: d.category ?? null, houseNumbers: d.houseNumbers ?? [], lines,
    });
  }
  return out;
}

/** The geocoder over the stored gazetteer. */
export async function loadGazetteer(c: Conn, opts: NormalizeOptions = {}, extra: readonly GazetteerPlace[] = []): Promise<Gazetteer> {
  return new Gazetteer([...await loadGazetteerPlaces(c), ...extra], opts);
}

export interface PlaceSummary {
  id: number; kind: string; name: string; communityId: string | null; address: string | null;
  lon: number | null; lat: number | null; category: string | null; propertyUnitId: string | null; houseNumbers: number;
}

/** A page of places, filtered by kind and by a piece of name or address (LIKE, wildcards escaped). */
export async function listPlaces(
  { db }: Conn, f: { kind?: string; q?: string; limit: number; offset: number },
): Promise<{ items: PlaceSummary[]; total: number }> {
  let q = db.selectFrom('places');
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`(name like ${like} escape '\\' or address like ${like} escape '\\')`);
  }
  const [rows, count] = await Promise.all([
    q.select(['id', 'kind', 'name', 'community_id', 'address', 'lon', 'lat', 'details'])
      .orderBy('kind').orderBy('name').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return {
    total: Number(count?.n ?? 0),
    items: rows.map((r) => {
      const d = fromJson<Details>(r.details, {});
      return {
        id: Number(r.id), kind: r.kind, name: r.name, communityId: r.community_id, address: r.address, lon: r.lon, lat: r.lat,
        category: d.category ?? null, propertyUnitId: d.propertyUnitId ?? null, houseNumbers: d.houseNumbers?.length ?? 0,
      };
    }),
  };
}

export interface NewPlace {
  kind: PlaceKind; name: string; communityId: string | null; address: string | null; lon: number; lat: number;
  geometry: unknown; houseNumbers: HouseNumberPoint[]; propertyUnitId: string | null; category: string | null;
}

/** Stored roads of these names, with their house numbers (an import adds door plates to them). */
export async function findRoadsByName({ db }: Conn, names: string[]): Promise<{ id: number; name: string; houseNumbers: HouseNumberPoint[]; details: Details }[]> {
  const out: { id: number; name: string; houseNumbers: HouseNumberPoint[]; details: Details }[] = [];
  for (let i = 0; i < names.length; i += 500) {
    const rows = await db.selectFrom('places').select(['id', 'name', 'details'])
      .where('kind', '=', 'road').where('name', 'in', names.slice(i, i + 500)).orderBy('id').execute();
    for (const r of rows) {
      const details = fromJson<Details>(r.details, {});
      out.push({ id: Number(r.id), name: r.name, houseNumbers: details.houseNumbers ?? [], details });
    }
  }
  return out;
}

export async function updateRoadNumbers({ db }: Conn, id: number, details: Details, houseNumbers: HouseNumberPoint[]): Promise<void> {
  await db.updateTable('places').set({ details: toJson({ ...details, houseNumbers }) }).where('id', '=', id).execute();
}

/** Remove the places of this kind with these names (an upsert replaces them); returns how many went. */
export async function deletePlacesByName({ db }: Conn, kind: PlaceKind, names: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < names.length; i += 500) {
    const r = await db.deleteFrom('places').where('kind', '=', kind).where('name', 'in', names.slice(i, i + 500)).executeTakeFirst();
    n += Number(r.numDeletedRows ?? 0);
  }
  return n;
}

export async function deleteAllPlaces({ db }: Conn): Promise<number> {
  const r = await db.deleteFrom('places').executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}

export async function insertPlaces({ db }: Conn, places: NewPlace[]): Promise<void> {
  await insertChunked(db, 'places', places.map((p) => ({
    kind: p.kind, name: p.name, community_id: p.communityId, address: p.address, lon: p.lon, lat: p.lat,
    geometry: toJson(p.geometry),
    details: toJson({ houseNumbers: p.houseNumbers, propertyUnitId: p.propertyUnitId ?? undefined, category: p.category ?? undefined }),
  })), 100);
}
