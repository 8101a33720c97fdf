/**
 * PostgreSQL's new-case writer: group commit too, because every commit waits for a WAL flush. Plans queued while
 * earlier batches are being written go together in one transaction with multi-row INSERTs (a few round trips for
 * the whole batch); several batches run at once (the pool). Numbers come from a sequence, so concurrent writers
 * never wait on a counter row and numbers stay unique across processes.
 *
 * One path for every plan: idempotency keys and attachments are checked inside the batch's transaction (refused
 * plans are answered and left out; nothing of theirs is written), then the batch is written. If the batch fails
 * (e.g. two first attempts with one key in concurrent batches meet on the key's primary key), each of its plans is
 * replayed as a batch of its own, so each succeeds or fails alone; a replay that meets a concurrent first attempt
 * on the key once more answers as the repeat it is.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { DomainError, invalidAs } from '../../domain/errors.ts';
import type { DuplicateCandidate } from '../../domain/duplicates/duplicates.ts';
import type { DbHandle, DbOrTrx } from '../db.ts';
import { isUniqueViolation } from '../codec.ts';
import type { NewCasePlan, NewCaseRow, NewCaseWriter, PersistResult, DuplicateMatch } from './plan.ts';
import { caseNoOf, historyRowOf, idempotencyConflict, idempotencyRowOf, outboxRowOf } from './rows.ts';

interface Job { p: NewCasePlan; resolve: (r: PersistResult) => void; reject: (e: unknown) => void }
type Outcome = { ok: true; value: PersistResult } | { ok: false; error: unknown };

export function postgresNewCaseWriter(h: DbHandle, maxBatch = 128, maxConcurrentBatches = 4): NewCaseWriter {
  const queue: Job[] = [];
  let running = 0;

  async function writeJobs(plans: NewCasePlan[]): Promise<Outcome[]> {
    return h.db.transaction().execute(async (trx) => {
      const out: (Outcome | undefined)[] = new Array(plans.length);
      // Checks first: repeats are answered, refusals reported; neither writes anything.
      const repeats = await priorResults(trx, plans);
      const taken = await unavailableAttachments(trx, plans);
      plans.forEach((p, i) => {
        const prior = repeats[i];
        if (prior) {
          out[i] = prior.request_hash === p.idempotency!.requestHash
            ? { ok: true, value: { created: false, id: Number(prior.result_id) } }
            : { ok: false, error: idempotencyConflict() };
          return;
        }
        const bad = p.attachmentIds.find((a) => taken.has(a));
        if (bad) out[i] = { ok: false, error: invalidAs('attachmentIds', { key: 'postgres.unknown_attachment_or_one_that', params: { bad: String(bad) } }, `unknown attachment ${bad}, or one that belongs to another case`) };
      });
      const idx = plans.flatMap((_, i) => (out[i] ? [] : [i]));
      if (idx.length) {
        const written = await writeBatch(trx, idx.map((i) => plans[i]));
        idx.forEach((i, k) => { out[i] = { ok: true, value: written[k] }; });
      }
      return out as Outcome[];
    });
  }

  async function runBatch(jobs: Job[]): Promise<void> {
    try {
      const outcomes = await writeJobs(jobs.map((j) => j.p));
      jobs.forEach((j, i) => settle(j, outcomes[i]));
    } catch {
      await Promise.all(jobs.map(async (j) => {
        try {
          settle(j, (await writeJobs([j.p]))[0]);
        } catch (err) {
          if (j.p.idempotency && isUniqueViolation(err)) {
            try { settle(j, (await writeJobs([j.p]))[0]); } catch (again) { j.reject(again); }
          } else j.reject(err);
        }
      }));
    }
  }

  function pump(): void {
    while (running < maxConcurrentBatches && queue.length > 0) {
      const jobs = queue.splice(0, maxBatch);
      running++;
      void runBatch(jobs).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    persist: (p) => new Promise<PersistResult>((resolve, reject) => {
      queue.push({ p, resolve, reject });
      pump();
    }),
  };
}

function settle(j: Job, o: Outcome): void {
  if (o.ok) j.resolve(o.value);
  else j.reject(o.error);
}

async function priorResults(trx: DbOrTrx, plans: NewCasePlan[]) {
  const keyed = plans.filter((p) => p.idempotency);
  if (!keyed.length) return plans.map(() => undefined);
  const rows = await trx.selectFrom('idempotency').select(['scope', 'key', 'request_hash', 'result_id'])
    .where((eb) => eb.or(keyed.map((p) => eb.and([eb('scope', '=', p.idempotency!.scope), eb('key', '=', p.idempotency!.key)]))))
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.scope}\u0000${r.key}`, r]));
  return plans.map((p) => (p.idempotency ? byKey.get(`${p.idempotency.scope}\u0000${p.idempotency.key}`) : undefined));
}

/** Attachments named by the plans that do not exist or already belong to a case. */
async function unavailableAttachments(trx: DbOrTrx, plans: NewCasePlan[]): Promise<Set<string>> {
  const wanted = [...new Set(plans.flatMap((p) => p.attachmentIds))];
  if (!wanted.length) return new Set();
  const free = new Set((await trx.selectFrom('attachments').select('id').where('id', 'in', wanted).where('case_id', 'is', null).execute()).map((r) => r.id));
  return new Set(wanted.filter((a) => !free.has(a)));
}

