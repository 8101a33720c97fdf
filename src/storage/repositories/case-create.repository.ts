/**
 * Persisting a new case (case + attachments + history + outbox + idempotency record) — the hot path of intake.
 *
 * PostgreSQL: one Kysely transaction per case; concurrency comes from the pool, numbers from a sequence.
 * SQLite: one writer at a time, and each commit rewrites every page it touched (case table, its indexes,
 * history, outbox), so per-case commits cap throughput. Cases are therefore group-committed: creates that
 * arrive while a batch is being written are queued and written together in the next transaction, each inside
 * its own SAVEPOINT (a failing case rolls back alone). A caller's promise resolves only after its batch commits,
 * so nothing is acknowledged before it is durable. Statements are prepared once and run synchronously while
 * holding Kysely's connection, so they never interleave with another transaction.
 */
import type SQLite from 'better-sqlite3';
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

export function postgresCaseCreateStore(h: DbHandle): CaseCreateStore {
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
    await insertHistory(trx, {
      case_id: id, action: p.history.action, from_state: null, to_state: p.history.toState, actor_id: p.history.actorId,
      actor_name: p.history.actorName, at: p.row.created_at, reason: null, details: toJson(p.history.details), attachment_ids: toJson(p.attachmentIds),
    });
    await appendOutbox(trx, { ...p.outbox, caseId: id, payload: { ...p.outbox.payload, id, caseNo } });
    if (p.idempotency) {
      await insertIdempotent(trx, { scope: p.idempotency.scope, key: p.idempotency.key, request_hash: p.idempotency.requestHash, result_id: String(id), created_at: p.row.created_at });
    }
    return { created: true as const, id, caseNo };
  });
  return {
    async persist(p) {
      try {
        return await once(p);
      } catch (err) {
        // Two first attempts with one key at once: the loser hits the key's primary key; answer it as a repeat.
        if (p.idempotency && isUniqueViolation(err)) return once(p);
        throw err;
      }
    },
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
      seq: sqlite.prepare("INSERT INTO counters (key, value) VALUES ('case_no', 1) ON CONFLICT(key) DO UPDATE SET value = counters.value + 1 RETURNING value"),
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

  // One case, synchronously; called inside the batch transaction, so better-sqlite3 runs it as a SAVEPOINT.
  const writeOne = db.transaction((p: NewCasePayload): PersistResult => {
    if (p.idempotency) {
      const prior = st!.idem.get(p.idempotency.scope, p.idempotency.key) as { request_hash: string; result_id: string } | undefined;
      if (prior) {
        if (prior.request_hash !== p.idempotency.requestHash) throw idempotencyConflict();
        return { created: false, id: Number(prior.result_id) };
      }
    }
    const seq = Number((st!.seq.get() as { value: number }).value);
    const caseNo = caseNoOf(p.caseNoPrefix, seq);
    const id = insertCaseRow(p.row as Record<string, unknown>, caseNo);
    for (const a of p.attachmentIds) {
      if (st!.attach.run(id, a, id).changes !== 1) throw invalid('attachmentIds', `unknown attachment ${a}, or one that belongs to another case`);
    }
    const at = p.row.created_at;
    st!.history.run(id, p.history.action, p.history.toState, p.history.actorId, p.history.actorName, at, toJson(p.history.details), toJson(p.attachmentIds));
    st!.outbox.run(p.outbox.topic, id, toJson(p.outbox.unitIds), toJson(p.outbox.regionIds), toJson({ ...p.outbox.payload, id, caseNo }), p.outbox.at);
    if (p.idempotency) st!.idemInsert.run(p.idempotency.scope, p.idempotency.key, p.idempotency.requestHash, String(id), at);
    return { created: true, id, caseNo };
  });

  const writeBatch = db.transaction((jobs: Job[]) => {
    const out: { job: Job; ok: boolean; value: unknown }[] = [];
    for (const job of jobs) {
      try {
        out.push({ job, ok: true, value: writeOne(job.p) });
      } catch (err) {
        out.push({ job, ok: false, value: err });
      }
    }
    return out;
  });

  async function flush(): Promise<void> {
    scheduled = false;
    const jobs = queue.splice(0, maxBatch);
    if (queue.length) schedule();
    if (jobs.length === 0) return;
    try {
      // Holding Kysely's connection keeps any other transaction out while the batch runs.
      const results = await h.db.connection().execute(async () => {
        st ??= prepare(db);
        return writeBatch(jobs);
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
