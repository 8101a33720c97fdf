/**
 * Persisting a new case (case + attachments + history + outbox + idempotency record) — the hot path of intake.
 *
 * PostgreSQL: one Kysely transaction per case; concurrency comes from the pool, numbers from a sequence.
 * SQLite: the number sequence is a counter row that each batch reads once and writes back once.
 * SQLite: one writer at a time, and each commit rewrites every page it touched (case table, its indexes,
 * history, outbox), so per-case commits cap throughput. Cases are therefore group-committed: creates that
 * arrive while a batch is being written are queued and written together in the next transaction (each case
 * succeeds or fails alone: see writeBatch). A caller's promise resolves only after its batch commits,
 * so nothing is acknowledged before it is durable. Statements are prepared once and run synchronously while
 * holding Kysely's connection, so they never interleave with another transaction.
 */
import crypto from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { DbHandle } from '../db.ts';
import { toJson, isUniqueViolation } from '../db.ts';
import type { NewCaseRow } from './case.repository.ts';
import { nextCaseSeq, insertCase, attachToCase, insertHistory, findIdempotent, insertIdempotent } from './case.repository.ts';
import { appendOutbox, type OutboxEvent } from './outbox.repository.ts';
import { findDuplicateCandidates } from './duplicate.repository.ts';
import type { DuplicateCandidate } from '../../domain/duplicates/duplicates.ts';

export interface NewCasePayload {
  /** The case without its number; the number is `caseNoPrefix` + zero-padded sequence. */
  row: Omit<NewCaseRow, 'case_no'>;
  caseNoPrefix: string;
  attachmentIds: string[];
  history: { action: string; toState: string; actorId: string; actorName: string | null; details: Record<string, unknown> };
  outbox: Omit<OutboxEvent, 'caseId' | 'payload'> & { payload: Record<string, unknown> };
  idempotency?: { scope: string; key: string; requestHash: string };
  /** Set when duplicate detection is on: the store looks for a master inside its write transaction. */
  duplicate?: DuplicateProbe;
  /**
   * Rows of other tables that belong to this intake and must commit with the case (e.g. the 12345 call record):
   * `case_id` is filled with the new case's id. Each table needs an integer `id`; the ids come back in order.
   */
  related?: RelatedRow[];
}

export interface RelatedRow { table: 'hotline_calls'; values: Record<string, unknown> }

/**
 * Candidates are read inside the radius's bounding square, oldest first, so the oldest open case within the radius
 * is among them unless more than this many open reports of one matter sit within ~100 m (they would have been
 * linked to each other long before).
 */
const MAX_CANDIDATES = 200;

/** SQLite's candidate statement (bound: matter codes, cells, since, minLon, maxLon, minLat, maxLat). Exported for the bench. */
export function sqliteCandidateSql(matters: number, cells: number): string {
  return `SELECT id, case_no, state, lon, lat, created_at FROM cases
        WHERE matter_code IN (${Array(matters).fill('?').join(',')}) AND dup_cell IN (${Array(cells).fill('?').join(',')})
          AND created_at >= ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?
          AND master_case_id IS NULL AND state NOT IN ('ARCHIVED', 'CANCELLED')
        ORDER BY created_at, id LIMIT ${MAX_CANDIDATES}`;
}

export interface DuplicateMatch { master: DuplicateCandidate; distanceMeters: number }

/**
 * Duplicate detection (issue 3 §5) run by the store inside the transaction that writes the case, so it costs no
 * extra round trip and cases written earlier in the same batch are candidates too. The store finds the candidates
 * (open cases of `matterCodes` in `cells` created since `since`, not duplicates themselves, through the index
 * cases_dup); the command's pure functions choose the master and rewrite the payload as a linked duplicate.
 */
export interface DuplicateProbe {
  /** What counts as "the same": the matter code, or the class code when the policy matches by class. */
  group: string;
  /** The report's own cell; `cells` are it and its neighbours. */
  cell: string;
  matterCodes: string[];
  cells: string[];
  since: number;
  /** The square around the point that holds the radius: only cases inside it are read as candidates. */
  bbox: { minLon: number; maxLon: number; minLat: number; maxLat: number };
  pick(candidates: DuplicateCandidate[]): DuplicateMatch | null;
  link(p: NewCasePayload, m: DuplicateMatch): NewCasePayload;
}

