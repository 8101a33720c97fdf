import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoOverlap, checkPosition, coverageOf, coversInstant, DEFAULT_FIELD_LIMITS, distanceM, NearestIndex, parseFieldLimits, personKindOf,
  pointVisits, validateRosterEntry, actingPeople, type Bounds, type RosterEntry,
} from './index.ts';
import { type DomainError } from '../errors.ts';

const T = Date.UTC(2026, 10, 25, 2, 0, 0);
const CITY: Bounds = { minLon: 120.0, minLat: 30.0, maxLon: 120.3, maxLat: 30.3 };

test('distance: one degree of latitude is ~111.2 km; a degree of longitude shrinks with latitude; symmetric, zero at the point', () => {
  assert.ok(Math.abs(distanceM(120, 30, 120, 31) - 111_195) < 10);
  assert.ok(Math.abs(distanceM(120, 30, 121, 30) - 111_195 * Math.cos(30 * Math.PI / 180)) < 300);
  assert.equal(distanceM(120.1, 30.1, 120.1, 30.1), 0);
  assert.equal(distanceM(120, 30, 120.2, 30.1), distanceM(120.2, 30.1, 120, 30));
});

test('position checks: inside the city with a margin, no future, no impossible jump per kind', () => {
  const L = DEFAULT_FIELD_LIMITS;
  const ok = checkPosition({ lon: 120.1, lat: 30.1, at: T }, 'inspector', null, CITY, L, T);
  assert.equal(ok, null);
  // 10 km outside: inside the 20 km margin; 50 km: refused, naming lon
  assert.equal(checkPosition({ lon: 120.4, lat: 30.1, at: T }, 'inspector', null, CITY, L, T), null);
  assert.equal(checkPosition({ lon: 120.9, lat: 30.1, at: T }, 'inspector', null, CITY, L, T)?.field, 'lon');
  assert.equal(checkPosition({ lon: 200, lat: 30.1, at: T }, 'inspector', null, CITY, L, T, 'items[2]')?.field, 'items[2].lon');
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1, at: T + 5 * 60_000 }, 'inspector', null, CITY, L, T)?.field, 'at');
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1, at: T + 60_000 }, 'inspector', null, CITY, L, T), null, 'a minute of clock drift is tolerated');
  // 1 km in 60 s = 60 km/h: the limit for a person (not over it); 2 km in 60 s = 120 km/h: too fast on foot, fine for a vehicle
  const last = { lon: 120.1, lat: 30.1, at: T - 60_000 };
  const oneKm = 1000 / 111_195;
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1 + oneKm * 0.99, at: T }, 'grid_member', last, CITY, L, T), null);
  const fast = checkPosition({ lon: 120.1, lat: 30.1 + 2 * oneKm, at: T }, 'grid_member', last, CITY, L, T);
  assert.equal(fast?.field, 'at');
  assert.match(fast!.message, /120 km\/h/);
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1 + 2 * oneKm, at: T }, 'vehicle', last, CITY, L, T), null);
  // GPS jitter (30 m in 1 s) is never refused; an older fix is not speed-checked
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1 + 30 / 111_195, at: last.at + 1000 }, 'inspector', last, CITY, L, T), null);
  assert.equal(checkPosition({ lon: 120.2, lat: 30.2, at: last.at - 1000 }, 'inspector', last, CITY, L, T), null);
  // a city's own limits
  const slow = parseFieldLimits({ maxSpeedKmh: { grid_member: 20 } }, 'field_limits', L);
  assert.equal(slow.maxSpeedKmh.grid_member, 20);
  assert.equal(slow.maxSpeedKmh.vehicle, 150);
  assert.equal(checkPosition({ lon: 120.1, lat: 30.1 + oneKm * 0.5, at: T }, 'grid_member', last, CITY, slow, T)?.field, 'at');
  assert.throws(() => parseFieldLimits({ maxSpeedKmh: { horse: 30 } }, 'field_limits', L), (e: DomainError) => e.field === 'field_limits.maxSpeedKmh.horse');
  assert.throws(() => parseFieldLimits({ freshMs: -1 }, 'field_limits', L), (e: DomainError) => e.field === 'field_limits.freshMs');
});

