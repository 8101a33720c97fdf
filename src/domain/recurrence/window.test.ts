import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './detect.ts';
import { RecurrenceWindow, boxAround, type WindowPoint } from './window.ts';
import { haversineMeters } from '../duplicates/duplicates.ts';

const DAY = 86_400_000;

/** mulberry32: a small deterministic PRNG, so a failure names its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/**
 * Runs a stream of reports through two detectors that differ only in their candidates: every earlier report (what
 * `decide` would accept from anyone) and the window's buckets. Their decisions must be the same, report by report.
 */
function compare(seed: number, lat0: number, radiusMeters: number, n: number) {
  const rnd = prng(seed);
  const s = { radiusMeters, windowDays: 30, minCount: 2 + Math.floor(rnd() * 4) };
  const win = new RecurrenceWindow<WindowPoint>(s, (s.windowDays + 7) * DAY);
  const all: WindowPoint[] = [];
  // A few clusters about 2 r wide (so many pairs are near r apart), some parts, some reports with no place.
  const centres = Array.from({ length: 6 }, () => [100 + rnd() * 0.02, lat0 + rnd() * 0.02]);
  let nextProblem = 1;
  let decided = 0;
  for (let i = 1; i <= n; i++) {
    const [clon, clat] = centres[Math.floor(rnd() * centres.length)];
    const placed = rnd() > 0.05;
    const dx = (rnd() - 0.5) * 4 * radiusMeters, dy = (rnd() - 0.5) * 4 * radiusMeters;
    const lat = clat + dy / 111_195;
    const lon = clon + dx / (111_195 * Math.cos((lat * Math.PI) / 180));
    const partId = rnd() < 0.15 ? `P${Math.floor(rnd() * 3)}` : null;
    if (!placed && !partId) continue;
    const p: WindowPoint = {
      caseId: i, at: i * 0.2 * DAY + Math.floor(rnd() * DAY), lon: placed ? lon : null, lat: placed ? lat : null, partId, problemId: null,
      matterCode: rnd() < 0.7 ? 'A' : 'B', h3: placed ? 'cell' : null,
    };
    const q = { ...p };
    const naive = decide(p, all.filter((x) => x.matterCode === p.matterCode), s);
    const cand = win.candidates(q);
    assert.equal(new Set(cand).size, cand.length, `seed ${seed}: a candidate listed twice`);
    const fast = decide(q, cand, s);
    assert.deepEqual(fast, naive, `seed ${seed}, report ${i}`);
    if (naive.kind !== 'none') {
      decided++;
      const id = naive.kind === 'create' ? nextProblem++ : naive.problemId;
      const members = new Set(naive.members);
      for (const x of [...all, p]) if (members.has(x.caseId) && x.problemId === null) x.problemId = id;
      for (const x of [...cand, q]) if (members.has(x.caseId) && x.problemId === null) x.problemId = id;
    }
    all.push(p);
    win.add(q);
    if (i % 97 === 0) win.prune(q.at);
  }
  return decided;
}

test('the window finds every neighbour the full scan finds: same decisions report by report (equator to 60°, both hemispheres, 5–150 m)', () => {
  let decided = 0;
  for (const [seed, lat0, r] of [[1, 31.2, 50], [2, 0.001, 5], [3, 59.9, 150], [4, -33.9, 80], [5, 45, 20], [6, 22.5, 150]] as const) {
    decided += compare(seed, lat0, r, 600);
  }
  assert.ok(decided > 100, `the streams made problems (${decided} decisions), so the comparison covered joins and creates`);
});

test('a neighbour exactly r away, across a row and a column boundary, is a candidate', () => {
  const r = 50;
  const win = new RecurrenceWindow<WindowPoint>({ radiusMeters: r, windowDays: 90, minCount: 5 }, 97 * DAY);
  const base = { partId: null, problemId: null, matterCode: 'A', h3: 'x' };
  // Put the first point just below a row boundary and just left of a column boundary, the second r metres away diagonally.
  const lat = Math.ceil(31.5 / (r / 111_000)) * (r / 111_000) - 1e-9;
  const p = { ...base, caseId: 1, at: 0, lon: 121.4, lat };
  win.add(p);
  for (let a = 0; a < 360; a += 15) {
    const t = (a * Math.PI) / 180;
    const lat2 = lat + (Math.sin(t) * r * 0.999) / 111_195;
    const lon2 = 121.4 + (Math.cos(t) * r * 0.999) / (111_195 * Math.cos((lat * Math.PI) / 180));
    assert.ok(haversineMeters(121.4, lat, lon2, lat2) <= r, `angle ${a}: the probe is within r`);
    assert.ok(win.candidates({ ...base, caseId: 2, at: DAY, lon: lon2, lat: lat2 }).includes(p), `angle ${a}`);
  }
  // And the window forgets what is older than it keeps.
  assert.deepEqual(win.candidates({ ...base, caseId: 3, at: 98 * DAY, lon: 121.4, lat }), []);
});

test('the box around a point holds every point within the radius (the job narrows its store query with it), and not much more', () => {
  const rnd = prng(9);
  for (const lat0 of [-45, 0, 22.5, 31.2, 53.5, 70]) {
    for (const r of [5, 50, 150]) {
      const b = boxAround(121, lat0, r);
      let inside = 0;
      for (let i = 0; i < 400; i++) {
        const t = rnd() * 2 * Math.PI, d = r * (i < 200 ? 1 : rnd());
        const lat = lat0 + (Math.sin(t) * d) / 111_195;
        const lon = 121 + (Math.cos(t) * d) / (111_195 * Math.cos((lat0 * Math.PI) / 180));
        if (haversineMeters(121, lat0, lon, lat) > r) continue;
        inside++;
        assert.ok(lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat, `lat ${lat0}, r ${r}, angle ${t}`);
      }
      assert.ok(inside > 150, 'most probes were within the radius');
      // Not much more: the box is at most a few percent wider than the circle.
      assert.ok(haversineMeters(b.minLon, lat0, b.maxLon, lat0) < 2 * r * 1.05 && haversineMeters(121, b.minLat, 121, b.maxLat) < 2 * r * 1.01, `lat ${lat0}, r ${r}: box too large`);
    }
  }
});
