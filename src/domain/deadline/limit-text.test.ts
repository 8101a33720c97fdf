import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeLimit } from './deadline.types.ts';
import { parseLimitText } from './limit-text.ts';

const cases: [string, TimeLimit | null][] = [
  ['4 工作时', { amount: 4, unit: 'work_hours' }],
  ['1 工作日', { amount: 1, unit: 'work_days' }],
  ['2 h', { amount: 2, unit: 'natural_hours' }],
  ['2 h 自然时', { amount: 2, unit: 'natural_hours' }],
  ['1 h (自然时)', { amount: 1, unit: 'natural_hours' }],
  ['30 分钟', { amount: 30, unit: 'natural_minutes' }],
  ['15 工作日', { amount: 15, unit: 'work_days' }],
  ['3 天', { amount: 3, unit: 'natural_days' }],
  ['0.5 工作日', { amount: 0.5, unit: 'work_days' }],
  ['4工作小时内处置', { amount: 4, unit: 'work_hours' }],
  ['24小时', { amount: 24, unit: 'natural_hours' }],
  ['7 个自然日', { amount: 7, unit: 'natural_days' }],
  ['十五个工作日', { amount: 15, unit: 'work_days' }],
  ['两小时', { amount: 2, unit: 'natural_hours' }],
  ['半小时', { amount: 0.5, unit: 'natural_hours' }],
  ['一个半小时', { amount: 1.5, unit: 'natural_hours' }],
  ['二十天', { amount: 20, unit: 'natural_days' }],
  ['1 work day', { amount: 1, unit: 'work_days' }],
  ['4 working hours', { amount: 4, unit: 'work_hours' }],
  ['90 min', { amount: 90, unit: 'natural_minutes' }],
  ['2 H', { amount: 2, unit: 'natural_hours' }],
  // The first limit wins.
  ['到场 1 h，处置完成 2 h', { amount: 1, unit: 'natural_hours' }],
  ['停工 4 工作时；罚款 7 工作日', { amount: 4, unit: 'work_hours' }],
  // Not limits.
  ['≤ 15 s', null],
  ['无时限', null],
  ['', null],
  ['0 小时', null],
  ['10月1日起执行', null],
  ['500 m', null],
  ['2 hazards', null],
  // A date before a limit does not hide the limit.
  ['自10月1日起 3 工作日内', { amount: 3, unit: 'work_days' }],
];

for (const [text, expected] of cases) {
  test(`parseLimitText(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseLimitText(text), expected);
  });
}
