/**
 * The extra questions of each matter (GeoReport v2 service-definition attributes), versioned: every save of a
 * matter's set is a new row (matter_code, version); the highest version is current (migration 011).
 */
import type { Conn } from '../db.ts';

export interface AttributeSetRow {
  matterCode: string;
  version: number;
  /** The definitions as stored (JSON list, validated by src/domain/catalog/attributes.ts before saving). */
  attributes: unknown[];
  createdAt: number;
  createdBy: string | null;
}

const toRow = (r: { matter_code: string; version: number | string; attributes: string; created_at: number | string; created_by: string | null }): AttributeSetRow => ({
  matterCode: r.matter_code, version: Number(r.version), attributes: JSON.parse(r.attributes) as unknown[],
  createdAt: Number(r.created_at), createdBy: r.created_by,
});

/** The current set of every matter that ever had one (an empty list when its questions were removed). */
export async function currentAttributeSets({ db }: Conn): Promise<AttributeSetRow[]> {
  const latest = db.selectFrom('matter_attributes').select(['matter_code as code']).select((eb) => eb.fn.max('version').as('v')).groupBy('matter_code');
  const rows = await db.selectFrom('matter_attributes as m').innerJoin(latest.as('l'), (j) => j.onRef('l.code', '=', 'm.matter_code').onRef('l.v', '=', 'm.version'))
    .select(['m.matter_code', 'm.version', 'm.attributes', 'm.created_at', 'm.created_by']).execute();
  return rows.map(toRow);
}

/** One matter's set: the given version, else the current one; undefined when none was ever saved. */
export async function findAttributeSet({ db }: Conn, matterCode: string, version?: number): Promise<AttributeSetRow | undefined> {
  let q = db.selectFrom('matter_attributes').selectAll().where('matter_code', '=', matterCode);
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return r ? toRow(r) : undefined;
}

/** The versions saved for a matter, newest first (without their definitions). */
export async function listAttributeVersions({ db }: Conn, matterCode: string): Promise<{ version: number; createdAt: number; createdBy: string | null; count: number }[]> {
  const rows = await db.selectFrom('matter_attributes').select(['version', 'created_at', 'created_by', 'attributes'])
    .where('matter_code', '=', matterCode).orderBy('version', 'desc').execute();
  return rows.map((r) => ({
    version: Number(r.version), createdAt: Number(r.created_at), createdBy: r.created_by, count: (JSON.parse(r.attributes) as unknown[]).length,
  }));
}

/** Saves a new version of a matter's set (a concurrent save of the same version fails on the primary key). */
export async function insertAttributeSet({ db }: Conn, row: AttributeSetRow): Promise<void> {
  await db.insertInto('matter_attributes').values({
    matter_code: row.matterCode, version: row.version, attributes: JSON.stringify(row.attributes), created_at: row.createdAt, created_by: row.createdBy,
  }).execute();
}
