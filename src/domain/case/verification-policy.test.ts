import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_VERIFICATION_POLICY as D, needsVerification, parseVerificationPolicy } from './verification-policy.ts';

test('by default public reports wait for verification, a 非常紧急 one does not, patrol reports never do', () => {
  assert.equal(needsVerification(D, { channel: 'hotline', urgency: 'normal', matterCode: '01001' }), true);
  assert.equal(needsVerification(D, { channel: 'hotline', urgency: 'urgent', matterCode: '01001' }), true);
  assert.equal(needsVerification(D, { channel: 'hotline', urgency: 'very_urgent', matterCode: '01001' }), false);
  assert.equal(needsVerification(D, { channel: 'patrol', urgency: 'normal', matterCode: '01001' }), false);
  assert.equal(needsVerification(D, { channel: 'department', urgency: 'normal', matterCode: '01001' }), false);
});

test('a city may register matters or whole classes at once, and choose its channels', () => {
  const p = parseVerificationPolicy({ channels: ['hotline', 'iot'], immediateUrgencies: [], immediateMatters: ['02', '06010'] });
  assert.equal(needsVerification(p, { channel: 'hotline', urgency: 'very_urgent', matterCode: '01001' }), true);
  assert.equal(needsVerification(p, { channel: 'hotline', urgency: 'normal', matterCode: '02003' }), false);
  assert.equal(needsVerification(p, { channel: 'hotline', urgency: 'normal', matterCode: '06010' }), false);
  assert.equal(needsVerification(p, { channel: 'iot', urgency: 'normal', matterCode: '06012' }), true);
  assert.equal(needsVerification(p, { channel: 'open311', urgency: 'normal', matterCode: '06012' }), false);
});

test('bad input names the field', () => {
  const bad = (x: unknown, field: string) => assert.throws(() => parseVerificationPolicy(x), (e: { field?: string }) => e.field === field);
  bad(null, 'body');
  bad({ channels: 'hotline', immediateUrgencies: [], immediateMatters: [] }, 'channels');
  bad({ channels: ['hotline', 'carrier-pigeon'], immediateUrgencies: [], immediateMatters: [] }, 'channels.1');
  bad({ channels: [], immediateUrgencies: ['asap'], immediateMatters: [] }, 'immediateUrgencies.0');
  bad({ channels: [], immediateUrgencies: [], immediateMatters: ['6010'] }, 'immediateMatters.0');
});
