/**
 * The demo city's generated history (issue 10 part 8) at a small size: seasons show in the counts by month,
 * recurring spots exist, each case's history is a chain of transitions ending in its state, deadlines come from the
 * limits, and seeding is idempotent and resumable.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv } from '../support/demo-env.ts';
import { userClient } from '../support/api-client.ts';
import { countDemoHistory, monthsBetween, seedDemoHistory } from '../../src/commands/demo-history.ts';

const T_NOW = Date.UTC(2026, 11, 7, 2, 0, 0); // 2026-12-07 10:00 in the city

for (const store of storesUnderTest()) {
  describe(`demo history [${store}]`, () => {
    let env: TestEnv;
    type Row = { id: number; case_no: string; state: string; matter_code: string; created_at: number; address: string | null; channel: string;
      dispatched_at: number | null; handle_due_at: number | null; closed_at: number | null; closure_type: string | null };
    let cases: Row[];
    before(async () => {
      env = await createDemoEnv(store, { now: T_NOW });
      const logs: string[] = [];
      // first run stops after 20 batches (a shutdown), the second resumes
      const first = await seedDemoHistory(env.ctx, { create: true, totalCases: 8000, stopAfterBatches: 20, log: (m) => logs.push(m) });
      assert.equal(first, null, 'stopped midway');
      const mid = Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.ok(mid > 0 && mid < 4000, `some cases after the first run (${mid})`);
      const done = await seedDemoHistory(env.ctx, { log: (m) => logs.push(m) });
      assert.ok(done && done.resumed, logs.join('\n'));
      cases = await env.db.selectFrom('cases').select(['id', 'case_no', 'state', 'matter_code', 'created_at', 'address', 'channel', 'dispatched_at',
        'handle_due_at', 'closed_at', 'closure_type']).where('created_by', '=', 'demo-history').execute() as Row[];
    });
    after(async () => env.close());

    test('about the size asked, over 13 months, no case numbers twice, nothing twice after another run', async () => {
      assert.ok(cases.length > 6500 && cases.length < 9500, `${cases.length} cases`);
      assert.equal(new Set(cases.map((c) => c.case_no)).size, cases.length);
      const months = new Set(cases.map((c) => c.case_no.slice(0, 6)));
      assert.ok(months.size >= 13 && months.size <= 14, [...months].join(','));
      assert.equal(await seedDemoHistory(env.ctx, {}), null, 'done once');
      const n = Number((await env.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where('created_by', '=', 'demo-history').executeTakeFirstOrThrow()).n);
      assert.equal(n, cases.length);
      assert.ok(cases.every((c) => c.created_at < T_NOW), 'all in the past');
    });

    test('seasons: summer barbecue and winter street lights; drains flood on rainy days', () => {
      const byMonth = (code: string, months: number[]) => cases.filter((c) => c.matter_code === code && months.includes(Number(c.case_no.slice(4, 6)))).length;
      const bbqSummer = byMonth('06029', [6, 7, 8]);
      const bbqWinter = byMonth('06029', [12, 1, 2]);
      assert.ok(bbqSummer > 4 * Math.max(1, bbqWinter), `barbecue summer ${bbqSummer} vs winter ${bbqWinter}`);
      const lightsWinter = byMonth('01037', [12, 1, 2]);
      const lightsSummer = byMonth('01037', [6, 7, 8]);
      assert.ok(lightsWinter > lightsSummer * 1.3, `street lights winter ${lightsWinter} vs summer ${lightsSummer}`);
      // drain floods cluster on a few days (the rainy ones): the busiest tenth of days hold most of them
      const perDay = new Map<string, number>();
      for (const c of cases.filter((x) => x.matter_code === '01004')) perDay.set(c.case_no.slice(0, 8), (perDay.get(c.case_no.slice(0, 8)) ?? 0) + 1);
      const counts = [...perDay.values()].sort((a, b) => b - a);
      const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
      assert.ok(top > 0.3 * counts.reduce((a, b) => a + b, 0), `drain floods concentrate on rainy days (${top} of ${counts.reduce((a, b) => a + b, 0)})`);
    });

    test('recurring spots: the same place and matter again and again; markets at weekends', () => {
      const bySpot = new Map<string, Row[]>();
      for (const c of cases) if (c.address && !/号$/.test(c.address)) bySpot.set(`${c.address}|${c.matter_code}`, [...(bySpot.get(`${c.address}|${c.matter_code}`) ?? []), c]);
      const recurring = [...bySpot.entries()].filter(([, v]) => v.length >= 5);
      assert.ok(recurring.length >= 5, `${recurring.length} recurring spots`);
      const market = recurring.filter(([k]) => k.endsWith('|06010')).flatMap(([, v]) => v);
      const weekend = market.filter((c) => [0, 6].includes(new Date(c.created_at + 8 * 3600_000).getUTCDay())).length;
      assert.ok(weekend > market.length * 0.6, `market garbage at weekends: ${weekend} of ${market.length}`);
    });

    test('each history is a chain of transitions that ends in the case\'s state; deadlines follow the limits', async () => {
      const sample = cases.filter((_, i) => i % 37 === 0);
      const hist = await env.db.selectFrom('case_history').select(['case_id', 'action', 'from_state', 'to_state', 'at', 'details'])
        .where('case_id', 'in', sample.map((c) => c.id)).orderBy('case_id').orderBy('id').execute();
      const byCase = new Map<number, typeof hist>();
      for (const h of hist) byCase.set(Number(h.case_id), [...(byCase.get(Number(h.case_id)) ?? []), h]);
      for (const c of sample) {
        const h = byCase.get(c.id)!;
        assert.ok(h?.length, `case ${c.case_no} has history`);
        assert.equal(h[0].from_state, null);
        assert.ok(['report', 'report_registered'].includes(h[0].action));
        for (let i = 1; i < h.length; i++) {
          assert.equal(h[i].from_state, h[i - 1].to_state, `${c.case_no}: ${h[i - 1].action} → ${h[i].action}`);
          assert.ok(Number(h[i].at) >= Number(h[i - 1].at), `${c.case_no}: in time order`);
        }
        assert.equal(h[h.length - 1].to_state, c.state, `${c.case_no} ends in its state`);
        if (c.dispatched_at !== null) assert.ok(Number(c.handle_due_at) > Number(c.dispatched_at), 'a handling deadline after dispatch');
        if (c.state === 'ARCHIVED' && h.some((x) => x.action === 'check_pass')) assert.ok(c.closed_at !== null && c.closure_type !== null);
      }
      const actions = new Set((await env.db.selectFrom('case_history').select('action').distinct().execute()).map((r) => r.action));
      for (const a of ['return', 'rule_dispute', 'approve_postpone', 'approve_hang', 'check_fail', 'callback', 'supervise', 'appeal_filed', 'exclusion_requested']) {
        assert.ok(actions.has(a), `some history has ${a}`);
      }
      const cb = await env.db.selectFrom('case_history').select('details').where('action', '=', 'callback').limit(200).execute();
      assert.ok(cb.every((r) => ['satisfied', 'basically_satisfied', 'unsatisfied'].includes(JSON.parse(r.details).result)));
    });

    test('exclusions and appeals of the history are desk records: decided as their history says, recent ones still waiting', async () => {
      const hist = await env.db.selectFrom('case_history').select(['case_id', 'action', 'at', 'details'])
        .where('action', 'in', ['exclusion_requested', 'exclusion_approved', 'exclusion_rejected', 'appeal_filed', 'appeal_accepted', 'appeal_rejected']).execute();
      const exclusions = new Map((await env.db.selectFrom('exclusions').selectAll().execute()).map((x) => [Number(x.id), x]));
      const appeals = new Map((await env.db.selectFrom('appeals').selectAll().execute()).map((x) => [Number(x.id), x]));
      assert.ok(exclusions.size > 0 && appeals.size > 0, `${exclusions.size} exclusions, ${appeals.size} appeals`);
      // the history keeps its generated ids (append-only); each record's timeline names the id it came from
      const byDemoId = new Map<string, number>();
      for (const t of await env.db.selectFrom('desk_history').select(['record_id', 'details']).where('kind', 'in', ['appeal', 'exclusion']).execute()) {
        byDemoId.set(String(JSON.parse(t.details).demoId), Number(t.record_id));
      }
      for (const h of hist) {
        const d = JSON.parse(h.details) as { exclusionId?: string; appealId?: string; unitId?: string };
        const id = byDemoId.get(String(d.exclusionId ?? d.appealId));
        const rec = id === undefined ? undefined : h.action.startsWith('exclusion') ? exclusions.get(id) : appeals.get(id);
        assert.ok(rec, `${h.action} of case ${h.case_id} has its record (${JSON.stringify(d)})`);
        assert.equal(Number(rec.case_id), Number(h.case_id));
        if (/_(approved|rejected|accepted)$/.test(h.action)) {
          assert.equal(rec.state, h.action.split('_')[1]);
          assert.equal(Number(rec.decided_at), Number(h.at));
        }
        if (h.action === 'appeal_filed') assert.equal((rec as { unit_id: string }).unit_id, d.unitId);
      }
      const requested = hist.filter((h) => h.action === 'exclusion_requested').length;
      const filed = hist.filter((h) => h.action === 'appeal_filed').length;
      assert.equal(exclusions.size, requested, 'one record per request');
      assert.equal(appeals.size, filed, 'one record per appeal');
      const states = new Set([...appeals.values()].map((x) => x.state));
      assert.ok(states.has('accepted') && states.has('rejected'), [...states].join(','));
      // undecided only when filed within the last fortnight
      for (const x of appeals.values()) if (x.state === 'open') assert.ok(Number(x.filed_at) > T_NOW - 15 * 86_400_000);
      for (const x of exclusions.values()) if (x.state === 'requested') assert.ok(Number(x.requested_at) > T_NOW - 15 * 86_400_000);
      const timeline = Number((await env.db.selectFrom('desk_history').select((eb) => eb.fn.countAll().as('n')).where('kind', 'in', ['appeal', 'exclusion']).executeTakeFirstOrThrow()).n);
      assert.equal(timeline, hist.length, 'each record has its timeline');
      // the desks list them
      const leader = await userClient(env.app, env.ctx, 'centre_leader');
      const listed = await leader.get('/api/v1/appeals');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.ok(listed.body.items.length > 0);
      const ex = await leader.get('/api/v1/exclusions');
      assert.equal(ex.status, 200, JSON.stringify(ex.body));
      assert.ok(ex.body.items.length > 0);
    });

    test('the history is counted for the assessment once written (it has no outbox rows of its own)', async () => {
      const facts = async () => Number((await env.db.selectFrom('assessment_facts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await facts();
      const logs: string[] = [];
      const from = cases.map((c) => c.case_no.slice(0, 8)).sort()[0];
      const to = cases.map((c) => c.case_no.slice(0, 8)).sort().at(-1)!;
      const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
      assert.deepEqual(monthsBetween('2025-11-30', '2026-02-01'), ['2025-11', '2025-12', '2026-01', '2026-02']);
      await countDemoHistory(env.ctx, { cases: cases.length, historyRows: 0, days: 0, from: iso(from), to: iso(to), ms: 0, resumed: false }, (m) => logs.push(m),
        new AbortController().signal);
      const counted = Number((await env.db.selectFrom('assessment_facts').select((eb) => eb.fn.countAll().as('n')).where('case_id', 'in',
        env.db.selectFrom('cases').select('id').where('created_by', '=', 'demo-history')).executeTakeFirstOrThrow()).n);
      assert.equal(counted, cases.length, `every history case has its facts (${before} before)`);
      assert.match(logs.at(-1) ?? '', /assessment counted/);
    });
  });
}
