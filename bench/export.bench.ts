/**
 * Export of N cases (default 1,000,000) to XLSX through the one table writer (src/http/export), as a background
 * export generates it: keyset-paged reads of the case list (everything, newest first), each row presented for the
 * caller, streamed into a file. Reports rows/s and the exporting process's peak RSS (target < 300 MB: the writer
 * streams, it never holds the file) with where the memory is (V8 heap, external) at the start and at the peak. The
 * export runs in a child process so its RSS is the exporter's alone, from the compiled build as the server runs
 * (bench/lib/export-child.mjs; BENCH_EXPORT_FROM_SOURCE=1: the sources through tsx, ~50 MB more).
 * Usage: node --import tsx bench/export.bench.ts [cases=1000000] [xlsx|csv]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareStore } from './lib/store.ts';
import { progress, writeResult } from './lib/results.ts';

export const EXPORT_TARGET = { peakRssMb: 300 };

interface ChildResult {
  rows: number; seconds: number; rowsPerSecond: number; bytes: number; baselineRssMb: number; peakRssMb: number; complete: boolean;
  /** Where the memory is, at the start and at the RSS peak (MB): V8 heap used / total, external, array buffers. */
  memory: { baseline: Record<string, number>; atPeak: Record<string, number> };
}

/** Newest mtime of the sources the build compiles (as bin/cityops.js decides whether dist/ is current). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The server runs from the compiled build (dist/), so the export is measured there: compiled here when missing or
 * older than src/ (the same tsc build bin/cityops.js makes). Returns false without the compiler: then the child runs
 * the sources through tsx, whose loader adds ~50 MB of RSS the server does not have (said in the result).
 */
async function ensureBuild(): Promise<boolean> {
  const stamp = path.resolve('dist/.build-stamp');
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSource(path.resolve('src'))) return true;
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  if (!fs.existsSync(tsc)) return false;
  const { withBuildLock, swapInto } = await import(pathToFileURL(path.resolve('bin/build-lock.js')).href);
  progress('compiling the build (dist/) the server runs…');
  return withBuildLock(path.resolve('.build-locks/dist.lock'), () => {
    if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSource(path.resolve('src'))) return true;
    const out = path.resolve(`dist.build-${process.pid}`);
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { stdio: 'inherit' });
    fs.writeFileSync(path.join(out, '.build-stamp'), new Date().toISOString());
    swapInto(out, path.resolve('dist'));
    return true;
  });
}

export async function benchExport(cases: number, format: 'xlsx' | 'csv' = 'xlsx') {
  // BENCH_EXPORT_DATA_DIR: export from another bench store holding at least `cases` cases (e.g. the assessment's)
  const other = process.env.BENCH_EXPORT_DATA_DIR;
  const store = other ? { env: { DATA_DIR: path.resolve(other) } } : await prepareStore('sqlite', cases, progress);
  const compiled = process.env.BENCH_EXPORT_FROM_SOURCE !== '1' && await ensureBuild();
  progress(`exporting ${cases.toLocaleString()} cases to ${format} in a child process (${compiled ? 'compiled build' : 'sources through tsx'})…`);
  const args = [...(compiled ? [] : ['--import', 'tsx']), '--expose-gc', 'bench/lib/export-child.mjs', JSON.stringify(store.env), format, String(cases)];
  const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const env = { ...process.env, EXPORT_CHILD_FROM: compiled ? 'dist' : 'src' };
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  progress(`${r.rows.toLocaleString()} rows in ${r.seconds} s: ${r.rowsPerSecond.toLocaleString()} rows/s, ${(r.bytes / 2 ** 20).toFixed(0)} MB file, peak RSS ${r.peakRssMb} MB (baseline ${r.baselineRssMb} MB)`);
  const result = { store: 'sqlite', storeDir: store.env.DATA_DIR, storedCases: cases, storedNote: other ? 'the first N cases, newest first, of a larger store' : undefined, format, from: compiled ? 'dist' : 'tsx', loadAverage: { before: load, after: os.loadavg().map((x) => Math.round(x * 100) / 100) }, ...r, target: EXPORT_TARGET, pass: r.complete && r.rows === cases && r.peakRssMb < EXPORT_TARGET.peakRssMb };
  writeResult(`export-${format}`, result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cases = '1000000', format = 'xlsx'] = process.argv.slice(2);
  await benchExport(Number(cases), format as 'xlsx' | 'csv');
}
