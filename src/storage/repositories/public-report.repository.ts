/**
 * The citizen portal's reports (migration 009): one row per case reported on /portal — the hash of the tracking
 * code, the request fingerprint of a report sent with an Idempotency-Key, and the citizen's rating. The row is
 * written with the case, in its transaction (the new-case writer's related rows).
 */
import type { Conn } from '../db.ts';
import { read } from './settings.repository.ts';

export interface PublicReportRow { caseId: number; codeHash: string; requestHash: string | null; rating: string | null; ratingComment: string | null; ratedAt: number | null }

export async function find({ db }: Conn, caseId: number): Promise<PublicReportRow | undefined> {
  const r = await db.selectFrom('public_reports').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  return r ? {
    caseId: Number(r.case_id), codeHash: r.code_hash, requestHash: r.request_hash, rating: r.rating, ratingComment: r.rating_comment,
    ratedAt: r.rated_at === null ? null : Number(r.rated_at),
  } : undefined;
}

/** Sets the rating if none was recorded yet; false when it already was (rated once). */
export async function rateOnce({ db }: Conn, caseId: number, rating: string, comment: string | null, now: number): Promise<boolean> {
  const r = await db.updateTable('public_reports').set({ rating, rating_comment: comment, rated_at: now })
    .where('case_id', '=', caseId).where('rated_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const secrets = new WeakMap<object, Promise<string>>();
/** The installation's secret (written by migration 009), read once per store. */
export function portalSecret(c: Conn): Promise<string> {
  let s = secrets.get(c);
  if (!s) {
    s = read(c, 'public_report_secret').then((v) => {
      if (typeof v !== 'string' || !v) throw new Error('settings.public_report_secret is missing (migration 009 not applied?)');
      return v;
    });
    s.catch(() => secrets.delete(c));
    secrets.set(c, s);
  }
  return s;
}
