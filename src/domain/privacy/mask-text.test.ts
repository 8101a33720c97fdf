import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPersonalText } from './mask-text.ts';

test('phones, ID numbers and plates are masked; house numbers, dates and times are kept', () => {
  assert.equal(maskPersonalText('已联系业主13812345678，车辆苏B12345已挪走'), '已联系业主138****5678，车辆苏B***5已挪走');
  assert.equal(maskPersonalText('电话 0512-6666 8888'), '电话 051*****8888');
  assert.equal(maskPersonalText('身份证320102199001011234'), '身份证320***********1234');
  assert.equal(maskPersonalText('望江路128号，2026年3月5日14:30清理完毕'), '望江路128号，2026年3月5日14:30清理完毕');
});
