import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EMERGENCY_WORDS, detectEmergency, parseEmergencyWords } from './emergency.ts';

test('the review\'s report is a threat to life: fire and someone inside, 119 first', () => {
  const f = detectEmergency('着火了！居民楼着火了，里面好像还有人', DEFAULT_EMERGENCY_WORDS);
  assert.equal(f.level, 'life');
  assert.equal(f.referrals[0], '119');
  assert.ok(f.referrals.includes('120'));
  assert.deepEqual(f.words, ['着火', '里面好像还有人']);
});

test('ordinary reports find nothing; a danger that cannot wait is urgent; a drill cancels the fire rule', () => {
  assert.deepEqual(detectEmergency('小区门口井盖坏了，翘起来很危险', DEFAULT_EMERGENCY_WORDS), { level: null, referrals: [], words: [] });
  const burst = detectEmergency('路口 水管 爆裂，大量冒水', DEFAULT_EMERGENCY_WORDS);
  assert.equal(burst.level, 'urgent');
  assert.equal(detectEmergency('小区消防演练，楼下冒烟是正常的', DEFAULT_EMERGENCY_WORDS).level, null);
  const gas = detectEmergency('楼道里闻到煤气味', DEFAULT_EMERGENCY_WORDS);
  assert.deepEqual([gas.level, gas.referrals[0]], ['life', 'gas']);
});

test('a city\'s list is validated as a whole; errors name the field', () => {
  const ok = parseEmergencyWords({ rules: [{ words: ['山火'], level: 'life', referrals: ['119'] }] });
  assert.equal(detectEmergency('后山起了山火', ok).level, 'life');
  const field = (v: unknown) => { try { parseEmergencyWords(v); return ''; } catch (e) { return (e as { field?: string }).field; } };
  assert.equal(field({ rules: [{ words: ['x'], level: 'bad' }] }), 'rules.0.level');
  assert.equal(field({ rules: [{ words: [], level: 'life' }] }), 'rules.0.words');
  assert.equal(field({ rules: [{ words: ['x'], level: 'life', referrals: ['999'] }] }), 'rules.0.referrals');
  assert.equal(field({ rules: [], extra: 1 }), 'extra');
  assert.equal(field({ rules: [{ words: ['x'.repeat(21)], level: 'life' }] }), 'rules.0.words.0');
});
