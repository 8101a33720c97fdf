/** Reads for duplicate detection (issue 3 §5): candidate masters by (matter, cell, time), the policy, linked cases. */
import type { Conn } from '../db.ts';
import { normalisePolicy, type DuplicateCandidate, type DuplicatePolicy } from '../../domain/duplicates/duplicates.ts';
import { read, write } from './settings.repository.ts';

export const DUPLICATE_POLICY_KEY = 'duplicate_policy';

/**
 * Open cases that may be the master of a new report: same matter codes, one of `cells`, created at or after
 * `since`, not themselves duplicates. Uses the index cases_dup (matter_code, dup_cell, created_at).
 */
export async function findDuplicateCandidates(
  { db }: Conn, q: { matterCodes: string[]; cells: string[]; since: number; limit?: number; bbox?: { minLon: number; maxLon: number; minLat: number; maxLat: number } },
): Promise<DuplicateCandidate[]> {
  let sel = db.selectFrom('cases')
    .select(['id', 'case_no', 'state', 'lon', 'lat', 'created_at'])
    .where('matter_code', 'in', q.matterCodes)
    .where('dup_cell', 'in', q.cells)
    .where('created_at', '>=', q.since);
  if (q.bbox) {
    sel = sel.where('lon', '>=', q.bbox.minLon).where('lon', '<=', q.bbox.maxLon).where('lat', '>=', q.bbox.minLat).where('lat', '<=', q.bbox.maxLat);
  }
  const rows = await sel
    .where('master_case_id', 'is', null)
    .where('state', 'not in', ['ARCHIVED', 'CANCELLED'])
    .orderBy('created_at').orderBy('id')
    .limit(q.limit ?? 200)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id), caseNo: r.case_no, state: r.state, lon: r.lon === null ? null : Number(r.lon),
    lat: r.lat === null ? null : Number(r.lat), createdAt: Number(r.created_at),
  }));
}

// The policy is read on every create; a short cache keeps that off the hot path. Writes through
// saveDuplicatePolicy on this node take effect at once; other nodes within CACHE_MS.
const CACHE_MS = 5000;
// Keyed by the store's connection object (transactions read through uncached).
const cache = new WeakMap<object, { at: number; policy: DuplicatePolicy }>();

export async function readDuplicatePolicy(c: Conn, now: number): Promise<DuplicatePolicy> {
  const hit = cache.get(c);
  if (hit && now - hit.at < CACHE_MS && now >= hit.at) return hit.policy;
  const policy = normalisePolicy(await read(c, DUPLICATE_POLICY_KEY));
  cache.set(c, { at: now, policy });
  return policy;
}

export async function saveDuplicatePolicy(c: Conn, policy: Partial<DuplicatePolicy>): Promise<DuplicatePolicy> {
  const p = normalisePolicy(policy);
  await write(c, DUPLICATE_POLICY_KEY, p);
  cache.delete(c);
  return p;
}

/** Cases linked to a master, oldest first, with the ids of their attachments (photos). */
export async function listDuplicates({ db }: Conn, masterId: number) {
  const rows = await db.selectFrom('cases').selectAll().where('master_case_id', '=', masterId).orderBy('id').execute();
  const ids = rows.map((r) => Number(r.id));
  const atts = ids.length
    ? await db.selectFrom('attachments').select(['id', 'case_id']).where('case_id', 'in', ids).orderBy('created_at').orderBy('id').execute()
    : [];
  const byCase = new Map<number, string[]>();
  for (const a of atts) byCase.set(Number(a.case_id), [...(byCase.get(Number(a.case_id)) ?? []), a.id]);
  return rows.map((r) => ({ row: r, attachmentIds: byCase.get(Number(r.id)) ?? [] }));
}
