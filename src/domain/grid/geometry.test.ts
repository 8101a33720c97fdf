import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bboxOf,
  centroidOf,
  pointInPolygon,
  pointOnSurface,
  polygonAreaM2,
  ringAreaM2,
  validatePolygonGeometry,
  type LinearRing,
  type MultiPolygon,
  type Polygon,
} from './geometry.ts';
import { generateSyntheticGrids } from './synthetic-grids.ts';

const box = (x0: number, y0: number, x1: number, y1: number): LinearRing => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const poly = (...rings: LinearRing[]): Polygon => ({ type: 'Polygon', coordinates: rings });
const codes = (g: unknown): string[] => validatePolygonGeometry(g).map((p) => p.code);

test('a valid square, a square with a hole, and a valid MultiPolygon have no problems', () => {
  assert.deepEqual(validatePolygonGeometry(poly(box(121.4, 31.2, 121.401, 31.201))), []);
  assert.deepEqual(validatePolygonGeometry(poly(box(0, 0, 10, 10), box(2, 2, 4, 4), box(5, 5, 8, 8))), []);
  const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(2, 0, 3, 1)]] };
  assert.deepEqual(validatePolygonGeometry(multi), []);
  // clockwise shell, repeated consecutive positions and an altitude are all acceptable GeoJSON
  assert.deepEqual(validatePolygonGeometry(poly([[0, 0], [0, 1, 12], [0, 1], [1, 1], [1, 0], [0, 0]])), []);
});

test('a bowtie is flagged SELF_INTERSECTION with the path of the offending position', () => {
  const problems = validatePolygonGeometry(poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]));
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'SELF_INTERSECTION');
  assert.equal(problems[0].path, 'coordinates[0][2]');
  assert.match(problems[0].message, /Outer ring crosses itself near \[0\.5, 0\.5\]: edge 0→1 meets edge 2→3/);
});

test('rings that touch themselves, fold back, or run along themselves are flagged', () => {
  // figure eight through one vertex: reported once, not once per edge pair
  const eight = validatePolygonGeometry(poly([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]));
  assert.deepEqual(eight.map((p) => p.code), ['SELF_INTERSECTION']);
  assert.match(eight[0].message, /touches itself near \[1, 1\]/);
  // a spike: out and straight back
  const spike = validatePolygonGeometry(poly([[0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]]));
  assert.ok(spike.length >= 1 && spike.every((p) => p.code === 'SELF_INTERSECTION'), JSON.stringify(spike));
  assert.ok(spike.some((p) => /folds back/.test(p.message)));
  // zero-area triangle
  const flat = codes(poly([[0, 0], [1, 0], [2, 0], [0, 0]]));
  assert.ok(flat.length >= 1 && flat.every((c) => c === 'SELF_INTERSECTION'), flat.join());
  // a vertex lying on another edge
  assert.deepEqual(codes(poly([[0, 0], [4, 0], [4, 4], [2, 0], [0, 4], [0, 0]])), ['SELF_INTERSECTION']);
});

test('a hole crossing the shell is flagged on the hole; a hole touching the shell at one point is allowed', () => {
  const crossing = validatePolygonGeometry(poly(box(0, 0, 10, 10), box(8, 2, 12, 4)));
  assert.ok(crossing.length >= 1);
  assert.ok(crossing.every((p) => p.code === 'SELF_INTERSECTION' && /^coordinates\[1\]\[\d\]$/.test(p.path)), JSON.stringify(crossing));
  assert.match(crossing[0].message, /Hole 1 crosses outer ring/);
  assert.deepEqual(validatePolygonGeometry(poly(box(0, 0, 10, 10), [[0, 5], [3, 4], [3, 6], [0, 5]])), []);
  // sharing an edge with the shell is not a touch
  assert.deepEqual(codes(poly(box(0, 0, 10, 10), box(0, 2, 3, 4))), ['SELF_INTERSECTION']);
  // two holes crossing each other
  assert.deepEqual(codes(poly(box(0, 0, 10, 10), box(1, 1, 4, 4), box(3, 3, 6, 6))), ['SELF_INTERSECTION', 'SELF_INTERSECTION']);
});

test('crossing parts of a MultiPolygon are flagged with the part in the path', () => {
  const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [[box(0, 0, 2, 2)], [box(1, 1, 3, 3)]] };
  const problems = validatePolygonGeometry(multi);
  assert.ok(problems.length >= 1);
  assert.ok(problems.every((p) => p.code === 'SELF_INTERSECTION' && p.path.startsWith('coordinates[1][0][')), JSON.stringify(problems));
  assert.match(problems[0].message, /Polygon 1, outer ring crosses polygon 0, outer ring/);
});

