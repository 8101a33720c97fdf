import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import { bboxOf, pointInPolygon, type LinearRing, type PolygonalGeometry } from './geometry.ts';
import { GridIndex, type GridFeature } from './spatial-index.ts';
import { generateSyntheticGrids, seededRandom } from './synthetic-grids.ts';

const box = (x0: number, y0: number, x1: number, y1: number): LinearRing => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

/** The reference: first grid in input order whose polygon contains the point. */
function bruteForce(grids: readonly GridFeature[], lon: number, lat: number): string | null {
  let boxes = boxCache.get(grids);
  if (!boxes) boxCache.set(grids, (boxes = grids.map((g) => bboxOf(g.geometry))));
  for (let i = 0; i < grids.length; i++) {
    const [x0, y0, x1, y1] = boxes[i];
    if (lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 && pointInPolygon(lon, lat, grids[i].geometry)) return grids[i].id;
  }
  return null;
}
const boxCache = new WeakMap<readonly GridFeature[], number[][]>();

const tessellation = generateSyntheticGrids({ cols: 60, rows: 60, centerLon: 121.4, centerLat: 31.2, cellAreaM2: 35_000, seed: 3 });
const extent = ((): [number, number, number, number] => {
  const boxes = tessellation.map((g) => bboxOf(g.geometry));
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
})();

test('locate agrees with brute-force point-in-polygon for 10,000 random points on a tessellation', () => {
  const index = new GridIndex(tessellation);
  assert.equal(index.size, 3_600);
  const rnd = seededRandom(99);
  const [x0, y0, x1, y1] = extent;
  const mx = (x1 - x0) * 0.05, my = (y1 - y0) * 0.05;
  let inside = 0;
  for (let k = 0; k < 10_000; k++) {
    const lon = x0 - mx + rnd() * (x1 - x0 + 2 * mx);
    const lat = y0 - my + rnd() * (y1 - y0 + 2 * my);
    const expected = bruteForce(tessellation, lon, lat);
    assert.equal(index.locate(lon, lat), expected, `at ${lon}, ${lat}`);
    assert.deepEqual(index.locateAll(lon, lat), expected === null ? [] : [expected]);
    if (expected !== null) inside++;
  }
  assert.ok(inside > 8_000 && inside < 10_000, `both outcomes exercised (${inside} inside)`);
});

test('every corner of the tessellation belongs to at most one grid, and locate agrees (boundary rule)', () => {
  const small = generateSyntheticGrids({ cols: 30, rows: 30, centerLon: 116.4, centerLat: 39.9, cellAreaM2: 35_000, seed: 4 });
  const index = new GridIndex(small);
  const boxes = small.map((g) => bboxOf(g.geometry));
  const corners = new Map<string, [number, number]>();
  for (const g of small) for (const p of g.geometry.coordinates[0]) corners.set(`${p[0]},${p[1]}`, [p[0], p[1]]);
  let owned = 0;
  for (const [lon, lat] of corners.values()) {
    const owners = small.filter((g, i) => {
      const [x0, y0, x1, y1] = boxes[i];
      return lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 && pointInPolygon(lon, lat, g.geometry);
    }).map((g) => g.id);
    assert.ok(owners.length <= 1, `corner ${lon}, ${lat} in ${owners.join(', ')}`);
    assert.equal(index.locate(lon, lat), owners[0] ?? null);
    assert.deepEqual(index.locateAll(lon, lat), owners);
    if (owners.length === 1) owned++;
  }
  // shared corners inside the layer all have an owner: only points on the outer boundary may have none
  assert.ok(owned > corners.size * 0.9, `${owned} of ${corners.size} corners owned`);
});

test('the answer does not depend on the cell size (fine, coarse and capped tables)', () => {
  const rnd = seededRandom(5);
  const indexes = [1, 2, 7].map((cellsPerGrid) => new GridIndex(tessellation, { cellsPerGrid, validate: false }));
  indexes.push(new GridIndex(tessellation, { maxCells: 100, validate: false }));
  const [x0, y0, x1, y1] = extent;
  for (let k = 0; k < 3_000; k++) {
    const lon = x0 + rnd() * (x1 - x0), lat = y0 + rnd() * (y1 - y0);
    const expected = bruteForce(tessellation, lon, lat);
    for (const index of indexes) assert.equal(index.locate(lon, lat), expected);
  }
});