async function writeBatch(trx: DbOrTrx, plans: NewCasePlan[]): Promise<PersistResult[]> {
  const seqs = await sql<{ v: number }>`SELECT nextval('case_no_seq') AS v FROM generate_series(1, ${plans.length})`.execute(trx);
  const caseNos = plans.map((p, i) => caseNoOf(p.caseNoPrefix, Number(seqs.rows[i].v)));
  await lockDuplicateCells(trx, plans);
  const plan = await planDuplicates(trx, plans);
  const payloads = plan.map((x) => x.payload);
  const ids: number[] = new Array(plans.length);
  // Masters and stand-alone cases first; then the reports linked to a master written in this same batch.
  const insert = async (idx: number[]) => {
    if (!idx.length) return;
    const inserted = await trx.insertInto('cases').values(idx.map((i) => ({ ...payloads[i].row, case_no: caseNos[i] } as NewCaseRow)))
      .returning(['id', 'case_no']).execute();
    const idOf = new Map(inserted.map((r) => [r.case_no, Number(r.id)]));
    for (const i of idx) ids[i] = idOf.get(caseNos[i])!;
  };
  await insert(plan.flatMap((x, i) => (x.inBatch === null ? [i] : [])));
  const linked = plan.flatMap((x, i) => (x.inBatch !== null ? [i] : []));
  for (const i of linked) {
    const m = plan[i].inBatch!;
    const master = { ...m.master, id: ids[m.index], caseNo: caseNos[m.index] };
    plan[i].match = { master, distanceMeters: m.distanceMeters };
    payloads[i] = plans[i].duplicate!.link(plans[i], plan[i].match!);
  }
  await insert(linked);
  // Attachments: each must still be free (a concurrent batch may have taken it since the check): all or nothing.
  for (let i = 0; i < plans.length; i++) {
    const a = payloads[i].attachmentIds;
    if (!a.length) continue;
    const r = await trx.updateTable('attachments').set({ case_id: ids[i] }).where('id', 'in', a).where('case_id', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== a.length) throw new DomainError('CONFLICT', 'attachmentIds: an attachment was taken by another case meanwhile', { field: 'attachmentIds' });
  }
  const assists = payloads.flatMap((p, i) => (JSON.parse(p.row.assisting_unit_ids ?? '[]') as string[]).map((u) => ({ case_id: ids[i], unit_id: u })));
  if (assists.length) await trx.insertInto('case_assists').values(assists).onConflict((oc) => oc.doNothing()).execute();
  await trx.insertInto('case_history').values(payloads.map((p, i) => historyRowOf(p, ids[i]))).execute();
  await trx.insertInto('outbox').values(payloads.map((p, i) => outboxRowOf(p, ids[i], caseNos[i]))).execute();
  const idem = payloads.flatMap((p, i) => idempotencyRowOf(p, ids[i]) ?? []);
  if (idem.length) await trx.insertInto('idempotency').values(idem).execute();
  const relatedIds: (number[] | undefined)[] = [];
  for (let i = 0; i < payloads.length; i++) {
    const rel = payloads[i].related;
    if (!rel) continue;
    const got: number[] = [];
    for (const r of rel) {
      if (r.table === 'public_reports') {
        await trx.insertInto('public_reports').values({ ...r.values, case_id: ids[i] }).execute();
        got.push(ids[i]);
      } else {
        const ins = await trx.insertInto('hotline_calls').values({ ...r.values, case_id: ids[i] }).returning('id').executeTakeFirstOrThrow();
        got.push(Number(ins.id));
      }
    }
    relatedIds[i] = got;
  }
  return ids.map((id, i) => {
    const m = plan[i].match;
    return {
      created: true as const, id, caseNo: caseNos[i],
      ...(m ? { duplicateOf: { ...m.master, distanceMeters: m.distanceMeters } } : {}),
      ...(relatedIds[i] ? { relatedIds: relatedIds[i] } : {}),
    };
  });
}

/**
 * PostgreSQL runs several batches at once, and a transaction does not see another's uncommitted cases. So that two
 * reports of one problem never both become masters, each probe takes transaction-scoped advisory locks on
 * (group, cell): exclusive on its own cell, shared on the 8 neighbours. Two reports within the radius lie in
 * adjacent cells, so one waits for the other's commit and then sees its case; reports further apart do not
 * conflict. Keys are taken in one sorted order (each key once, exclusive if any probe owns it), so batches cannot
 * deadlock on them.
 */
