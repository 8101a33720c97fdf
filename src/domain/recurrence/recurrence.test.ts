import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type RecurrencePoint } from './detect.ts';
import { detectPattern } from './pattern.ts';
import { parseRecurrenceSettings } from './settings.ts';
import { topicActions } from './lifecycle.ts';
import { cityDay, dayIso, resolvePeriod, weekdayOfDay } from '../hotspot/period.ts';
import { h3Of, ringOf } from '../hotspot/cells.ts';

const S = { radiusMeters: 50, windowDays: 90, minCount: 5 };
const DAY = 86_400_000;
const pt = (caseId: number, at: number, dx = 0, problemId: number | null = null, partId: string | null = null): RecurrencePoint =>
  ({ caseId, at, lon: 120.3 + dx / 95_000, lat: 31.5, partId, problemId });

test('N times in M days within the radius makes a problem; the next report joins it', () => {
  const near = [1, 2, 3, 4].map((i) => pt(i, i * DAY, 10));
  assert.deepEqual(decide(pt(5, 5 * DAY), near.slice(0, 3), S), { kind: 'none' });
  assert.deepEqual(decide(pt(5, 5 * DAY), near, S), { kind: 'create', members: [1, 2, 3, 4, 5] });
  const joined = near.map((p) => ({ ...p, problemId: 7 }));
  assert.deepEqual(decide(pt(6, 6 * DAY), [...joined, pt(5, 5 * DAY)], S), { kind: 'join', problemId: 7, members: [5, 6] });
});

test('too far, too old, later ids and other parts do not count; the same part counts at any distance', () => {
  const far = [1, 2, 3, 4].map((i) => pt(i, i * DAY, 80));
  assert.equal(decide(pt(5, 5 * DAY), far, S).kind, 'none');
  const old = [1, 2, 3, 4].map((i) => pt(i, i * DAY - 100 * DAY, 0));
  assert.equal(decide(pt(5, 5 * DAY), old, S).kind, 'none');
  const later = [6, 7, 8, 9].map((i) => pt(i, 4 * DAY));
  assert.equal(decide(pt(5, 5 * DAY), later, S).kind, 'none');
  const part = [1, 2, 3, 4].map((i) => pt(i, i * DAY, 500, null, 'P1'));
  assert.equal(decide(pt(5, 5 * DAY, 0, null, 'P1'), part, S).kind, 'create');
  assert.equal(decide(pt(5, 5 * DAY, 0, null, 'P2'), part, S).kind, 'none');
});

test('a 50 m neighbour is always in the 1-ring of the resolution-9 cell', () => {
  for (let i = 0; i < 2000; i++) {
    const lon = 120.2 + (i % 50) * 0.00173, lat = 31.5 + Math.floor(i / 50) * 0.00119;
    const a = (i * 2.399) % (2 * Math.PI);
    const b = h3Of(lon + (Math.cos(a) * 150) / 95_000, lat + (Math.sin(a) * 150) / 111_320)!;
    assert.ok(ringOf(h3Of(lon, lat)!).includes(b), `${lon},${lat}`);
  }
});

test('rhythms: weekends, a weekday, a month of the year; none for scattered days', () => {
  const off = 480;
  const today = cityDay(Date.UTC(2026, 10, 25, 2), off); // Wednesday
  const sat = [21, 14, 7].map((d) => Date.UTC(2026, 10, d, 2)).concat(Date.UTC(2026, 9, 31, 2)); // Saturdays, 10:00 local
  assert.ok(sat.every((t) => weekdayOfDay(cityDay(t, off)) === 6));
  const p = detectPattern(sat, off, today)!;
  assert.equal(p.kind, 'weekend');
  assert.equal(dayIso(p.nextDay), '2026-11-28');
  const tue = [1, 2, 3, 4].map((w) => Date.UTC(2026, 10, 24, 2) - w * 7 * DAY);
  assert.equal(detectPattern(tue, off, today)!.kind, 'weekday');
  const july = [Date.UTC(2024, 6, 3), Date.UTC(2024, 6, 20), Date.UTC(2025, 6, 9)];
  const y = detectPattern(july, off, cityDay(Date.UTC(2026, 5, 20), off))!;
  assert.equal(y.kind, 'yearly');
  assert.equal(dayIso(y.nextDay), '2026-07-01');
  const scattered = [0, 1, 2, 3, 4, 5, 6].map((d) => Date.UTC(2026, 10, 2 + d * 3, 2));
  assert.equal(detectPattern(scattered, off, today), null);
});

test('periods and settings name the field they refuse', () => {
  const today = cityDay(Date.UTC(2026, 10, 25, 2), 480);
  assert.deepEqual([resolvePeriod({ period: 'week' }, today)].map((r) => [dayIso(r.fromDay), dayIso(r.toDay)]), [['2026-11-23', '2026-11-29']]);
  assert.deepEqual([resolvePeriod({ period: 'quarter', date: '2026-11-02' }, today)].map((r) => [dayIso(r.fromDay), dayIso(r.toDay)]), [['2026-10-01', '2026-12-31']]);
  assert.throws(() => resolvePeriod({ period: 'custom', from: '2026-01-01' }, today), /to:/);
  assert.throws(() => parseRecurrenceSettings({ radiusMeters: 500 }), /radiusMeters/);
  assert.throws(() => parseRecurrenceSettings({ nope: 1 }), /nope/);
  assert.equal(parseRecurrenceSettings({}).minCount, 5);
});

test('topic actions follow state and role', () => {
  assert.deepEqual(topicActions('proposed', null, { lead: true, unitIds: [] }), ['adopt', 'dismiss']);
  assert.deepEqual(topicActions('assigned', 'u1', { lead: false, unitIds: ['u1'] }), ['resolve']);
  assert.deepEqual(topicActions('assigned', 'u1', { lead: false, unitIds: ['u2'] }), []);
  assert.deepEqual(topicActions('resolved', 'u1', { lead: true, unitIds: [] }), []);
});
