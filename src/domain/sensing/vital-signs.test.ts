import { test } from 'node:test';
import assert from 'node:assert/strict';
import { levelOf, perHour, vitalSigns } from './vital-signs.ts';

test('levels on either side', () => {
  assert.equal(levelOf(9, { warn: 10, alert: 50, higherIsWorse: true }), 'normal');
  assert.equal(levelOf(10, { warn: 10, alert: 50, higherIsWorse: true }), 'warn');
  assert.equal(levelOf(50, { warn: 10, alert: 50, higherIsWorse: true }), 'alert');
  assert.equal(levelOf(0.96, { warn: 0.95, alert: 0.9, higherIsWorse: false }), 'normal');
  assert.equal(levelOf(0.93, { warn: 0.95, alert: 0.9, higherIsWorse: false }), 'warn');
  assert.equal(levelOf(0.9, { warn: 0.95, alert: 0.9, higherIsWorse: false }), 'alert');
  assert.equal(levelOf(null, { warn: 1, alert: 2, higherIsWorse: true }), 'normal');
});

test('per hour buckets, oldest first; outside the window ignored', () => {
  const H = 3_600_000, now = 100 * H;
  assert.deepEqual(perHour([now - 1, now - H - 1, now - 3 * H, now, now + 5], now, 3), [1, 1, 1]);
  assert.deepEqual(perHour([now - 3 * H - 1], now, 3), [0, 0, 0]);
});

test('the indicators from counts', () => {
  const v = vitalSigns({
    openAlarmsByScenario: [{ scenario: 'waterlogging', count: 7 }, { scenario: null, count: 5 }], waterloggingPoints: 6,
    devices: { total: 200, online: 186 }, intakeToday: 30, intakeUsual: [10, 20, 15, 15, 10, 20, 15], alarmsPerHour: [1, 2],
  });
  const by = Object.fromEntries(v.map((x) => [x.key, x]));
  assert.equal(by.open_alarms.value, 12);
  assert.equal(by.open_alarms.level, 'warn');
  assert.deepEqual(by.open_alarms.breakdown, [{ key: 'waterlogging', value: 7 }, { key: 'other', value: 5 }]);
  assert.equal(by.waterlogging_points.level, 'alert');
  assert.equal(by.device_online_rate.value, 0.93);
  assert.equal(by.device_online_rate.level, 'warn');
  assert.equal(by.intake_vs_usual.value, 2);
  assert.equal(by.intake_vs_usual.level, 'alert');
  assert.equal(vitalSigns({ openAlarmsByScenario: [], waterloggingPoints: 0, devices: { total: 0, online: 0 }, intakeToday: 3, intakeUsual: [], alarmsPerHour: [] })[2].value, null);
});