export type PersistResult =
  | { created: true; id: number; caseNo: string; duplicateOf?: DuplicateCandidate & { distanceMeters: number }; relatedIds?: number[] }
  | { created: false; id: number };

export interface CaseCreateStore {
  persist(p: NewCasePayload): Promise<PersistResult>;
}

const caseNoOf = (prefix: string, seq: number) => `${prefix}${String(seq).padStart(6, '0')}`;

function idempotencyConflict(): DomainError {
  return new DomainError('CONFLICT', 'Idempotency-Key was already used with different content', { field: 'Idempotency-Key' });
}

export function postgresCaseCreateStore(h: DbHandle, maxBatch = 128, maxConcurrentBatches = 4): CaseCreateStore {
  const once = (p: NewCasePayload): Promise<PersistResult> => h.db.transaction().execute(async (trx) => {
    if (p.idempotency) {
      const prior = await findIdempotent(trx, p.idempotency.scope, p.idempotency.key);
      if (prior) {
        if (prior.request_hash !== p.idempotency.requestHash) throw idempotencyConflict();
        return { created: false as const, id: Number(prior.result_id) };
      }
    }
    let match: DuplicateMatch | null = null;
    if (p.duplicate) {
      await lockDuplicateCells(trx, [p]);
      match = p.duplicate.pick(await findDuplicateCandidates(trx, { ...p.duplicate, limit: MAX_CANDIDATES }));
      if (match) p = p.duplicate.link(p, match);
    }
    const caseNo = caseNoOf(p.caseNoPrefix, await nextCaseSeq(trx, 'postgres'));
    const id = await insertCase(trx, { ...p.row, case_no: caseNo } as NewCaseRow);
    if (p.attachmentIds.length && (await attachToCase(trx, id, p.attachmentIds)) !== p.attachmentIds.length) {
      throw invalid('attachmentIds', 'unknown attachment, or one that belongs to another case');
    }
    await insertHistory(trx, historyRow(p, id));
    await appendOutbox(trx, { ...p.outbox, caseId: id, payload: { ...p.outbox.payload, id, caseNo } });
    if (p.idempotency) {
      await insertIdempotent(trx, { scope: p.idempotency.scope, key: p.idempotency.key, request_hash: p.idempotency.requestHash, result_id: String(id), created_at: p.row.created_at });
    }
    const relatedIds: number[] = [];
    for (const r of p.related ?? []) {
      const ins = await trx.insertInto(r.table).values({ ...r.values, case_id: id } as never).returning('id').executeTakeFirstOrThrow();
      relatedIds.push(Number(ins.id));
    }
    return {
      created: true as const, id, caseNo, ...(match ? { duplicateOf: { ...match.master, distanceMeters: match.distanceMeters } } : {}),
      ...(p.related ? { relatedIds } : {}),
    };
  });
  const alone = async (p: NewCasePayload): Promise<PersistResult> => {
    try {
      return await once(p);
    } catch (err) {
      // Two first attempts with one key at once: the loser hits the key's primary key; answer it as a repeat.
      if (p.idempotency && isUniqueViolation(err)) return once(p);
      throw err;
    }
  };

  /**
   * Group commit, as on SQLite, because every commit waits for a WAL flush: the cases queued while earlier
   * batches are being written go together in one transaction with multi-row INSERTs (a few round trips for the
   * whole batch). Requests with an Idempotency-Key or attachments take the one-case path (they need reads first).
   * If a batch fails, each of its cases is retried alone, so each succeeds or fails by itself.
   */
  const queue: Job[] = [];
  let running = 0;
  async function writeBatch(jobs: Job[]): Promise<void> {
    try {
      const results = await h.db.transaction().execute(async (trx) => {
        const seqs = await sql<{ v: number }>`SELECT nextval('case_no_seq') AS v FROM generate_series(1, ${jobs.length})`.execute(trx);
        const caseNos = jobs.map((j, i) => caseNoOf(j.p.caseNoPrefix, Number(seqs.rows[i].v)));
        await lockDuplicateCells(trx, jobs.map((j) => j.p));
        const plan = await planDuplicates(trx, jobs.map((j) => j.p));
        const payloads = plan.map((x) => x.payload);
        const ids: number[] = new Array(jobs.length);
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
          payloads[i] = jobs[i].p.duplicate!.link(jobs[i].p, plan[i].match!);
        }
        await insert(linked);
        await trx.insertInto('case_history').values(jobs.map((_, i) => historyRow(payloads[i], ids[i]))).execute();
        await trx.insertInto('outbox').values(jobs.map((_, i) => ({
          topic: payloads[i].outbox.topic, case_id: ids[i], unit_ids: toJson(payloads[i].outbox.unitIds), region_ids: toJson(payloads[i].outbox.regionIds),
          payload: toJson({ ...payloads[i].outbox.payload, id: ids[i], caseNo: caseNos[i] }), created_at: payloads[i].outbox.at,
        }))).execute();
        return ids.map((id, i) => {
          const m = plan[i].match;
          return { created: true as const, id, caseNo: caseNos[i], ...(m ? { duplicateOf: { ...m.master, distanceMeters: m.distanceMeters } } : {}) };
        });
      });
      jobs.forEach((j, i) => j.resolve(results[i]));
    } catch {
      await Promise.all(jobs.map((j) => alone(j.p).then(j.resolve, j.reject)));
    }
  }
  function pump(): void {
    while (running < maxConcurrentBatches && queue.length > 0) {
      const jobs = queue.splice(0, maxBatch);
      running++;
      void writeBatch(jobs).finally(() => {
        running--;
        pump();
      });
    }
  }
  return {
    persist(p) {
      if (p.idempotency || p.attachmentIds.length || p.related) return alone(p);
      return new Promise<PersistResult>((resolve, reject) => {
        queue.push({ p, resolve, reject });
        pump();
      });
    },
  };
}

