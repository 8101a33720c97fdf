import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainError } from '../errors.ts';
import type { Actor } from '../policy/scope.ts';
import { DEFAULT_SUMMONS_SETTINGS, parseSummonsSettings } from './settings.ts';
import { checkClose, checkDepartments, checkRating, commandingUnit, decideReport, mayCommand, reportDueAt, withinReach, type UnitFacts } from './rules.ts';

const PATH = ['city', 'd1', 's1'];
const units: Record<string, UnitFacts> = {
  district: { id: 'district', name: '区城管局', active: true, regionId: 'd1', regionPath: ['city', 'd1'] },
  city: { id: 'city', name: '市供电公司', active: true, regionId: 'city', regionPath: ['city'] },
  vertical: { id: 'vertical', name: '气象局', active: true, regionId: null, regionPath: [] },
  community: { id: 'community', name: '社区工作站', active: true, regionId: 'c1', regionPath: ['city', 'd1', 's1', 'c1'] },
  office: { id: 'office', name: '街道办事处', active: true, regionId: 's1', regionPath: PATH },
  otherStreet: { id: 'otherStreet', name: '别的街道', active: true, regionId: 's2', regionPath: ['city', 'd1', 's2'] },
  otherDistrict: { id: 'otherDistrict', name: '别的区', active: true, regionId: 'd2', regionPath: ['city', 'd2'] },
  closed: { id: 'closed', name: '已撤销', active: false, regionId: 'd1', regionPath: ['city', 'd1'] },
};
const lookup = (id: string) => units[id];
const actor = (roles: Actor['roles'], unitIds: string[] = [], regionIds: string[] = []): Actor => ({ userId: 'u', roles, unitIds, regionIds });
const fieldOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return (e as DomainError).field; }
  return 'no error';
};
const codeOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (e) { return (e as DomainError).code; }
  return 'no error';
};

test('reach: city- and district-level units and the street\'s own communities; not other streets or districts', () => {
  assert.deepEqual(Object.values(units).filter((u) => withinReach(u, PATH)).map((u) => u.id), ['district', 'city', 'vertical', 'community', 'office', 'closed']);
});

test('departments: a non-empty list without repeats of known, active units within reach, not the issuer', () => {
  assert.deepEqual(checkDepartments(['district', 'vertical'], lookup, PATH, 'office'), ['district', 'vertical']);
  assert.equal(fieldOf(() => checkDepartments([], lookup, PATH, null)), 'unitIds');
  assert.equal(fieldOf(() => checkDepartments('district', lookup, PATH, null)), 'unitIds');
  assert.equal(fieldOf(() => checkDepartments(['district', 'city', 'district'], lookup, PATH, null)), 'unitIds.2');
  assert.equal(fieldOf(() => checkDepartments(['nope'], lookup, PATH, null)), 'unitIds.0');
  assert.equal(fieldOf(() => checkDepartments(['city', 'closed'], lookup, PATH, null)), 'unitIds.1');
  assert.equal(fieldOf(() => checkDepartments(['otherStreet'], lookup, PATH, null)), 'unitIds.0');
  assert.equal(fieldOf(() => checkDepartments(['otherDistrict'], lookup, PATH, null)), 'unitIds.0');
  assert.equal(fieldOf(() => checkDepartments(['office'], lookup, PATH, 'office')), 'unitIds.0');
  assert.deepEqual(checkDepartments(['office'], lookup, PATH, null), ['office']);
});

test('who commands: the street\'s units, coordinators covering the street, admins', () => {
  assert.equal(commandingUnit(actor(['unit_leader'], ['office']), PATH, ['office']), 'office');
  assert.equal(commandingUnit(actor(['dispatcher'], [], ['d1']), PATH, []), null);
  assert.equal(commandingUnit(actor(['admin']), PATH, []), null);
  assert.equal(codeOf(() => commandingUnit(actor(['unit_leader'], ['district']), PATH, [])), 'FORBIDDEN');
  assert.equal(codeOf(() => commandingUnit(actor(['dispatcher'], [], ['s2']), PATH, [])), 'FORBIDDEN');
  assert.equal(codeOf(() => commandingUnit(actor(['inspector'], [], ['city']), PATH, [])), 'FORBIDDEN');
  const s = { issuerUnitId: 'office', regionPath: PATH };
  assert.equal(mayCommand(actor(['unit_handler'], ['office']), s), true);
  assert.equal(mayCommand(actor(['unit_handler'], ['district']), s), false);
  assert.equal(mayCommand(actor(['shift_leader'], [], ['s1']), s), true);
  assert.equal(mayCommand(actor(['grid_member'], [], ['s1']), s), false);
});