test('an unclosed ring is flagged at its last position', () => {
  const problems = validatePolygonGeometry(poly([[0, 0], [1, 0], [1, 1], [0, 1]]));
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [['UNCLOSED_RING', 'coordinates[0][3]']]);
  assert.match(problems[0].message, /not closed: the last position \[0, 1\] must repeat the first \[0, 0\]/);
});

test('too few points: fewer than 4 positions, or fewer than 3 distinct corners', () => {
  assert.deepEqual(validatePolygonGeometry(poly([[0, 0], [1, 0], [0, 0]])).map((p) => [p.code, p.path]), [['TOO_FEW_POINTS', 'coordinates[0]']]);
  assert.deepEqual(codes(poly([[0, 0], [1, 0], [1, 0], [0, 0]])), ['TOO_FEW_POINTS']);
  assert.deepEqual(codes(poly(box(0, 0, 10, 10), [[1, 1], [2, 2], [1, 1]])), ['TOO_FEW_POINTS']);
});

test('longitude 200 is out of range, with the position in the path', () => {
  const problems = validatePolygonGeometry(poly([[121, 31], [200, 31], [121, 32], [121, 31]]));
  assert.deepEqual(problems.map((p) => [p.code, p.path]), [['COORD_OUT_OF_RANGE', 'coordinates[0][1]']]);
  assert.match(problems[0].message, /longitude 200 is outside \[-180, 180\]/);
  assert.deepEqual(codes(poly([[121, 31], [122, 95], [121, 32], [121, 31]])), ['COORD_OUT_OF_RANGE']);
});

test('not a polygon, or malformed coordinates', () => {
  assert.deepEqual(codes(null), ['NOT_POLYGON']);
  assert.deepEqual(codes('POLYGON((0 0, 1 0, 1 1, 0 0))'), ['NOT_POLYGON']);
  assert.deepEqual(validatePolygonGeometry({ type: 'Point', coordinates: [121, 31] }).map((p) => [p.code, p.path]), [['NOT_POLYGON', 'type']]);
  assert.deepEqual(validatePolygonGeometry({ type: 'Polygon' }).map((p) => [p.code, p.path]), [['BAD_COORDINATES', 'coordinates']]);
  assert.deepEqual(codes({ type: 'Polygon', coordinates: [] }), ['BAD_COORDINATES']);
  assert.deepEqual(codes({ type: 'MultiPolygon', coordinates: [] }), ['BAD_COORDINATES']);
  const bad = validatePolygonGeometry({ type: 'Polygon', coordinates: [[[0, 0], ['1', 0], [1, 1], [NaN, 0], [0, 0]]] });
  assert.deepEqual(bad.map((p) => [p.code, p.path]), [['BAD_COORDINATES', 'coordinates[0][1]'], ['BAD_COORDINATES', 'coordinates[0][3]']]);
  assert.deepEqual(codes({ type: 'Polygon', coordinates: [[[0, 0], [1], [1, 1], [0, 0]]] }), ['BAD_COORDINATES']);
});

test('every grid of a synthetic tessellation is valid (generator and validator agree)', () => {
  const grids = generateSyntheticGrids({ cols: 40, rows: 40, centerLon: 121.4, centerLat: 31.2, cellAreaM2: 35_000, seed: 11 });
  for (const g of grids) assert.deepEqual(validatePolygonGeometry(g.geometry), [], g.id);
});

// Ellipsoidal area element on WGS84: M(φ)·N(φ)·cos φ dφ dλ.
const A = 6378137, E2 = 0.00669437999014;
const areaElement = (phi: number): number => (A * A * (1 - E2) * Math.cos(phi)) / (1 - E2 * Math.sin(phi) ** 2) ** 2;

test('area of a 0.001° × 0.001° box near latitude 31 is within 0.5 % of the analytic value', () => {
  const d = 0.001 * (Math.PI / 180);
  const analytic = areaElement((31.0005 * Math.PI) / 180) * d * d; // midpoint rule: exact to ~1e-9 at this size
  const ring = box(121.4, 31, 121.401, 31.001);
  const got = ringAreaM2(ring);
  assert.ok(Math.abs(got / analytic - 1) < 0.005, `${got} vs ${analytic}`);
  assert.ok(Math.abs(got / analytic - 1) < 1e-5, `should in fact be far better: ${got} vs ${analytic}`);
  assert.ok(Math.abs(got - 10_588) < 10, `≈ 10,588 m² (${got})`); // ≈ 95.4 m × 110.9 m
  // orientation does not matter
  assert.equal(ringAreaM2([...ring].reverse()), got);
});