async function lockDuplicateCells(trx: DbOrTrx, ps: NewCasePlan[]): Promise<void> {
  const mode = new Map<bigint, boolean>();
  const keyOf = (group: string, cell: string) => crypto.createHash('sha1').update(`dup:${group}:${cell}`).digest().readBigInt64BE(0);
  for (const p of ps) {
    const d = p.duplicate;
    if (!d) continue;
    mode.set(keyOf(d.group, d.cell), true);
    for (const c of d.cells) {
      const k = keyOf(d.group, c);
      if (!mode.has(k)) mode.set(k, false);
    }
  }
  if (!mode.size) return;
  const keys = [...mode.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await sql`SELECT CASE WHEN x THEN pg_advisory_xact_lock(k) ELSE pg_advisory_xact_lock_shared(k) END
    FROM unnest(${keys.map(String)}::bigint[], ${keys.map((k) => mode.get(k)!)}::boolean[]) AS t(k, x)`.execute(trx);
}

/**
 * The open candidates for a whole batch in one query, joined on exactly the (matter, cell) pairs the batch asks
 * about (not every matter × every cell). Exported for the bench.
 */
export async function findBatchCandidates(trx: DbOrTrx, probes: { matterCodes: string[]; cells: string[]; since: number }[], explain = false) {
  const pairs = new Set<string>();
  for (const p of probes) for (const m of p.matterCodes) for (const c of p.cells) pairs.add(`${m}\u0000${c}`);
  const ms: string[] = [];
  const cs: string[] = [];
  for (const x of pairs) { const [m, c] = x.split('\u0000'); ms.push(m); cs.push(c); }
  const since = Math.min(...probes.map((p) => p.since));
  return (await sql<{ id: number; case_no: string; state: string; lon: number | null; lat: number | null; created_at: number; matter_code: string; dup_cell: string | null }>`
    ${explain ? sql`EXPLAIN (ANALYZE, BUFFERS)` : sql``} SELECT c.id, c.case_no, c.state, c.lon, c.lat, c.created_at, c.matter_code, c.dup_cell
    FROM unnest(${ms}::text[], ${cs}::text[]) AS p(m, cell)
    JOIN cases c ON c.matter_code = p.m AND c.dup_cell = p.cell
    WHERE c.created_at >= ${since} AND c.master_case_id IS NULL AND c.state NOT IN ('ARCHIVED', 'CANCELLED')`.execute(trx)).rows;
}

interface PlannedCase {
  payload: NewCasePlan;
  /** The stored master found (or, after the first insert, the in-batch master). */
  match: DuplicateMatch | null;
  /** The master is case `index` of this same batch (its id is known only after it is inserted). */
  inBatch: { index: number; master: DuplicateCandidate; distanceMeters: number } | null;
}

/**
 * Duplicate plan for a batch: ONE candidate query for the whole batch (the union of its matters and cells), then,
 * case by case in arrival order, the stored candidates plus the batch's earlier non-duplicate cases. Concurrent
 * batches do not see each other's uncommitted cases, but the advisory cell locks order them.
 */
async function planDuplicates(trx: DbOrTrx, ps: NewCasePlan[]): Promise<PlannedCase[]> {
  const probes = ps.filter((p) => p.duplicate);
  type Stored = DuplicateCandidate & { matterCode: string; cell: string };
  let stored: Stored[] = [];
  if (probes.length) {
    const rows = await findBatchCandidates(trx, probes.map((p) => p.duplicate!));
    stored = rows.map((r) => ({
      id: Number(r.id), caseNo: r.case_no, state: r.state, lon: r.lon === null ? null : Number(r.lon), lat: r.lat === null ? null : Number(r.lat),
      createdAt: Number(r.created_at), matterCode: r.matter_code, cell: r.dup_cell!,
    }));
  }
  const plan: PlannedCase[] = [];
  ps.forEach((p, i) => {
    const probe = p.duplicate;
    if (!probe) return void plan.push({ payload: p, match: null, inBatch: null });
    const fits = (matterCode: string, cell: string | null) => probe.matterCodes.includes(matterCode) && cell !== null && probe.cells.includes(cell);
    const candidates: DuplicateCandidate[] = stored.filter((c) => fits(c.matterCode, c.cell));
    // earlier cases of this batch that are not duplicates themselves; ids stand in as -(index + 1) until inserted
    for (let k = 0; k < i; k++) {
      const q = ps[k].row;
      if (plan[k].match === null && plan[k].inBatch === null && fits(q.matter_code, q.dup_cell ?? null)) {
        candidates.push({ id: -(k + 1), caseNo: '', state: q.state, lon: q.lon ?? null, lat: q.lat ?? null, createdAt: q.created_at });
      }
    }
    const m = probe.pick(candidates);
    if (!m) return void plan.push({ payload: p, match: null, inBatch: null });
    if (m.master.id < 0) return void plan.push({ payload: p, match: null, inBatch: { index: -m.master.id - 1, master: m.master, distanceMeters: m.distanceMeters } });
    plan.push({ payload: probe.link(p, m), match: m, inBatch: null });
  });
  return plan;
}
