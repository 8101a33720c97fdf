// The export bench's child: one export, measured. From the compiled build (dist/, as `npm start` runs the server) in
// plain node, no tsx: its loader thread and on-the-fly compilation would add ~50 MB the server does not carry. With
// EXPORT_CHILD_FROM=src (under --import tsx) it measures the sources instead.
// Usage (by bench/export.bench.ts): node --expose-gc bench/lib/export-child.mjs <env json> <xlsx|csv> <rows>
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ext] = process.env.EXPORT_CHILD_FROM === 'src' ? ['src', '.ts'] : ['dist', '.js'];
const dist = (p) => import(pathToFileURL(path.resolve(root, p + ext)).href);
const { loadConfig } = await dist('config/env');
const { createContext, closeContext } = await dist('runtime/bootstrap');
const { writeTable } = await dist('http/export/index');
const { CASE_COLUMNS, caseExportRows, EXPORT_CHUNK } = await dist('http/routes/exports/case-export');

const [env, format, max] = [JSON.parse(process.argv[2]), process.argv[3], Number(process.argv[4])];
const ctx = await createContext(loadConfig(env));
const p = { kind: 'user', userId: 'bench', name: 'bench', roles: ['admin'], unitIds: [], regionIds: [] };
const file = path.join(os.tmpdir(), `cityops-export-bench-${process.pid}.${format}`);
const mb = (b) => Math.round(b / 2 ** 20);
const parts = (m) => ({ rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) });
global.gc?.();
const m0 = process.memoryUsage();
let peak = m0.rss;
let atPeak = parts(m0);
const sample = () => { const m = process.memoryUsage(); if (m.rss > peak) { peak = m.rss; atPeak = parts(m); } };
const timer = setInterval(sample, 20);
const t0 = performance.now();
let last = t0;
const r = await writeTable(fs.createWriteStream(file), {
  format, columns: CASE_COLUMNS, sheet: '案件', rows: caseExportRows(ctx, p, {}, { max }), progressEvery: 50_000,
  onProgress: (n) => {
    sample();
    if (performance.now() - last > 10_000) { last = performance.now(); process.stderr.write(`[bench] exported ${n.toLocaleString()} rows, RSS ${mb(process.memoryUsage().rss)} MB\n`); }
  },
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
sample();
const bytes = fs.statSync(file).size;
fs.rmSync(file, { force: true });
await closeContext(ctx);
process.stdout.write(`${JSON.stringify({
  rows: r.rows, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round(r.rows / seconds), bytes, baselineRssMb: mb(m0.rss), peakRssMb: mb(peak),
  complete: r.complete, memory: { baseline: parts(m0), atPeak }, chunk: EXPORT_CHUNK, from: root === 'src' ? 'tsx' : 'dist',
})}\n`);