test('report: on site within the radius, inside the city; late is accepted and marked; once; only the department', () => {
  const place = { lon: 121.5, lat: 31.2 };
  const s = { state: 'open' as const, place };
  const dept = { unitId: 'district', state: 'summoned' as const, dueAt: 1_000, rating: null };
  const inCity = () => true;
  const me = actor(['unit_handler'], ['district']);
  const settings = DEFAULT_SUMMONS_SETTINGS;
  assert.deepEqual(decideReport(s, dept, me, { unitId: 'district', mode: 'online' }, 999, settings, inCity), { late: false, distanceMeters: null });
  assert.deepEqual(decideReport(s, dept, me, { unitId: 'district', mode: 'online' }, 1_001, settings, inCity), { late: true, distanceMeters: null });
  // 0.004° of latitude ≈ 445 m: inside 500 m; 0.005° ≈ 556 m: outside.
  assert.equal(decideReport(s, dept, me, { unitId: 'district', mode: 'on_site', position: { lon: 121.5, lat: 31.204 } }, 0, settings, inCity).distanceMeters, 445);
  assert.equal(fieldOf(() => decideReport(s, dept, me, { unitId: 'district', mode: 'on_site', position: { lon: 121.5, lat: 31.205 } }, 0, settings, inCity)), 'position');
  assert.equal(fieldOf(() => decideReport(s, dept, me, { unitId: 'district', mode: 'on_site' }, 0, settings, inCity)), 'position');
  assert.equal(codeOf(() => decideReport(s, dept, me, { unitId: 'district', mode: 'on_site', position: place }, 0, settings, () => false)), 'OUT_OF_GRID');
  assert.equal(codeOf(() => decideReport(s, dept, actor(['unit_handler'], ['city']), { unitId: 'district', mode: 'online' }, 0, settings, inCity)), 'FORBIDDEN');
  assert.equal(codeOf(() => decideReport(s, { ...dept, state: 'reported' }, me, { unitId: 'district', mode: 'online' }, 0, settings, inCity)), 'CONFLICT');
  assert.equal(codeOf(() => decideReport({ ...s, state: 'closed' }, dept, me, { unitId: 'district', mode: 'online' }, 0, settings, inCity)), 'INVALID_TRANSITION');
  assert.equal(fieldOf(() => decideReport(s, undefined, me, { unitId: 'x', mode: 'online' }, 0, settings, inCity)), 'unitId');
  assert.equal(fieldOf(() => decideReport({ ...s, place: null }, dept, me, { unitId: 'district', mode: 'on_site', position: place }, 0, settings, inCity)), 'mode');
});

test('close and rate', () => {
  assert.deepEqual(checkClose({ state: 'open' }, 'escalated', ' 上报区级 '), { outcome: 'escalated', note: '上报区级' });
  assert.equal(fieldOf(() => checkClose({ state: 'open' }, 'done', '好')), 'outcome');
  assert.equal(fieldOf(() => checkClose({ state: 'open' }, 'resolved', '')), 'note');
  assert.equal(codeOf(() => checkClose({ state: 'closed' }, 'resolved', '已解决')), 'INVALID_TRANSITION');
  const d = { unitId: 'u', state: 'reported' as const, dueAt: 0, rating: null };
  assert.equal(checkRating(d, 'u', 4), 4);
  assert.equal(checkRating({ ...d, state: 'absent' }, 'u', 1), 1);
  assert.equal(fieldOf(() => checkRating(d, 'u', 0)), 'rating');
  assert.equal(fieldOf(() => checkRating(d, 'u', 4.5)), 'rating');
  assert.equal(codeOf(() => checkRating({ ...d, rating: 3 }, 'u', 4)), 'CONFLICT');
  assert.equal(codeOf(() => checkRating({ ...d, state: 'summoned' }, 'u', 4)), 'INVALID_TRANSITION');
  assert.equal(fieldOf(() => checkRating(undefined, 'x', 4)), 'unitId');
});

test('settings: defaults are Beijing\'s 30 minutes; the parser names the field', () => {
  assert.equal(reportDueAt('emergency', 0, DEFAULT_SUMMONS_SETTINGS), 30 * 60_000);
  const ok = parseSummonsSettings({ reportLimitMinutes: { routine: 60, tackling: 45, emergency: 15 }, checkInRadiusMeters: 300 });
  assert.equal(reportDueAt('emergency', 0, ok), 15 * 60_000);
  assert.equal(fieldOf(() => parseSummonsSettings(null)), 'body');
  assert.equal(fieldOf(() => parseSummonsSettings({ reportLimitMinutes: 30, checkInRadiusMeters: 500 }, 'summons_settings')), 'summons_settings.reportLimitMinutes');
  assert.equal(fieldOf(() => parseSummonsSettings({ reportLimitMinutes: { routine: 30, tackling: 30 }, checkInRadiusMeters: 500 })), 'reportLimitMinutes.emergency');
  assert.equal(fieldOf(() => parseSummonsSettings({ reportLimitMinutes: { routine: 30, tackling: 30, emergency: 30, other: 5 }, checkInRadiusMeters: 500 })), 'reportLimitMinutes.other');
  assert.equal(fieldOf(() => parseSummonsSettings({ reportLimitMinutes: { routine: 30, tackling: 30, emergency: 30 }, checkInRadiusMeters: 5 })), 'checkInRadiusMeters');
  assert.equal(fieldOf(() => parseSummonsSettings({ reportLimitMinutes: { routine: 30, tackling: 30, emergency: 30 }, checkInRadiusMeters: 500, x: 1 })), 'x');
});