/**
 * PostgreSQL runs several batches at once, and a transaction does not see another's uncommitted cases. So that two
 * reports of one problem never both become masters, each probe takes transaction-scoped advisory locks on
 * (group, cell): exclusive on its own cell, shared on the 8 neighbours. Two reports within the radius lie in
 * adjacent cells, so one waits for the other's commit and then sees its case; reports further apart do not
 * conflict. Keys are taken in one sorted order (each key once, exclusive if any probe owns it), so batches cannot
 * deadlock on them.
 */
async function lockDuplicateCells(trx: Parameters<typeof findDuplicateCandidates>[0], ps: NewCasePayload[]): Promise<void> {
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
 * PostgreSQL: the open candidates for a whole batch in one query, joined on exactly the (matter, cell) pairs the
 * batch asks about (not every matter × every cell). Exported for the bench.
 */
export async function findBatchCandidates(trx: Parameters<typeof findDuplicateCandidates>[0], probes: { matterCodes: string[]; cells: string[]; since: number }[], explain = false) {
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
  payload: NewCasePayload;
  /** The stored master found (or, after the first insert, the in-batch master). */
  match: DuplicateMatch | null;
  /** The master is case `index` of this same batch (its id is known only after it is inserted). */
  inBatch: { index: number; master: DuplicateCandidate; distanceMeters: number } | null;
}

/**
 * Duplicate plan for a PostgreSQL batch: ONE candidate query for the whole batch (the union of its matters and
 * cells), then, case by case in arrival order, the stored candidates plus the batch's earlier non-duplicate cases.
 * Concurrent batches do not see each other's uncommitted cases (an operator merges those by hand).
 */
async function planDuplicates(trx: Parameters<typeof findDuplicateCandidates>[0], ps: NewCasePayload[]): Promise<PlannedCase[]> {
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

function historyRow(p: NewCasePayload, id: number) {
  return {
    case_id: id, action: p.history.action, from_state: null, to_state: p.history.toState, actor_id: p.history.actorId,
    actor_name: p.history.actorName, at: p.row.created_at, reason: null, details: toJson(p.history.details), attachment_ids: toJson(p.attachmentIds),
  };
}

interface Job { p: NewCasePayload; resolve: (r: PersistResult) => void; reject: (e: unknown) => void }

export function sqliteCaseCreateStore(h: DbHandle, maxBatch = 256): CaseCreateStore {
  const db = h.sqlite!;
  let st: ReturnType<typeof prepare> | undefined;
  const queue: Job[] = [];
  let scheduled = false;

  function prepare(sqlite: SQLite.Database) {
    return {
      idem: sqlite.prepare('SELECT request_hash, result_id FROM idempotency WHERE scope = ? AND key = ?'),
      readSeq: sqlite.prepare("SELECT value FROM counters WHERE key = 'case_no'"),
      saveSeq: sqlite.prepare("INSERT INTO counters (key, value) VALUES ('case_no', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
      attachment: sqlite.prepare('SELECT case_id FROM attachments WHERE id = ?'),
      attach: sqlite.prepare(`UPDATE attachments SET case_id = ? WHERE id = ? AND (case_id IS NULL OR case_id = ?)`),
      history: sqlite.prepare(`INSERT INTO case_history (case_id, action, from_state, to_state, actor_id, actor_name, at, reason, details, attachment_ids)
        VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, ?)`),
      outbox: sqlite.prepare('INSERT INTO outbox (topic, case_id, unit_ids, region_ids, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      idemInsert: sqlite.prepare('INSERT INTO idempotency (scope, key, request_hash, result_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      dup: new Map<string, SQLite.Statement>(),
      inserts: new Map<string, { stmt: SQLite.Statement; cols: string[] }>(),
    };
  }

  // One prepared INSERT per table and column set (in practice one per table: the callers send the same columns).
  function insertRow(table: string, row: Record<string, unknown>, first: [string, unknown]): number {
    const cols = Object.keys(row).filter((c) => c !== first[0]);
    const key = `${table}:${cols.join(',')}`;
    let ins = st!.inserts.get(key);
    if (!ins) {
      ins = { stmt: db.prepare(`INSERT INTO ${table} (${first[0]}, ${cols.join(',')}) VALUES (?, ${cols.map(() => '?').join(',')})`), cols };
      st!.inserts.set(key, ins);
    }
    const values: unknown[] = [first[1]];
    for (const c of ins.cols) values.push(row[c]);
    return Number(ins.stmt.run(values).lastInsertRowid);
  }
  const insertCaseRow = (row: Record<string, unknown>, caseNo: string) => insertRow('cases', row, ['case_no', caseNo]);

  /** Reads only: refuses (DomainError) or answers a repeat; writes nothing, so a refusal needs no rollback. */
  function check(p: NewCasePayload): PersistResult | null {
    if (p.idempotency) {
      const prior = st!.idem.get(p.idempotency.scope, p.idempotency.key) as { request_hash: string; result_id: string } | undefined;
      if (prior) {
        if (prior.request_hash !== p.idempotency.requestHash) throw idempotencyConflict();
        return { created: false, id: Number(prior.result_id) };
      }
    }
    for (const a of p.attachmentIds) {
      const att = st!.attachment.get(a) as { case_id: number | null } | undefined;
      if (!att || att.case_id !== null) throw invalid('attachmentIds', `unknown attachment ${a}, or one that belongs to another case`);
    }
    return null;
  }

  /** Open candidate masters through the index cases_dup; earlier cases of this batch are visible (same transaction). */
  function candidates(probe: DuplicateProbe): DuplicateCandidate[] {
    const key = `${probe.matterCodes.length}:${probe.cells.length}`;
    let stmt = st!.dup.get(key);
    if (!stmt) {
      stmt = db.prepare(sqliteCandidateSql(probe.matterCodes.length, probe.cells.length));
      st!.dup.set(key, stmt);
    }
    const b = probe.bbox;
    return (stmt.all(...probe.matterCodes, ...probe.cells, probe.since, b.minLon, b.maxLon, b.minLat, b.maxLat) as { id: number; case_no: string; state: string; lon: number | null; lat: number | null; created_at: number }[])
      .map((r) => ({ id: Number(r.id), caseNo: r.case_no, state: r.state, lon: r.lon, lat: r.lat, createdAt: Number(r.created_at) }));
  }

  /** Writes only. `seq` is the case's number in the sequence (allocated by the batch from the counter row). */
  function write(p: NewCasePayload, seq: number): PersistResult {
    const match = p.duplicate ? p.duplicate.pick(candidates(p.duplicate)) : null;
    if (match) p = p.duplicate!.link(p, match);
    const caseNo = caseNoOf(p.caseNoPrefix, seq);
    const id = insertCaseRow(p.row as Record<string, unknown>, caseNo);
    for (const a of p.attachmentIds) st!.attach.run(id, a, id);
    const at = p.row.created_at;
    st!.history.run(id, p.history.action, p.history.toState, p.history.actorId, p.history.actorName, at, toJson(p.history.details), toJson(p.attachmentIds));
    st!.outbox.run(p.outbox.topic, id, toJson(p.outbox.unitIds), toJson(p.outbox.regionIds), toJson({ ...p.outbox.payload, id, caseNo }), p.outbox.at);
    if (p.idempotency) st!.idemInsert.run(p.idempotency.scope, p.idempotency.key, p.idempotency.requestHash, String(id), at);
    const related = p.related?.map((r) => insertRow(r.table, r.values, ['case_id', id]));
    return {
      created: true, id, caseNo, ...(match ? { duplicateOf: { ...match.master, distanceMeters: match.distanceMeters } } : {}),
      ...(related ? { relatedIds: related } : {}),
    };
  }

  // The sequence lives in the counter row; a batch reads it once and writes it back once.
  const readSeq = (): number => Number((st!.readSeq.get() as { value: number } | undefined)?.value ?? 0);
  const saveSeq = (v: number): void => { st!.saveSeq.run(v); };

  /**
   * The common path: checks and writes for the whole batch in one transaction, no savepoints. A refusal in
   * `check` touches nothing. A throw from `write` (not expected: the checks ran) aborts the batch, which is then
   * replayed one case per transaction so each case still succeeds or fails alone.
   */
  const writeBatch = db.transaction((jobs: Job[]) => {
    let seq = readSeq();
    const start = seq;
    const out: { job: Job; ok: boolean; value: unknown }[] = [];
    for (const job of jobs) {
      let prior: PersistResult | null;
      try {
        prior = check(job.p);
      } catch (err) {
        out.push({ job, ok: false, value: err });
        continue;
      }
      out.push({ job, ok: true, value: prior ?? write(job.p, ++seq) });
    }
    if (seq !== start) saveSeq(seq);
    return out;
  });

  const writeAlone = db.transaction((p: NewCasePayload): PersistResult => {
    const prior = check(p);
    if (prior) return prior;
    const seq = readSeq() + 1;
    const r = write(p, seq);
    saveSeq(seq);
    return r;
  });

  function writeEachAlone(jobs: Job[]) {
    return jobs.map((job) => {
      try {
        return { job, ok: true, value: writeAlone(job.p) as unknown };
      } catch (err) {
        return { job, ok: false, value: err as unknown };
      }
    });
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const jobs = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    if (jobs.length === 0) return;
    try {
      // Holding Kysely's connection keeps any other transaction out while the batch runs.
      const results = await h.db.connection().execute(async () => {
        st ??= prepare(db);
        try {
          return writeBatch(jobs);
        } catch {
          return writeEachAlone(jobs);
        }
      });
      for (const r of results) (r.ok ? r.job.resolve(r.value as PersistResult) : r.job.reject(r.value));
    } catch (err) {
      for (const j of jobs) j.reject(err); // the batch did not commit: nothing was acknowledged
    }
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    persist: (p) => new Promise<PersistResult>((resolve, reject) => {
      queue.push({ p, resolve, reject });
      schedule();
    }),
  };
}

export function caseCreateStoreFor(h: DbHandle): CaseCreateStore {
  return h.dialect === 'sqlite' ? sqliteCaseCreateStore(h) : postgresCaseCreateStore(h);
}
