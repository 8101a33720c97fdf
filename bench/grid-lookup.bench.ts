/**
 * Point → grid lookup throughput on one core, at Shanghai scale: 40,000 unit grids of ~35,000 m² (domain.md §2).
 * Run: npx tsx bench/grid-lookup.bench.ts [--grids 40000] [--lookups 4000000] [--seed 20240601]
 * Writes bench/results/grid-lookup.json. Not a test: CI does not time things (architecture.md §3.13).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bboxOf, GridIndex, pointInPolygon, polygonAreaM2 } from '../src/domain/grid/index.ts';
import { generateSyntheticGrids, seededRandom } from '../src/domain/grid/synthetic-grids.ts';

const TARGET = 500_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const gridCount = arg('grids', 40_000);
const lookups = arg('lookups', 4_000_000);
const seed = arg('seed', 20240601);
const side = Math.round(Math.sqrt(gridCount));

console.log(`generating ${side}×${side} grids around 121.4, 31.2 (seed ${seed})…`);
const grids = generateSyntheticGrids({ cols: side, rows: side, centerLon: 121.4, centerLat: 31.2, cellAreaM2: 35_000, seed });
let vertices = 0;
let area = 0;
for (const g of grids) {
  vertices += g.geometry.coordinates[0].length - 1;
  area += polygonAreaM2(g.geometry);
}
console.log(`  ${grids.length} grids, ${(vertices / grids.length).toFixed(1)} corners and ${(area / grids.length).toFixed(0)} m² on average`);

console.log('building index (with full geometry validation)…');
const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const index = new GridIndex(grids);
const buildMs = performance.now() - t0;
const cpuBuild = process.cpuUsage(cpuBefore);
const buildCpuMs = (cpuBuild.user + cpuBuild.system) / 1000;
console.log(`  built in ${buildMs.toFixed(0)} ms (${buildCpuMs.toFixed(0)} ms CPU)`, index.stats);

// Points: uniform over the layer's bounding box plus a margin, split by the index into inside / outside, then
// mixed 95 % / 5 % in a shuffled order so the branch predictor cannot learn the pattern.
const bounds = grids.map((g) => bboxOf(g.geometry));
const minX = Math.min(...bounds.map((b) => b[0])), minY = Math.min(...bounds.map((b) => b[1]));
const maxX = Math.max(...bounds.map((b) => b[2])), maxY = Math.max(...bounds.map((b) => b[3]));
const marginX = (maxX - minX) * 0.02, marginY = (maxY - minY) * 0.02;
const rnd = seededRandom(seed ^ 0x5eed);
const points = new Float64Array(lookups * 2);
const wantOutside = Math.round(lookups * 0.05);
let nIn = 0, nOut = 0;
while (nIn + nOut < lookups) {
  const x = minX - marginX + rnd() * (maxX - minX + 2 * marginX);
  const y = minY - marginY + rnd() * (maxY - minY + 2 * marginY);
  const inside = index.locateIndex(x, y) >= 0;
  if (inside ? nIn >= lookups - wantOutside : nOut >= wantOutside) continue;
  const k = nIn + nOut;
  points[k * 2] = x;
  points[k * 2 + 1] = y;
  if (inside) nIn++; else nOut++;
}

// Spot-check the index against brute force before trusting any number.
const sample = 2_000;
for (let k = 0; k < sample; k++) {
  const x = points[k * 2], y = points[k * 2 + 1];
  let expected: string | null = null;
  for (let i = 0; i < grids.length; i++) {
    const b = bounds[i];
    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && pointInPolygon(x, y, grids[i].geometry)) { expected = grids[i].id; break; }
  }
  if (index.locate(x, y) !== expected) throw new Error(`mismatch at ${x}, ${y}: index ${index.locate(x, y)}, brute force ${expected}`);
}
console.log(`  ${sample} points agree with brute force; ${nIn} inside, ${nOut} outside`);

// The public API returns the grid id; `locateIndex` (the input position) is the allocation-free core under it.
const runLocate = (count: number): number => {
  let hits = 0;
  for (let k = 0; k < count; k++) if (index.locate(points[k * 2], points[k * 2 + 1]) !== null) hits++;
  return hits;
};
const runIndex = (count: number): number => {
  let check = 0;
  for (let k = 0; k < count; k++) check += index.locateIndex(points[k * 2], points[k * 2 + 1]);
  return check;
};
console.log('warming up…');
for (let r = 0; r < 2; r++) {
  runLocate(Math.min(lookups, 500_000));
  runIndex(Math.min(lookups, 500_000));
}

/** Median of three rounds (robust to a noisy neighbour on a shared machine), by wall clock and by CPU time. */
function measure(name: string, fn: (count: number) => number): { wall: number; cpu: number; sink: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let sink = 0;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    sink += fn(lookups);
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    wall.push(lookups / (ms / 1000));
    cpu.push(lookups / ((c.user + c.system) / 1e6));
    console.log(`  ${name} round ${r + 1}: ${ms.toFixed(0)} ms, ${Math.round(wall[r]).toLocaleString('en')} lookups/s (${Math.round(cpu[r]).toLocaleString('en')}/s of CPU time)`);
  }
  const median = (xs: number[]): number => Math.round([...xs].sort((p, q) => p - q)[1]);
  return { wall: median(wall), cpu: median(cpu), sink };
}
console.log(`timing ${lookups.toLocaleString('en')} lookups, three rounds each…`);
const viaLocate = measure('locate()', runLocate);
const viaIndex = measure('locateIndex()', runIndex);
const lookupsPerSecond = viaLocate.wall;

const result = {
  scenario: 'grid-lookup',
  grids: grids.length,
  lookups,
  buildMs: Math.round(buildMs),
  buildCpuMs: Math.round(buildCpuMs),
  indexBytes: index.stats.bytes,
  lookupsPerSecond,
  lookupsPerCpuSecond: viaLocate.cpu,
  locateIndexPerSecond: viaIndex.wall,
  insideShare: nIn / lookups,
  target: TARGET,
  pass: lookupsPerSecond >= TARGET,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  at: new Date().toISOString(),
};
const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'grid-lookup.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`(checksums ${viaLocate.sink}, ${viaIndex.sink})`);
console.log(
  `grid-lookup: ${result.grids} grids, build ${result.buildMs} ms, ${lookupsPerSecond.toLocaleString('en')} locate()/s ` +
    `(locateIndex ${viaIndex.wall.toLocaleString('en')}/s), target ${TARGET.toLocaleString('en')} → ${result.pass ? 'PASS' : 'FAIL'}; wrote ${out}`,
);
