import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type DomainError } from '../errors.ts';
import { DEFAULT_EXPORT_POLICY, admitExport, checkDecision, parseExportPolicy } from './export.ts';

const codeOf = (f: () => unknown) => { try { f(); return null; } catch (e) { return { code: (e as DomainError).code, field: (e as DomainError).field }; } };

test('within the limit an export is approved at once; above it a leader decides; above the ceiling nobody', () => {
  const p = { approvalAboveRows: 100, maxRows: 1000, keepHours: 24 };
  assert.equal(admitExport(100, p, undefined).state, 'approved');
  assert.deepEqual(codeOf(() => admitExport(101, p, undefined)), { code: 'VALIDATION_FAILED', field: 'reason' });
  assert.equal(admitExport(101, p, '月度考核报表').state, 'requested');
  assert.deepEqual(codeOf(() => admitExport(1001, p, '月度考核报表')), { code: 'LIMIT_EXCEEDED', field: 'filter' });
});

test('decisions: only on a waiting request, never on one\'s own', () => {
  assert.deepEqual(codeOf(() => checkDecision({ state: 'requested', requestedBy: 'u1' }, 'u1')), { code: 'SEPARATION_OF_DUTIES', field: undefined });
  assert.equal(codeOf(() => checkDecision({ state: 'approved', requestedBy: 'u1' }, 'u2'))?.code, 'INVALID_TRANSITION');
  assert.equal(codeOf(() => checkDecision({ state: 'requested', requestedBy: 'u1' }, 'u2')), null);
});

test('the policy names the bad field', () => {
  assert.deepEqual(parseExportPolicy({ ...DEFAULT_EXPORT_POLICY }), DEFAULT_EXPORT_POLICY);
  assert.equal(codeOf(() => parseExportPolicy({ ...DEFAULT_EXPORT_POLICY, maxRows: 10 }))?.field, 'maxRows');
  assert.equal(codeOf(() => parseExportPolicy({ ...DEFAULT_EXPORT_POLICY, keepHours: 0 }))?.field, 'keepHours');
  assert.equal(codeOf(() => parseExportPolicy({ ...DEFAULT_EXPORT_POLICY, rows: 1 }))?.field, 'rows');
});
