import { test } from 'node:test';
import assert from 'node:assert/strict';
import gcoordModule from 'gcoord';
import { DomainError } from '../errors.ts';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  fromWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  toWgs84,
  validateLonLat,
  wgs84ToBd09,
  wgs84ToGcj02,
  type CoordSystem,
} from './coords.ts';

// gcoord's typings declare an ES default export, but the package is CommonJS without one; under NodeNext the
// default import is module.exports itself, which is the object the typings call `default`.
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default'];

/** Great-circle distance in metres (haversine, mean radius): enough to judge sub-metre agreement. */
function metres(a: [number, number], b: [number, number]): number {
  const r = Math.PI / 180;
  const dLat = (b[1] - a[1]) * r;
  const dLon = (b[0] - a[0]) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

// Published reference vectors of eviltransform (github.com/googollee/eviltransform, test files), [lon, lat].
const EVIL_VECTORS: { name: string; wgs: [number, number]; gcj: [number, number] }[] = [
  { name: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { name: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { name: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
];

test('wgs84ToGcj02 reproduces the published reference vectors', () => {
  for (const v of EVIL_VECTORS) {
    const [lon, lat] = wgs84ToGcj02(...v.wgs);
    assert.ok(Math.abs(lon - v.gcj[0]) < 1e-9, `${v.name} lon ${lon}`);
    assert.ok(Math.abs(lat - v.gcj[1]) < 1e-9, `${v.name} lat ${lat}`);
  }
});

test('gcj02ToWgs84 inverts the reference vectors to well under 0.5 m (iterative, not one-step)', () => {
  for (const v of EVIL_VECTORS) {
    const back = gcj02ToWgs84(...v.gcj);
    assert.ok(metres(back, v.wgs) < 0.01, `${v.name}: ${metres(back, v.wgs)} m`);
    // the one-step approximation (wgs ≈ gcj − offset(gcj)) is visibly worse: the test would catch a regression to it
    const offset = wgs84ToGcj02(...v.gcj);
    const oneStep: [number, number] = [2 * v.gcj[0] - offset[0], 2 * v.gcj[1] - offset[1]];
    assert.ok(metres(oneStep, v.wgs) > 0.05, `${v.name}: one-step error ${metres(oneStep, v.wgs)} m`);
  }
});

test('round trips wgs → gcj → wgs and wgs → bd → wgs stay within 0.5 m across Shanghai and Beijing', () => {
  const areas = [
    { name: 'Shanghai', lon: 121.0, lat: 30.7, span: 1.0 },
    { name: 'Beijing', lon: 115.9, lat: 39.5, span: 1.0 },
  ];
  for (const a of areas) {
    for (let i = 0; i <= 10; i++) {
      for (let j = 0; j <= 10; j++) {
        const p: [number, number] = [a.lon + (a.span * i) / 10, a.lat + (a.span * j) / 10];
        const g = wgs84ToGcj02(...p);
        assert.ok(metres(g, p) > 50, `${a.name}: GCJ-02 offset should be hundreds of metres, got ${metres(g, p)}`);
        assert.ok(metres(gcj02ToWgs84(...g), p) < 0.5, `${a.name} gcj round trip at ${p}`);
        assert.ok(metres(toWgs84(...g, 'gcj02'), p) < 0.5, `${a.name} toWgs84 gcj02 at ${p}`);
        const b = wgs84ToBd09(...p);
        assert.ok(metres(bd09ToWgs84(...b), p) < 0.5, `${a.name} bd round trip at ${p}`);
        assert.ok(metres(toWgs84(...b, 'bd09'), p) < 0.5, `${a.name} toWgs84 bd09 at ${p}`);
        assert.ok(metres(bd09ToGcj02(...gcj02ToBd09(...g)), g) < 0.01, `${a.name} bd ↔ gcj at ${p}`);
      }
    }
  }
});

test('agrees with the gcoord library (independent implementation) within 0.5 m', () => {
  const points: [number, number][] = [[121.4737, 31.2304], [116.3975, 39.9087], [113.2644, 23.1291], [104.0665, 30.5723]];
  for (const p of points) {
    const gcj = gcoord.transform(p, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    assert.ok(metres(wgs84ToGcj02(...p), gcj) < 0.001, `wgs→gcj at ${p}`);
    const bd = gcoord.transform(p, gcoord.WGS84, gcoord.BD09) as [number, number];
    assert.ok(metres(wgs84ToBd09(...p), bd) < 0.001, `wgs→bd at ${p}`);
    // gcoord's inverse stops at 1e-6° and uses Baidu's one-step inverse: agreement to 0.5 m is what it can offer
    assert.ok(metres(bd09ToWgs84(...p), gcoord.transform(p, gcoord.BD09, gcoord.WGS84) as [number, number]) < 0.5, `bd→wgs at ${p}`);
    assert.ok(metres(gcj02ToWgs84(...p), gcoord.transform(p, gcoord.GCJ02, gcoord.WGS84) as [number, number]) < 0.5, `gcj→wgs at ${p}`);
  }
});

test('points outside China pass through GCJ-02 and BD-09 unchanged, like the official transform', () => {
  const outside: [number, number][] = [[-0.1276, 51.5072], [139.767125, 35.681236], [-74.006, 40.7128], [151.2093, -33.8688]];
  for (const p of outside) {
    assert.deepEqual(wgs84ToGcj02(...p), p);
    assert.deepEqual(gcj02ToWgs84(...p), p);
    assert.deepEqual(wgs84ToBd09(...p), p);
    assert.deepEqual(bd09ToWgs84(...p), p);
    for (const sys of ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as CoordSystem[]) {
      assert.deepEqual(toWgs84(...p, sys), p, sys);
      assert.deepEqual(fromWgs84(...p, sys), p, sys);
    }
  }
});

test('wgs84 and cgcs2000 are the internal system: identity', () => {
  assert.deepEqual(toWgs84(121.4, 31.2, 'wgs84'), [121.4, 31.2]);
  assert.deepEqual(toWgs84(121.4, 31.2, 'cgcs2000'), [121.4, 31.2]);
});

test('an unknown coordinate system from untyped input is a validation error', () => {
  assert.throws(
    () => toWgs84(121.4, 31.2, 'epsg3857' as CoordSystem),
    (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && e.field === 'coordSystem',
  );
});

test('validateLonLat accepts valid points and names the field for bad ones', () => {
  validateLonLat(121.4, 31.2, 'location');
  validateLonLat(-180, -90, 'location');
  validateLonLat(180, 90, 'location');
  const bad: [unknown, unknown][] = [[NaN, 31], [121, Infinity], [200, 31], [-180.0001, 0], [121, 91], [31.2, -90.5], ['121', 31], [121, null]];
  for (const [lon, lat] of bad) {
    assert.throws(
      () => validateLonLat(lon as number, lat as number, 'report.location'),
      (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED' && e.field === 'report.location' && e.message.startsWith('report.location: '),
      `${String(lon)}, ${String(lat)}`,
    );
  }
});
