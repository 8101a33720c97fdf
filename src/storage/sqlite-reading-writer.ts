/**
 * Readings written off the event loop on SQLite (issue 11; like sqlite-position-writer.ts for field positions).
 * At tens of thousands of readings a second, better-sqlite3's synchronous inserts would hold the main thread — the
 * one that parses MQTT, answers the API and runs the rules — for a large share of every second. A worker thread with
 * its own connection to the same WAL file writes each group-committed batch in one transaction; the main thread
 * hands over three flat arrays (a cheap structured clone) and is told when the batch is durable (WAL, synchronous =
 * NORMAL: survives a crash of the process). Only then are the readings acknowledged to their sender.
 */
import { startWriterWorker } from './sqlite-writer-worker.ts';

export const READING_INSERT_SQL = 'INSERT INTO readings (device_id, at, vals) VALUES (?, ?, ?) ON CONFLICT (device_id, at) DO NOTHING';

const WORKER = `
db.pragma('busy_timeout = 10000');
db.pragma('cache_size = -65536');
const ins = db.prepare(workerData.sql);
const write = db.transaction((m) => { for (let i = 0; i < m.d.length; i++) ins.run(m.d[i], m.a[i], m.v[i]); });
`;

export interface ReadingWriter {
  /** Parallel arrays: device ids, instants (ms), values as JSON text. Resolves once committed. */
  write(d: string[], a: number[], v: string[]): Promise<void>;
  stop(): Promise<void>;
}

export function startReadingWriter(file: string): ReadingWriter {
  const w = startWriterWorker('reading writer', file, WORKER, { sql: READING_INSERT_SQL }, 256);
  return { write: (d, a, v) => w.write({ d, a, v }), stop: () => w.stop() };
}
