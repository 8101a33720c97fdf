/**
 * Export of N cases (default 1,000,000) to XLSX through the one table writer (src/http/export), as a background
 * export generates it: keyset-paged reads of the case list (everything, newest first), each row presented for the
 * caller, streamed into a file. Reports rows/s and the exporting process's peak RSS (target < 300 MB: the writer
 * streams, it never holds the file). The export runs in a child process so its RSS is the exporter's alone.
 * Usage: node --import tsx bench/export.bench.ts [cases=1000000] [xlsx|csv]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { createContext, closeContext } from '../src/runtime/bootstrap.ts';
import { writeTable } from '../src/http/export/index.ts';
import { CASE_COLUMNS, caseExportRows } from '../src/http/routes/exports/case-export.ts';
import type { Principal } from '../src/http/middleware/auth.ts';
import { prepareStore } from './lib/store.ts';
import { progress, writeResult } from './lib/results.ts';

export const EXPORT_TARGET = { peakRssMb: 300 };

interface ChildResult { rows: number; seconds: number; rowsPerSecond: number; bytes: number; baselineRssMb: number; peakRssMb: number; complete: boolean }

/** In the child: one export, measured. */
async function runChild(dataEnv: Record<string, string>, format: 'xlsx' | 'csv', max: number): Promise<ChildResult> {
  const ctx = await createContext(loadConfig(dataEnv as NodeJS.ProcessEnv));
  const p: Principal = { kind: 'user', userId: 'bench', name: 'bench', roles: ['admin'], unitIds: [], regionIds: [] };
  const file = path.join(os.tmpdir(), `cityops-export-bench-${process.pid}.${format}`);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  let last = t0;
  const r = await writeTable(fs.createWriteStream(file), {
    format, columns: CASE_COLUMNS, sheet: '案件', rows: caseExportRows(ctx, p, {}, { max }), progressEvery: 50_000,
    onProgress: (n) => {
      peak = Math.max(peak, process.memoryUsage().rss);
      if (performance.now() - last > 10_000) { last = performance.now(); process.stderr.write(`[bench] exported ${n.toLocaleString()} rows, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB\n`); }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bytes = fs.statSync(file).size;
  fs.rmSync(file, { force: true });
  await closeContext(ctx);
  const mb = (b: number) => Math.round(b / 2 ** 20);
  return { rows: r.rows, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round(r.rows / seconds), bytes, baselineRssMb: mb(baseline), peakRssMb: mb(peak), complete: r.complete };
}

export async function benchExport(cases: number, format: 'xlsx' | 'csv' = 'xlsx') {
  const store = await prepareStore('sqlite', cases, progress);
  progress(`exporting ${cases.toLocaleString()} cases to ${format} in a child process…`);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/export.bench.ts', '--child', JSON.stringify(store.env), format, String(cases)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  progress(`${r.rows.toLocaleString()} rows in ${r.seconds} s: ${r.rowsPerSecond.toLocaleString()} rows/s, ${(r.bytes / 2 ** 20).toFixed(0)} MB file, peak RSS ${r.peakRssMb} MB (baseline ${r.baselineRssMb} MB)`);
  const result = { store: 'sqlite', storedCases: cases, format, ...r, target: EXPORT_TARGET, pass: r.complete && r.rows === cases && r.peakRssMb < EXPORT_TARGET.peakRssMb };
  writeResult(`export-${format}`, result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--child') {
    const r = await runChild(JSON.parse(process.argv[3]), process.argv[4] as 'xlsx' | 'csv', Number(process.argv[5]));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const [cases = '1000000', format = 'xlsx'] = process.argv.slice(2);
    await benchExport(Number(cases), format as 'xlsx' | 'csv');
  }
}
