/**
 * Storage of the citizen portal (migration 009): the `public_reports` row of each case reported on /portal (hash of
 * the tracking code, the rating), and the per-installation secret the tracking codes of retried reports derive from.
 * The table is not part of the shared typed schema; `withTables` adds it for the queries here.
 */
import crypto from 'node:crypto';
import type { Db } from '../../../storage/db.ts';
import { readSetting } from '../../../storage/repositories/reference.repository.ts';

export interface PublicReportTable {
  case_id: number;
  code_hash: string;
  request_hash: string | null;
  created_at: number;
  rating: string | null;
  rating_comment: string | null;
  rated_at: number | null;
}

const tables = (db: Db) => db.withTables<{ public_reports: PublicReportTable }>();

export interface PublicReportRow { caseId: number; codeHash: string; requestHash: string | null; rating: string | null; ratingComment: string | null; ratedAt: number | null }

export async function findPublicReport(db: Db, caseId: number): Promise<PublicReportRow | undefined> {
  const r = await tables(db).selectFrom('public_reports').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? {
    caseId: Number(r.case_id), codeHash: r.code_hash, requestHash: r.request_hash, rating: r.rating, ratingComment: r.rating_comment,
    ratedAt: r.rated_at === null ? null : Number(r.rated_at),
  } : undefined;
}

/** Records the report (once per case: a retry of the same report finds the row already there). */
export async function insertPublicReport(db: Db, caseId: number, codeHash: string, requestHash: string | null, now: number): Promise<void> {
  await tables(db).insertInto('public_reports').values({ case_id: caseId, code_hash: codeHash, request_hash: requestHash, created_at: now, rating: null, rating_comment: null, rated_at: null })
    .onConflict((oc) => oc.column('case_id').doNothing()).execute();
}

/** Sets the rating if none was recorded yet; false when it already was (rated once). */
export async function rateOnce(db: Db, caseId: number, rating: string, comment: string | null, now: number): Promise<boolean> {
  const r = await tables(db).updateTable('public_reports').set({ rating, rating_comment: comment, rated_at: now })
    .where('case_id', '=', caseId).where('rated_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const secrets = new WeakMap<object, Promise<string>>();
/** The installation's secret (written by migration 009), read once per database handle. */
export function portalSecret(db: Db): Promise<string> {
  let s = secrets.get(db);
  if (!s) {
    s = readSetting<string>(db, 'public_report_secret').then((v) => {
      if (!v) throw new Error('settings.public_report_secret is missing (migration 009 not applied?)');
      return v;
    });
    s.catch(() => secrets.delete(db));
    secrets.set(db, s);
  }
  return s;
}

// Crockford-like alphabet without 0/O/1/I/L: read aloud or typed from a phone without confusion.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 10;

function encode(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** A fresh tracking code, or — for a report sent with an Idempotency-Key — the one derived from the key. */
export function trackingCode(secret: string, idempotencyKey: string | undefined): string {
  const bytes = idempotencyKey
    ? crypto.createHmac('sha256', secret).update(`portal-code:${idempotencyKey}`).digest()
    : crypto.randomBytes(32);
  return encode(bytes);
}

/** Codes are compared case-insensitively, without spaces or dashes (shown as ABCDE-FGHJK). */
export const normaliseCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');
export const hashCode = (code: string): string => crypto.createHash('sha256').update(`portal:${normaliseCode(code)}`).digest('hex');
export const formatCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** Constant-time comparison of a presented code against the stored hash. */
export function codeMatches(code: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
