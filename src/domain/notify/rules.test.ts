import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Directory, recipientsOf, type Recipient } from './rules.ts';
import { checkPreference } from './preferences.ts';

const users: Recipient[] = [
  { id: 'h1', roles: ['unit_handler'], unitIds: ['U1'], regionIds: [], active: true },
  { id: 'h2', roles: ['unit_handler'], unitIds: ['U2'], regionIds: [], active: true },
  { id: 'gone', roles: ['unit_handler'], unitIds: ['U1'], regionIds: [], active: false },
  { id: 'd1', roles: ['dispatcher'], unitIds: [], regionIds: ['S1'], active: true },
  { id: 'd2', roles: ['dispatcher'], unitIds: [], regionIds: ['CITY'], active: true },
  { id: 'op', roles: ['operator'], unitIds: [], regionIds: ['S1'], active: true },
];
const dir = new Directory(users);
const ev = (topic: string, payload: Record<string, unknown>, unitIds = ['U1'], regionIds = ['D1', 'S1', 'C1']) => ({ topic, payload, unitIds, regionIds });

test('a dispatch tells the handlers of the unit (active ones), nobody else', () => {
  assert.deepEqual(recipientsOf(ev('case.transitioned', { action: 'dispatch', actorId: 'd1' }), dir), { kind: 'new_task', userIds: ['h1'] });
});

test('a return tells the dispatchers covering the place directly, not the city-wide one, and never the actor', () => {
  assert.deepEqual(recipientsOf(ev('case.transitioned', { action: 'return' }), dir)?.userIds, ['d1']);
  assert.deepEqual(recipientsOf(ev('case.transitioned', { action: 'return', actorId: 'd1' }), dir)?.userIds, []);
});

test('an ordinary new case notifies nobody; an urgent one tells the coordinators', () => {
  assert.equal(recipientsOf(ev('case.created', { urgency: 'normal' }, []), dir), null);
  assert.deepEqual(recipientsOf(ev('case.created', { urgency: 'urgent' }, []), dir)?.userIds, ['d1']);
});

test('topics of the other issue-9 parts use unitIds and payload.userIds; unknown users and topics are ignored', () => {
  assert.deepEqual(recipientsOf(ev('summons.issued', { userIds: ['h2', 'nobody'] }, ['U1']), dir), { kind: 'summons', userIds: ['h1', 'h2'] });
  assert.equal(recipientsOf(ev('something.else', {}), dir), null);
  assert.equal(recipientsOf(ev('case.transitioned', { action: 'accept' }), dir), null);
});

test('an emergency rings by the regions in its payload; a due-soon case without a unit goes to the coordinators', () => {
  assert.deepEqual(recipientsOf(ev('emergency.escalated', { newRegionIds: ['CITY'] }, ['U1']), dir)?.userIds, ['d2']);
  assert.deepEqual(recipientsOf(ev('case.deadline_warning', {}, []), dir)?.userIds, ['d1']);
  assert.deepEqual(recipientsOf(ev('case.deadline_warning', {}, ['U1']), dir)?.userIds, ['h1']);
});

test('preferences: the channel and every kind are checked, errors name the field', () => {
  assert.deepEqual(checkPreference({ channel: 'sms', kinds: ['overdue', 'overdue'], address: '13800000000' }), { channel: 'sms', kinds: ['overdue'], address: '13800000000' });
  assert.throws(() => checkPreference({ channel: 'fax', kinds: [] }), /channel/);
  assert.throws(() => checkPreference({ channel: 'log', kinds: ['overdue', 'lunch'] }), (e: { field?: string }) => e.field === 'kinds[1]');
  assert.throws(() => checkPreference({ channel: 'sms', kinds: [], address: 'abc' }), (e: { field?: string }) => e.field === 'address');
});