test('outside every grid is an explicit null, also for non-finite input', () => {
  const index = new GridIndex(tessellation);
  assert.equal(index.locate(116.4, 39.9), null);
  assert.equal(index.locate(extent[0] - 1e-6, (extent[1] + extent[3]) / 2), null);
  assert.equal(index.locate(NaN, 31.2), null);
  assert.equal(index.locate(121.4, Infinity), null);
  assert.deepEqual(index.locateAll(NaN, NaN), []);
  const empty = new GridIndex([]);
  assert.equal(empty.size, 0);
  assert.equal(empty.locate(121.4, 31.2), null);
});

test('holes are respected: a grid inside another grid\'s hole owns the hole', () => {
  const grids: GridFeature[] = [
    { id: 'ring', geometry: { type: 'Polygon', coordinates: [box(0, 0, 0.01, 0.01), box(0.003, 0.003, 0.007, 0.007)] } },
    { id: 'island', geometry: { type: 'Polygon', coordinates: [box(0.004, 0.004, 0.006, 0.006)] } },
  ];
  const index = new GridIndex(grids);
  assert.equal(index.locate(0.001, 0.001), 'ring');
  assert.equal(index.locate(0.005, 0.005), 'island');
  assert.equal(index.locate(0.0035, 0.005), null, 'in the hole but not on the island');
  assert.equal(index.locate(0.0095, 0.005), 'ring');
  const rnd = seededRandom(8);
  for (let k = 0; k < 2_000; k++) {
    const lon = -0.001 + rnd() * 0.012, lat = -0.001 + rnd() * 0.012;
    assert.equal(index.locate(lon, lat), bruteForce(grids, lon, lat));
  }
});

test('MultiPolygon grids are respected: every part belongs to the grid, the gap does not', () => {
  const grids: GridFeature[] = [
    { id: 'split', geometry: { type: 'MultiPolygon', coordinates: [[box(121, 31, 121.002, 31.002)], [box(121.004, 31, 121.006, 31.002)]] } },
    { id: 'other', geometry: { type: 'Polygon', coordinates: [box(121, 31.002, 121.006, 31.004)] } },
  ];
  const index = new GridIndex(grids);
  assert.equal(index.locate(121.001, 31.001), 'split');
  assert.equal(index.locate(121.005, 31.001), 'split');
  assert.equal(index.locate(121.003, 31.001), null);
  assert.equal(index.locate(121.003, 31.003), 'other');
  assert.equal(index.locate(121.001, 31.002), 'other', 'a shared east-west edge belongs to the northern grid');
});

test('overlapping layers: locate returns the first grid in input order, locateAll every grid', () => {
  const grids: GridFeature[] = [
    { id: 'street-a', geometry: { type: 'Polygon', coordinates: [box(0, 0, 2, 2)] } },
    { id: 'patrol-1', geometry: { type: 'Polygon', coordinates: [box(1, 1, 3, 3)] } },
    { id: 'patrol-2', geometry: { type: 'Polygon', coordinates: [box(1.5, 0, 2.5, 3)] } },
  ];
  const index = new GridIndex(grids);
  assert.equal(index.locate(1.7, 1.7), 'street-a');
  assert.deepEqual(index.locateAll(1.7, 1.7), ['street-a', 'patrol-1', 'patrol-2']);
  assert.deepEqual(index.locateAll(2.7, 2.7), ['patrol-1']);
  assert.deepEqual(index.locateAll(0.5, 2.5), []);
  const reversed = new GridIndex([...grids].reverse());
  assert.equal(reversed.locate(1.7, 1.7), 'patrol-2');
});

test('bad input is rejected when the index is built', () => {
  const square = { type: 'Polygon' as const, coordinates: [box(0, 0, 1, 1)] };
  assert.throws(
    () => new GridIndex([{ id: 'a', geometry: square }, { id: 'a', geometry: square }]),
    (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && e.field === 'grids[1].id',
  );
  assert.throws(() => new GridIndex([{ id: '', geometry: square }]), (e: unknown) => e instanceof DomainError && e.field === 'grids[0].id');
  const bowtie: PolygonalGeometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };
  assert.throws(
    () => new GridIndex([{ id: 'ok', geometry: square }, { id: 'bad', geometry: bowtie }]),
    (e: unknown) =>
      e instanceof DomainError && e.code === 'INVALID_GEOMETRY' && e.field === 'grids[1].geometry' && /grid "bad": coordinates\[0\]\[2\]/.test(e.message),
  );
  // validation can be skipped for geometry already checked on import; the index still answers by even-odd
  assert.equal(new GridIndex([{ id: 'bad', geometry: bowtie }], { validate: false }).size, 1);
});
