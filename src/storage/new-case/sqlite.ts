/**
 * SQLite's new-case writer: group commit. SQLite has one writer at a time and each commit rewrites every page it
 * touched (case table, its indexes, history, outbox), so per-case commits cap throughput. Plans that arrive while a
 * batch is being written queue and go together in the next transaction; each still succeeds or fails alone (a
 * refusal found by the checks writes nothing; an unexpected failure replays the batch one plan per transaction).
 * A caller's promise resolves only after its batch commits. Statements are prepared once and run synchronously
 * while holding Kysely's connection, so they never interleave with another transaction. The case-number sequence
 * is a counter row, read once and written once per batch.
 */
import type SQLite from 'better-sqlite3';
import { invalidAs } from '../../domain/errors.ts';
import type { DbHandle } from '../db.ts';
import { writeLockFor } from '../sqlite-write-lock.ts';
import type { DuplicateCandidate } from '../../domain/duplicates/duplicates.ts';
import { MAX_CANDIDATES, type DuplicateProbe, type NewCasePlan, type NewCaseWriter, type PersistResult } from './plan.ts';
import { caseNoOf, historyRowOf, idempotencyConflict, idempotencyRowOf, outboxRowOf } from './rows.ts';

/** SQLite's candidate statement (bound: matter codes, cells, since, minLon, maxLon, minLat, maxLat). Exported for the bench. */
export function sqliteCandidateSql(matters: number, cells: number): string {
  return `SELECT id, case_no, state, lon, lat, created_at FROM cases
        WHERE matter_code IN (${Array(matters).fill('?').join(',')}) AND dup_cell IN (${Array(cells).fill('?').join(',')})
          AND created_at >= ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?
          AND master_case_id IS NULL AND state NOT IN ('ARCHIVED', 'CANCELLED')
        ORDER BY created_at, id LIMIT ${MAX_CANDIDATES}`;
}

interface Job { p: NewCasePlan; resolve: (r: PersistResult) => void; reject: (e: unknown) => void }

export function sqliteNewCaseWriter(h: DbHandle, maxBatch = 256): NewCaseWriter {
  const db = h.sqlite!;
  const lock = writeLockFor(db.name);
  let st: ReturnType<typeof prepare> | undefined;
  const queue: Job[] = [];
  let scheduled = false;

  function prepare(sqlite: SQLite.Database) {
    return {
      idem: sqlite.prepare('SELECT request_hash, result_id FROM idempotency WHERE scope = ? AND key = ?'),
      readSeq: sqlite.prepare("SELECT value FROM counters WHERE key = 'case_no'"),
      saveSeq: sqlite.prepare("INSERT INTO counters (key, value) VALUES ('case_no', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
      attachment: sqlite.prepare('SELECT case_id FROM attachments WHERE id = ?'),
      attach: sqlite.prepare('UPDATE attachments SET case_id = ? WHERE id = ? AND (case_id IS NULL OR case_id = ?)'),
      assist: sqlite.prepare('INSERT OR IGNORE INTO case_assists (case_id, unit_id) VALUES (?, ?)'),
      dup: new Map<string, SQLite.Statement>(),
      inserts: new Map<string, { stmt: SQLite.Statement; cols: string[] }>(),
    };
  }

  // One prepared INSERT per table and column set (in practice one per table: the rows of a table have one shape).
  function insertRow(table: string, row: Record<string, unknown>): number {
    const cols = Object.keys(row);
    const key = `${table}:${cols.join(',')}`;
    let ins = st!.inserts.get(key);
    if (!ins) {
      ins = { stmt: db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`), cols };
      st!.inserts.set(key, ins);
    }
    const values: unknown[] = [];
    for (const c of ins.cols) values.push(row[c]);
    return Number(ins.stmt.run(values).lastInsertRowid);
  }

  /** Reads only: refuses (DomainError) or answers a repeat; writes nothing, so a refusal needs no rollback. */
  function check(p: NewCasePlan): PersistResult | null {
    if (p.idempotency) {
      const prior = st!.idem.get(p.idempotency.scope, p.idempotency.key) as { request_hash: string; result_id: string } | undefined;
      if (prior) {
        if (prior.request_hash !== p.idempotency.requestHash) throw idempotencyConflict();
        return { created: false, id: Number(prior.result_id) };
      }
    }
    for (const a of p.attachmentIds) {
      const att = st!.attachment.get(a) as { case_id: number | null } | undefined;
      if (!att || att.case_id !== null) throw invalidAs('attachmentIds', { key: 'sqlite.unknown_attachment_or_one_that', params: { a: String(a) } }, `unknown attachment ${a}, or one that belongs to another case`);
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
    type Row = { id: number; case_no: string; state: string; lon: number | null; lat: number | null; created_at: number };
    return (stmt.all(...probe.matterCodes, ...probe.cells, probe.since, b.minLon, b.maxLon, b.minLat, b.maxLat) as Row[])
      .map((r) => ({ id: Number(r.id), caseNo: r.case_no, state: r.state, lon: r.lon, lat: r.lat, createdAt: Number(r.created_at) }));
  }

  /** Writes only. `seq` is the case's number in the sequence (allocated by the batch from the counter row). */
  function write(p: NewCasePlan, seq: number): PersistResult {
    const match = p.duplicate ? p.duplicate.pick(candidates(p.duplicate)) : null;
    if (match) p = p.duplicate!.link(p, match);
    const caseNo = caseNoOf(p.caseNoPrefix, seq);
    const id = insertRow('cases', { case_no: caseNo, ...p.row } as Record<string, unknown>);
    for (const a of p.attachmentIds) st!.attach.run(id, a, id);
    for (const u of JSON.parse(p.row.assisting_unit_ids ?? '[]') as string[]) st!.assist.run(id, u);
    insertRow('case_history', historyRowOf(p, id) as Record<string, unknown>);
    insertRow('outbox', outboxRowOf(p, id, caseNo) as Record<string, unknown>);
    const idem = idempotencyRowOf(p, id);
    if (idem) insertRow('idempotency', idem);
    const related = p.related?.map((r) => {
      const rowid = insertRow(r.table, { ...r.values, case_id: id } as Record<string, unknown>);
      return r.table === 'public_reports' ? id : rowid;
    });
    return {
      created: true, id, caseNo, ...(match ? { duplicateOf: { ...match.master, distanceMeters: match.distanceMeters } } : {}),
      ...(related ? { relatedIds: related } : {}),
    };
  }

  const readSeq = (): number => Number((st!.readSeq.get() as { value: number } | undefined)?.value ?? 0);
  const saveSeq = (v: number): void => { st!.saveSeq.run(v); };

  /**
   * The common path: checks and writes for the whole batch in one transaction, no savepoints. A refusal in `check`
   * touches nothing. A throw from `write` (not expected: the checks ran) aborts the batch, which is then replayed
   * one plan per transaction so each still succeeds or fails alone.
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

  const writeAlone = db.transaction((p: NewCasePlan): PersistResult => {
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
        return { job, ok: true, value: writeAlone.immediate(job.p) as unknown };
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
        // The file's write lock first (awaited: a writer thread's commit is waited out off the event loop), then
        // IMMEDIATE: another connection writes too (the reading and position writer threads); a deferred transaction
        // that read before writing would fail with SQLITE_BUSY when they commit in between.
        await lock?.acquire();
        try {
          return writeBatch.immediate(jobs);
        } catch {
          return writeEachAlone(jobs);
        } finally {
          lock?.release();
        }
      });
      for (const r of results) {
        if (r.ok) r.job.resolve(r.value as PersistResult);
        else r.job.reject(r.value);
      }
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