test('nearest: the bucketed index agrees with a brute-force scan, with filters and a distance cap', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const idx = new NearestIndex<{ lon: number; lat: number; ok: boolean }>();
  const all = new Map<string, { lon: number; lat: number; ok: boolean }>();
  for (let i = 0; i < 3000; i++) {
    const it = { lon: 120 + rnd() * 0.3, lat: 30 + rnd() * 0.3, ok: rnd() > 0.3 };
    idx.upsert(`p${i}`, it);
    all.set(`p${i}`, it);
  }
  // move some, remove some
  for (let i = 0; i < 300; i++) {
    const it = { lon: 120 + rnd() * 0.3, lat: 30 + rnd() * 0.3, ok: true };
    idx.upsert(`p${i}`, it);
    all.set(`p${i}`, it);
  }
  for (let i = 300; i < 400; i++) { idx.remove(`p${i}`); all.delete(`p${i}`); }
  assert.equal(idx.size, all.size);
  for (let q = 0; q < 50; q++) {
    const lon = 119.95 + rnd() * 0.4;
    const lat = 29.95 + rnd() * 0.4;
    const got = idx.nearest(lon, lat, 10, (it) => it.ok).map((h) => h.id);
    const want = [...all].filter(([, it]) => it.ok).map(([id, it]) => ({ id, d: distanceM(lon, lat, it.lon, it.lat) }))
      .sort((a, b) => a.d - b.d).slice(0, 10).map((x) => x.id);
    assert.deepEqual(got, want, `query ${q}`);
  }
  const capped = idx.nearest(120.15, 30.15, 50, () => true, 500);
  assert.ok(capped.every((h) => h.distanceM <= 500));
  assert.deepEqual(new NearestIndex().nearest(120, 30, 5), []);
  // a lone far-away item is still found (the index falls back to a scan)
  const sparse = new NearestIndex<{ lon: number; lat: number }>();
  sparse.upsert('far', { lon: 121, lat: 31 });
  assert.equal(sparse.nearest(120, 30, 1)[0].id, 'far');
});

test('coverage: grids each member visited in first-visit order, grids nobody visited, the share covered', () => {
  const visits = pointVisits([
    { resourceId: 'user:a', gridId: 'g2', at: T + 2 },
    { resourceId: 'user:a', gridId: 'g1', at: T + 1 },
    { resourceId: 'user:a', gridId: 'g1', at: T + 3 },
    { resourceId: 'user:b', gridId: 'g2', at: T + 4 },
    { resourceId: 'user:b', gridId: 'gX', at: T + 5 },
  ]);
  const c = coverageOf(visits, ['g1', 'g2', 'g3', 'g4']);
  assert.deepEqual(c.byResource.map((r) => [r.resourceId, r.grids.map((g) => `${g.gridId}:${g.points}`)]), [['user:a', ['g1:2', 'g2:1']], ['user:b', ['g2:1', 'gX:1']]]);
  assert.deepEqual(c.unvisited, ['g3', 'g4']);
  assert.equal(c.coveredShare, 0.5);
  assert.equal(coverageOf([], []).coveredShare, 1);
});

test('rosters: end after start, a place, a known role; overlaps of one person refused; half-open intervals', () => {
  const e = { userId: 'u1', regionId: 'r1', dutyRole: 'dispatcher', startAt: T, endAt: T + 8 * 3600_000 };
  validateRosterEntry(e);
  assert.throws(() => validateRosterEntry({ ...e, endAt: T }), (x: DomainError) => x.field === 'endAt');
  assert.throws(() => validateRosterEntry({ ...e, endAt: T + 27 * 3600_000 }), (x: DomainError) => x.field === 'endAt');
  assert.throws(() => validateRosterEntry({ ...e, regionId: null }), (x: DomainError) => x.field === 'regionId');
  assert.throws(() => validateRosterEntry({ ...e, dutyRole: 'pilot' }), (x: DomainError) => x.field === 'dutyRole');
  const other: RosterEntry = { id: 7, userId: 'u1', unitId: null, regionId: 'r1', dutyRole: 'dispatcher', startAt: T + 8 * 3600_000, endAt: T + 16 * 3600_000, note: null };
  assertNoOverlap(e, [other]); // back to back is fine
  assert.throws(() => assertNoOverlap({ ...e, endAt: e.endAt + 1 }, [other]), (x: DomainError) => x.code === 'CONFLICT' && x.field === 'startAt');
  assertNoOverlap({ ...e, userId: 'u2', endAt: e.endAt + 1 }, [other]);
  assert.equal(coversInstant([other], other.startAt), true);
  assert.equal(coversInstant([other], other.endAt), false);
  assert.deepEqual([personKindOf(['dispatcher', 'grid_member']), personKindOf(['operator'])], ['grid_member', null]);
});

test('who can act on a case: the centre\'s eyes before dispatch and at the check, the holding units\' staff while handled', () => {
  assert.deepEqual(actingPeople('VERIFYING', ['u1']).kinds, ['inspector', 'grid_member']);
  assert.equal(actingPeople('CHECKING', ['u1']).unitHandlersOf, undefined);
  assert.deepEqual(actingPeople('IN_PROGRESS', ['u1']), { kinds: ['unit_handler', 'grid_member'], unitHandlersOf: ['u1'] });
  assert.deepEqual(actingPeople('ARCHIVED', []).kinds, ['inspector', 'grid_member', 'unit_handler']);
});
