/** The demo history's desk records: one per generated id, decided as the history says, undecided ones waiting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoDeskRecords, type DemoDeskEvent } from './desks.ts';

const base = { caseNo: '202611019000001', actorId: 'hist-op-1', actorName: '受理员', reason: null, unitId: 'U1', districtId: 'D', streetId: 'S', communityId: 'C', closedAt: Date.UTC(2026, 9, 30) };
const ev = (historyId: number, caseId: number, action: string, at: number, details: Record<string, unknown>): DemoDeskEvent => ({ ...base, historyId, caseId, action, at, details });

test('demo desk records: decided and pending exclusions and appeals; live ids are left alone', () => {
  const d = (n: number) => Date.UTC(2026, 10, n);
  const { exclusions, appeals } = demoDeskRecords([
    ev(1, 10, 'exclusion_requested', d(1), { exclusionId: 'demo-ex-a', reason: '无理诉求' }),
    ev(2, 10, 'exclusion_approved', d(3), { exclusionId: 'demo-ex-a', reason: '无理诉求' }),
    ev(3, 11, 'exclusion_requested', d(20), { exclusionId: 'demo-ex-b', reason: '无理诉求' }),
    ev(5, 12, 'appeal_accepted', d(9), { appealId: 'demo-ap-c', unitId: 'U7', reason: '不可抗力' }),
    ev(4, 12, 'appeal_filed', d(5), { appealId: 'demo-ap-c', unitId: 'U7', reason: '不可抗力' }),
    ev(6, 13, 'appeal_filed', d(21), { appealId: 'demo-ap-d', unitId: 'U8', reason: '不可抗力' }),
    ev(7, 14, 'appeal_filed', d(21), { appealId: 99, unitId: 'U8', reason: '真实申诉' }),
  ], () => '2026-10', () => d(7));
  assert.deepEqual(exclusions.map((x) => [x.demoId, x.row.state, x.row.decided_at, x.timeline.map((t) => t.action)]), [
    ['demo-ex-a', 'approved', d(3), ['requested', 'approved']],
    ['demo-ex-b', 'requested', null, ['requested']],
  ]);
  assert.deepEqual(appeals.map((x) => [x.demoId, x.row.unit_id, x.row.state, x.row.period, x.row.deadline_at, x.timeline.length]), [
    ['demo-ap-c', 'U7', 'accepted', '2026-10', d(7), 2],
    ['demo-ap-d', 'U8', 'open', '2026-10', d(7), 1],
  ]);
});
