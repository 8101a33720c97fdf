import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect } from '../db.ts';
import type { AnyDb } from './ddl.ts';

/**
 * Open311 for FixMyStreet's client (issue: service attributes, the servicerequestupdates extension).
 *
 * - `matter_attributes`: the extra questions of a matter (GeoReport v2 service definition attributes), one row per
 *   saved version of a matter's whole set (JSON list); the current set is the highest version. Every save is a new
 *   row, so what was asked at any time stays on record.
 * - `cases.attributes`: a report's answers (JSON list of {code, description, datatype, values, labels}), written with
 *   the case in its one transaction; NULL when the matter asked nothing.
 * - `open311_media_secret` (settings): a random key made here once per installation. Photos published in the
 *   update feed are served at capability URLs signed with it (/open311/v2/media/{id}/{signature}).
 */
export async function up(db: AnyDb, _dialect: Dialect): Promise<void> {
  await db.schema.createTable('matter_attributes')
    .addColumn('matter_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addPrimaryKeyConstraint('matter_attributes_pk', ['matter_code', 'version'])
    .execute();
  await db.schema.alterTable('cases').addColumn('attributes', 'text').execute();
  const secret = JSON.stringify(crypto.randomBytes(32).toString('hex'));
  await sql`INSERT INTO settings (key, value) VALUES ('open311_media_secret', ${secret})`.execute(db);
}