test('area of a 1° × 1° box and of a polygon with a hole match numeric integration', () => {
  // Simpson's rule over latitude: independent of the authalic-latitude formula used by the code
  const integrate = (lat0: number, lat1: number, dLon: number): number => {
    const n = 200, h = ((lat1 - lat0) * Math.PI) / 180 / n;
    let s = 0;
    for (let i = 0; i <= n; i++) s += areaElement((lat0 * Math.PI) / 180 + i * h) * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
    return ((s * h) / 3) * ((dLon * Math.PI) / 180);
  };
  const big = polygonAreaM2(poly(box(121, 30, 122, 31)));
  assert.ok(Math.abs(big / integrate(30, 31, 1) - 1) < 1e-6, `${big}`);
  const holed = polygonAreaM2(poly(box(121, 30, 122, 31), box(121.25, 30.25, 121.5, 30.5)));
  assert.ok(Math.abs(holed / (integrate(30, 31, 1) - integrate(30.25, 30.5, 0.25)) - 1) < 1e-6, `${holed}`);
  const multi = polygonAreaM2({ type: 'MultiPolygon', coordinates: [[box(121, 30, 122, 31)], [box(123, 30, 124, 31)]] });
  assert.ok(Math.abs(multi / (2 * integrate(30, 31, 1)) - 1) < 1e-6);
});

test('bbox, centroid and a point on the surface', () => {
  const square = poly(box(121.4, 31.2, 121.402, 31.204));
  assert.deepEqual(bboxOf(square), [121.4, 31.2, 121.402, 31.204]);
  const [cx, cy] = centroidOf(square);
  assert.ok(Math.abs(cx - 121.401) < 1e-12 && Math.abs(cy - 31.202) < 1e-12);
  assert.deepEqual(pointOnSurface(square), centroidOf(square));
  // a U shape: its centroid lies in the notch, outside the polygon
  const u = poly([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]);
  const c = centroidOf(u);
  assert.equal(pointInPolygon(c[0], c[1], u), false, 'test premise: centroid outside');
  const p = pointOnSurface(u);
  assert.equal(pointInPolygon(p[0], p[1], u), true, `pointOnSurface ${p}`);
  // a ring whose centroid falls in the hole
  const donut = poly(box(0, 0, 10, 10), box(2, 2, 8, 8));
  const q = pointOnSurface(donut);
  assert.equal(pointInPolygon(q[0], q[1], donut), true, `pointOnSurface ${q}`);
  // centroid of a MultiPolygon weights the parts by area
  const two: MultiPolygon = { type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(2, 0, 5, 1)]] };
  const [mx, my] = centroidOf(two);
  assert.ok(Math.abs(mx - (0.5 * 1 + 3.5 * 3) / 4) < 1e-12 && Math.abs(my - 0.5) < 1e-12);
  assert.deepEqual(bboxOf(two), [0, 0, 5, 1]);
});

test('pointInPolygon: holes, MultiPolygon parts and the boundary rule', () => {
  const donut = poly(box(0, 0, 10, 10), box(2, 2, 8, 8));
  assert.equal(pointInPolygon(1, 1, donut), true);
  assert.equal(pointInPolygon(5, 5, donut), false, 'in the hole');
  assert.equal(pointInPolygon(11, 5, donut), false);
  const two: MultiPolygon = { type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(2, 0, 3, 1)]] };
  assert.equal(pointInPolygon(0.5, 0.5, two), true);
  assert.equal(pointInPolygon(2.5, 0.5, two), true);
  assert.equal(pointInPolygon(1.5, 0.5, two), false);
  // two squares sharing the edge x = 1, and their northern neighbour sharing y = 1
  const west = poly(box(0, 0, 1, 1)), east = poly(box(1, 0, 2, 1)), north = poly(box(0, 1, 2, 2));
  const owners = (x: number, y: number): string[] =>
    [['west', west], ['east', east], ['north', north]].filter(([, g]) => pointInPolygon(x, y, g as Polygon)).map(([n]) => n as string);
  assert.deepEqual(owners(1, 0.5), ['east'], 'a point on a shared north-south edge belongs to the eastern grid');
  assert.deepEqual(owners(0.5, 1), ['north'], 'a point on a shared east-west edge belongs to the northern grid');
  assert.deepEqual(owners(1, 1), ['north'], 'a corner shared by three grids belongs to exactly one');
  assert.deepEqual(owners(2, 0.5), [], 'the east boundary of the layer is outside');
  assert.deepEqual(owners(0, 0.5), ['west'], 'the west boundary of the layer is inside');
});
