/** Attribute definitions and answers (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAttributes, AttributeError, validateAttributeDefs } from './attributes.ts';
import { type DomainError } from '../errors.ts';

const defs = validateAttributeDefs([
  { code: 'b', datatype: 'multivaluelist', order: 2, description: '哪些', values: [{ key: 'x', name: '叉' }, { key: 'y', name: '歪' }] },
  { code: 'a', datatype: 'number', required: true, order: 1, description: '几个' },
  { code: 'info', datatype: 'string', variable: false, order: 3, description: '提示' },
  { code: 'auto', datatype: 'string', required: true, automated: 'server_set', order: 4, description: '服务器填' },
  { code: 'when', datatype: 'datetime', order: 5, description: '何时' },
]);
const parse = (s: string) => (/^\d{4}-\d\d-\d\dT/.test(s) ? 0 : null);
const answer = (sent: Record<string, string[]>) => answerAttributes(defs, new Map(Object.entries(sent)), parse);

test('definitions come back in display order with defaults filled in', () => {
  assert.deepEqual(defs.map((d) => d.code), ['a', 'b', 'info', 'auto', 'when']);
  assert.equal(defs[0].variable, true);
  assert.equal(defs[1].required, false);
  assert.equal(defs[0].datatypeDescription, null);
  assert.equal(defs[3].automated, 'server_set');
});

test('definition errors name the field', () => {
  const field = (input: unknown) => {
    try { validateAttributeDefs(input); } catch (e) { return (e as DomainError).field; }
    return 'accepted';
  };
  assert.equal(field({}), 'attributes');
  assert.equal(field([{ code: 'x-y', datatype: 'string', order: 1, description: 'd' }]), 'attributes[0].code');
  assert.equal(field([{ code: 'x', datatype: 'string', order: 1.5, description: 'd' }]), 'attributes[0].order');
  assert.equal(field([{ code: 'x', datatype: 'string', order: 1, description: 'd', automated: 'always' }]), 'attributes[0].automated');
  assert.equal(field([{ code: 'x', datatype: 'singlevaluelist', order: 1, description: 'd', values: [{ key: ' k', name: 'n' }] }]), 'attributes[0].values[0].key');
  assert.equal(field([{ code: 'x', datatype: 'string', order: 1, description: 'd', required: 'yes' }]), 'attributes[0].required');
  assert.equal(field([]), 'accepted');
});

test('answers: required, datatype, keys; server_set and informational ones are not taken from the client', () => {
  assert.throws(() => answer({}), (e: unknown) => e instanceof AttributeError && e.code === 'a');
  assert.throws(() => answer({ a: ['1,5'] }), /attribute\[a\].*number/);
  assert.throws(() => answer({ a: ['1', '2'] }), /attribute\[a\].*one value/);
  assert.throws(() => answer({ a: ['1'], b: ['z'] }), /attribute\[b\].*not one of x, y/);
  assert.throws(() => answer({ a: ['1'], when: ['tomorrow'] }), /attribute\[when\]/);
  const got = answer({ a: [' 2 '], b: ['y', 'x', 'y'], info: ['no'], auto: ['no'], when: ['2026-11-25T10:00:00Z'], other: ['ignored'] });
  assert.deepEqual(got.map((g) => [g.code, g.values, g.labels]), [
    ['a', ['2'], ['2']], ['b', ['y', 'x'], ['歪', '叉']], ['when', ['2026-11-25T10:00:00Z'], ['2026-11-25T10:00:00Z']],
  ]);
  assert.deepEqual(answer({ a: ['-1.5e3'] }).map((g) => g.values), [['-1.5e3']]);
});
