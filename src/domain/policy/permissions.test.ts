import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PERMISSION_NAMES, ROLE_NAMES, hasPermission, isRole, permissionsOf, type Role } from './permissions.ts';
import { belongsToUnit, coversRegion } from './scope.ts';

const manage = PERMISSION_NAMES.filter((p) => p.endsWith('.manage'));

test('admin holds every permission; only admin manages configuration', () => {
  assert.deepEqual(permissionsOf(['admin']), [...PERMISSION_NAMES]);
  for (const role of ROLE_NAMES.filter((r) => r !== 'admin'))
    for (const p of manage) assert.equal(hasPermission([role], p), false, `${role} ${p}`);
});

test('personal data is unmasked only for those who talk to reporters', () => {
  assert.deepEqual(ROLE_NAMES.filter((r) => hasPermission([r], 'personal_data.read')), ['operator', 'shift_leader', 'admin']);
});

test('roles combine; unknown roles grant nothing', () => {
  assert.equal(hasPermission(['unit_handler'], 'case.create'), false);
  assert.equal(hasPermission(['unit_handler', 'grid_member'], 'case.create'), true);
  assert.equal(hasPermission(['root' as Role], 'case.read'), false);
  assert.equal(hasPermission([], 'case.read'), false);
  assert.deepEqual([isRole('dispatcher'), isRole('root'), isRole(3)], [true, false, false]);
  assert.deepEqual(permissionsOf(['dispatcher']), ['case.read', 'case.transition', 'events.read', 'attachment.create', 'resource.read', 'device.read']);
});

test('scope: units and regions', () => {
  const a = { userId: 'u', roles: ['dispatcher'] as Role[], unitIds: ['u1'], regionIds: ['s1'] };
  assert.equal(belongsToUnit(a, null, 'u1'), true);
  assert.equal(belongsToUnit(a, null, undefined, 'u2'), false);
  assert.equal(coversRegion(a, ['d1', 's1', 'c1']), true);
  assert.equal(coversRegion(a, ['d1', 's2']), false);
  assert.equal(coversRegion(a, []), true);
  assert.equal(coversRegion({ ...a, regionIds: [] }, ['d1']), false);
});
