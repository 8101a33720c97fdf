/**
 * Searching the queue server-side (issue 8): one box for a case number, a phone (for those who may read personal
 * data) or words of the description or address, indexed on both stores; the visibility policy still applies; a unit
 * involved in any way (routed, assigned, assisting) filters too.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { userClient, type Client } from '../support/api-client.ts';
import { act } from '../support/case-flow.ts';
import { queryTokens } from '../../src/domain/search/text-tokens.ts';

const enc = encodeURIComponent;
const ids = (r: { body: { items: { id: number }[] } }) => r.body.items.map((c) => c.id).sort((a, b) => a - b);

for (const store of storesUnderTest()) {
  describe(`case search [${store}]`, () => {
    let env: TestEnv;
    let op: Client;
    const made: { id: number; caseNo: string; street: string; unit: string }[] = [];
    const texts = [
      { description: '小区门口井盖坏了，翘起来很危险', address: '江海路12号' },
      { description: '井盖丢失，晚上看不见', address: null },
      { description: '路边垃圾堆了三天没人清', address: '3号楼旁边' },
      { description: 'Street light ABC-42 is broken', address: null },
      { description: '楼道里有人乱堆杂物', address: '望江路128号锦绣花园' },
    ];
    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      op = await userClient(env.app, env.ctx, 'operator');
      const inspector = await userClient(env.app, env.ctx, 'inspector');
      for (const [i, t] of texts.entries()) {
        const p = demoPoint(env, i * 137);
        // the second one is a patrol report: registered at once, ready to dispatch
        const r = await (i === 1 ? inspector : op).post('/api/v1/cases', {
          channel: i === 1 ? 'patrol' : 'hotline', matterCode: '06010', description: t.description, ...(t.address ? { address: t.address } : {}),
          location: { lon: p.lon, lat: p.lat }, reporter: { name: '张先生', phone: `1391234000${i}` },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        made.push({ id: r.body.id, caseNo: r.body.caseNo, street: r.body.street.id, unit: r.body.routing.unit.id });
      }
    });
    after(async () => env.close());

    const search = async (who: Client, q: string, extra = '') => {
      const r = await who.get(`/api/v1/cases?q=${enc(q)}&limit=100${extra}`);
      assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
      return r;
    };

    test('words of two characters and more, in any order, over description and address', async () => {
      const r = await search(op, '井盖');
      assert.deepEqual(ids(r), [made[0].id, made[1].id]);
      assert.equal(r.body.searchedAs, 'text');
      assert.equal(r.body.total, 2);
      assert.deepEqual(ids(await search(op, '危险 井盖')), [made[0].id]);
      assert.deepEqual(ids(await search(op, '门口井盖')), [made[0].id]);
      assert.deepEqual(ids(await search(op, '盖井')), []);
      assert.deepEqual(ids(await search(op, '锦绣花园')), [made[4].id], 'the address is searched too');
      assert.deepEqual(ids(await search(op, '3号楼')), [made[2].id]);
      assert.deepEqual(ids(await search(op, 'abc-42')), [made[3].id], 'ASCII, any case');
      const matter = env.ctx.ref.current().matters.get('06010')!.name;
      assert.equal(ids(await search(op, matter)).length, texts.length, `the matter's name (${matter}) is searched too`);
      // the search narrows the other filters, never widens them
      assert.deepEqual(ids(await search(op, '井盖', '&state=ARCHIVED')), []);
    });

    test('a case number finds that case; a phone number finds the caller\'s cases only for those who may read it', async () => {
      const r = await search(op, made[2].caseNo);
      assert.deepEqual([r.body.searchedAs, ids(r)], ['caseNo', [made[2].id]]);
      const byPhone = await search(op, '139 1234 0003');
      assert.deepEqual([byPhone.body.searchedAs, ids(byPhone)], ['phone', [made[3].id]]);
      const handler = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [] });
      const asText = await search(handler, '13912340003');
      assert.equal(asText.body.searchedAs, 'text', 'without personal_data.read digits are words, not a phone lookup');
      assert.deepEqual(ids(asText), []);
    });

    test('what the caller may not see is not found', async () => {
      const street = made[0].street;
      const other = made.find((m) => m.street !== street);
      assert.ok(other, 'the cases lie in several streets');
      const local = await userClient(env.app, env.ctx, 'dispatcher', { regionIds: [street] });
      const seen = ids(await search(local, '井盖'));
      assert.ok(seen.includes(made[0].id));
      for (const m of made.filter((x) => x.street !== street)) assert.ok(!seen.includes(m.id));
    });

    test('a unit involved in any way: routed, assigned or assisting', async () => {
      const dispatcher = await userClient(env.app, env.ctx, 'dispatcher');
      const routedTo = made[0].unit;
      const routed = ids(await search(op, '井盖', `&involvedUnitId=${enc(routedTo)}`));
      assert.ok(routed.includes(made[0].id), 'routed to it');
      const assisting = [...env.ctx.ref.current().units.values()].find((u) => u.active && u.id !== routedTo && u.kind !== 'centre')!;
      assert.equal((await op.get(`/api/v1/cases/${made[1].id}`)).body.state, 'REGISTERED');
      await act(dispatcher, made[1].id, 'dispatch', { unitId: made[1].unit, assistingUnitIds: [assisting.id] });
      const asAssist = ids(await search(op, '井盖', `&involvedUnitId=${enc(assisting.id)}`));
      assert.ok(asAssist.includes(made[1].id), 'assisting');
      assert.ok(!asAssist.includes(made[0].id) || made[0].unit === assisting.id);
    });

    test('the deadline queue reads the same cases whether it sorts the matches or walks its index testing each case', async () => {
      const all = { all: true, regionIds: [], unitIds: [], unlocated: true };
      for (const tokens of [['井盖'], ['垃圾', '圾堆'], ['江海', '海路']]) {
        const sorted = await env.ctx.store.cases.listCases({ visibility: all, sort: 'due', textTokens: tokens, limit: 50 });
        const walked = await env.ctx.store.cases.listCases({ visibility: all, sort: 'due', walkTokens: tokens, limit: 50 });
        assert.ok(sorted.length > 0, tokens.join());
        assert.deepEqual(walked.map((c) => c.id), sorted.map((c) => c.id), tokens.join());
      }
      const r = await search(op, '井盖', '&sort=due');
      assert.deepEqual(ids(r), [made[0].id, made[1].id]);
    });

    test('within a unit: exactly the unit\'s matching cases, newest first or by deadline, and the index follows its assists', async () => {
      const all = { all: true, regionIds: [], unitIds: [], unlocated: true };
      const cases = env.ctx.store.cases;
      const ref = env.ctx.ref.current();
      const units = [...new Set([...made.map((m) => m.unit), ...[...ref.units.keys()].slice(0, 6)])];
      // the index (words, units and words joined to units: migrations 036, 037) against a plain scan of each case's tokens and unit columns
      const agree = async (tokens: string[], unit: string) => {
        let seen = 0;
        for (const sort of ['newest', 'due'] as const) {
          const f = { visibility: all, sort, involvedUnitIds: [unit] };
          const indexed = await cases.listCases({ ...f, textTokens: tokens, limit: 50 });
          const scanned = await cases.listCases({ ...f, walkTokens: tokens, limit: 50 });
          assert.deepEqual(indexed.map((c) => c.id), scanned.map((c) => c.id), `${tokens} within ${unit}, ${sort}`);
          assert.equal((await cases.countCases({ ...f, textTokens: tokens }, 1000)).total, scanned.length, `${tokens} within ${unit}, ${sort}: count`);
          if (sort === 'due') {
            const dues = indexed.map((c) => Number(c.due_at));
            assert.deepEqual(dues, [...dues].sort((a, b) => a - b), 'nearest deadline first');
          }
          seen += indexed.length;
        }
        return seen;
      };
      let found = 0;
      for (const tokens of [queryTokens('井盖'), queryTokens(ref.matters.get('06010')!.name)]) {
        for (const unit of units) found += await agree(tokens, unit);
      }
      assert.ok(found > 0, 'some unit has matches');
      // several units at once: any of them (migration 037 asks each unit's joined tokens, ORed)
      for (const sort of ['newest', 'due'] as const) {
        const f = { visibility: all, sort, involvedUnitIds: units.slice(0, 3) };
        const tokens = queryTokens('井盖');
        const indexed = await cases.listCases({ ...f, textTokens: tokens, limit: 50 });
        const scanned = await cases.listCases({ ...f, walkTokens: tokens, limit: 50 });
        assert.deepEqual(indexed.map((c) => c.id), scanned.map((c) => c.id), `井盖 within ${units.slice(0, 3)}, ${sort}`);
        assert.equal((await cases.countCases({ ...f, textTokens: tokens }, 1000)).total, scanned.length);
      }
      const assisted = made[1].id;
      const helper = (await op.get(`/api/v1/cases/${assisted}`)).body.assistingUnits[0]?.id as string;
      assert.ok(helper, 'made[1] has an assisting unit (the test before dispatched it so)');
      const within = async () => ids(await search(op, '井盖', `&involvedUnitId=${enc(helper)}`));
      assert.ok((await within()).includes(assisted));
      await cases.setAssists(assisted, []);
      assert.ok(!(await within()).includes(assisted), 'no longer assisting: no longer found within that unit');
      await agree(queryTokens('井盖'), helper);
      await cases.setAssists(assisted, [helper]);
      assert.ok((await within()).includes(assisted));
    });

    test('a query without two letters or digits side by side is refused naming q', async () => {
      for (const q of ['树', '！ ？', '3 4']) {
        const r = await op.get(`/api/v1/cases?q=${enc(q)}`);
        assert.equal(r.status, 400, q);
        assert.equal(r.body.error.field, 'q');
      }
    });
  });
}
