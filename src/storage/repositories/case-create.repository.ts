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
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { DbHandle } from '../db.ts';
import { toJson, isUniqueViolation } from '../db.ts';
import type { NewCaseRow } from './case.repository.ts';
import { nextCaseSeq, insertCase, attachToCase, insertHistory, findIdempotent, insertIdempotent } from './case.repository.ts';
import { appendOutbox, type OutboxEvent } from './outbox.repository.ts';

export interface NewCasePayload {
  /** The case without its number; the number is `caseNoPrefix` + zero-padded sequence. */
  row: Omit<NewCaseRow, 'case_no'>;
  caseNoPrefix: string;
  attachmentIds: string[];
  history: { action: string; toState: string; actorId: string; actorName: string | null; details: Record<string, unknown> };
  outbox: Omit<OutboxEvent, 'caseId' | 'payload'> & { payload: Record<string, unknown> };
  idempotency?: { scope: string; key: string; requestHash: string };
}

export type PersistResult = { created: true; id: number; caseNo: string } | { created: false; id: number };

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
    return { created: true as const, id, caseNo };
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
        const rows = jobs.map((j, i) => ({ ...j.p.row, case_no: caseNoOf(j.p.caseNoPrefix, Number(seqs.rows[i].v)) } as NewCaseRow));
        const inserted = await trx.insertInto('cases').values(rows).returning(['id', 'case_no']).execute();
        const idOf = new Map(inserted.map((r) => [r.case_no, Number(r.id)]));
        const ids = rows.map((r) => idOf.get(r.case_no)!);
        await trx.insertInto('case_history').values(jobs.map((j, i) => historyRow(j.p, ids[i]))).execute();
        await trx.insertInto('outbox').values(jobs.map((j, i) => ({
          topic: j.p.outbox.topic, case_id: ids[i], unit_ids: toJson(j.p.outbox.unitIds), region_ids: toJson(j.p.outbox.regionIds),
          payload: toJson({ ...j.p.outbox.payload, id: ids[i], caseNo: rows[i].case_no }), created_at: j.p.outbox.at,
        }))).execute();
        return ids.map((id, i) => ({ created: true as const, id, caseNo: rows[i].case_no }));
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
      if (p.idempotency || p.attachmentIds.length) return alone(p);
      return new Promise<PersistResult>((resolve, reject) => {
        queue.push({ p, resolve, reject });
        pump();
      });
    },
  };
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
      inserts: new Map<string, { stmt: SQLite.Statement; cols: string[] }>(),
    };
  }

  // One prepared INSERT per column set (in practice one: createCase always sends the same columns).
  function insertCaseRow(row: Record<string, unknown>, caseNo: string): number {
    const cols = Object.keys(row);
    const key = cols.join(',');
    let ins = st!.inserts.get(key);
    if (!ins) {
      ins = { stmt: db.prepare(`INSERT INTO cases (case_no, ${key}) VALUES (?, ${cols.map(() => '?').join(',')})`), cols };
      st!.inserts.set(key, ins);
    }
    const values: unknown[] = [caseNo];
    for (const c of ins.cols) values.push(row[c]);
    return Number(ins.stmt.run(values).lastInsertRowid);
  }

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

  /** Writes only. `seq` is the case's number in the sequence (allocated by the batch from the counter row). */
  function write(p: NewCasePayload, seq: number): PersistResult {
    const caseNo = caseNoOf(p.caseNoPrefix, seq);
    const id = insertCaseRow(p.row as Record<string, unknown>, caseNo);
    for (const a of p.attachmentIds) st!.attach.run(id, a, id);
    const at = p.row.created_at;
    st!.history.run(id, p.history.action, p.history.toState, p.history.actorId, p.history.actorName, at, toJson(p.history.details), toJson(p.attachmentIds));
    st!.outbox.run(p.outbox.topic, id, toJson(p.outbox.unitIds), toJson(p.outbox.regionIds), toJson({ ...p.outbox.payload, id, caseNo }), p.outbox.at);
    if (p.idempotency) st!.idemInsert.run(p.idempotency.scope, p.idempotency.key, p.idempotency.requestHash, String(id), at);
    return { created: true, id, caseNo };
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
