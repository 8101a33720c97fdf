import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRequestList } from './open311.render.ts';
import { renderDocument } from './open311.format.ts';
import { presentRequest } from './open311.presenter.ts';
import type { Open311CaseRow } from '../../storage/repositories/open311.repository.ts';
import type { ReferenceData } from '../../runtime/reference-cache.ts';

const ref = {
  matters: new Map([['06010', { code: '06010', name: '暴露垃圾' }]]),
  units: new Map([['U-1', { id: 'U-1', name: '环卫所 <&>' }]]),
} as unknown as ReferenceData;
const keysOf = (rows: Open311CaseRow[], masters: Map<number, Open311CaseRow>) => rows.map((r) => ({
  id: r.id, updated_at: r.updated_at, master_case_id: r.master_case_id, master_updated_at: masters.get(r.master_case_id ?? 0)?.updated_at ?? null,
}));
const loadMasters = (masters: Map<number, Open311CaseRow>) => async (rows: Open311CaseRow[]) =>
  new Map([...masters].filter(([id]) => rows.some((r) => r.master_case_id === id)));
const render = async (f: 'json' | 'xml', rows: Open311CaseRow[], masters: Map<number, Open311CaseRow>) =>
  (await renderRequestList(f, keysOf(rows, masters), {
    rows: async (ids) => rows.filter((r) => ids.includes(r.id)), masters: loadMasters(masters), cancellations: async () => new Map(),
  }, ref, 480)).join('');
const row = (id: number, over: Partial<Open311CaseRow> = {}): Open311CaseRow => ({
  id, case_no: `20261125${String(id).padStart(6, '0')}`, state: 'REPORTED', channel: 'open311', matter_code: '06010',
  description: `垃圾 "${id}" <b>`, address: null, lon: 120.3, lat: 31.5, assigned_unit_id: null, routed_unit_id: 'U-1',
  created_at: 1_764_000_000_000 + id, updated_at: 1_764_000_000_000 + id, closed_at: null, handle_due_at: null,
  stage_due_at: 1_764_000_100_000, master_case_id: null, closure_type: null, ...over,
});

test('a list from cached fragments is byte for byte the whole-document render, in both formats', async () => {
  const master = row(1);
  const rows = [master, row(2, { master_case_id: 1 }), row(3, { state: 'ARCHIVED', closed_at: 1_764_000_200_000 })];
  const masters = new Map([[1, master]]);
  for (const f of ['json', 'xml'] as const) {
    const whole = renderDocument(f, 'service_requests', rows.map((r) => presentRequest(r, ref, 480, { master: masters.get(r.master_case_id ?? 0) })) as never);
    assert.equal(await render(f, rows, masters), whole);
    // second time from the cache: the loader must not be asked for anything
    const none = {
      rows: async (ids: number[]) => { assert.deepEqual(ids, []); return []; },
      masters: async () => { assert.fail('no master is read for a cached list'); },
      cancellations: async () => new Map(),
    };
    const cached = await renderRequestList(f, keysOf(rows, masters), none, ref, 480);
    assert.ok(cached.every((b) => Buffer.isBuffer(b)));
    assert.equal(Buffer.concat(cached).toString('utf8'), whole);
    assert.equal(await render(f, [], masters), renderDocument(f, 'service_requests', [] as never));
  }
});

test('a changed case (or its master) is rendered anew, not served from the cache', async () => {
  const before = await render('json', [row(5)], new Map());
  const after = await render('json', [row(5, { state: 'CANCELLED', updated_at: 1_764_000_900_000, closed_at: 1_764_000_900_000 })], new Map());
  assert.notEqual(after, before);
  assert.equal(JSON.parse(after)[0].status, 'closed');
  const m1 = row(7);
  const dupBefore = await render('json', [row(8, { master_case_id: 7 })], new Map([[7, m1]]));
  const m2 = row(7, { state: 'ARCHIVED', updated_at: m1.updated_at + 1000, closed_at: m1.updated_at + 1000 });
  const dupAfter = await render('json', [row(8, { master_case_id: 7 })], new Map([[7, m2]]));
  assert.equal(JSON.parse(dupBefore)[0].status, 'open');
  assert.equal(JSON.parse(dupAfter)[0].status, 'closed');
});
