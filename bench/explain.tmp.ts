import { openDatabase } from '../src/storage/db.ts';
import * as cases from '../src/storage/repositories/case.repository.ts';
import { queryTokens } from '../src/domain/search/text-tokens.ts';
const h = openDatabase({ dataDir: '/work/main/bench/data/sqlite-1000000' });
const conn = { db: h.db, dialect: h.dialect } as never;
const all = { all: true, regionIds: [], unitIds: [], unlocated: true } as never;
const unit = (await h.db.selectFrom('cases').select('routed_unit_id').where('id', '=', 500000).executeTakeFirst())!.routed_unit_id!;
const runs: [string, Record<string, unknown>][] = [
  ['垃圾 newest', { textTokens: queryTokens('垃圾') }],
  ['垃圾 due', { textTokens: queryTokens('垃圾'), sort: 'due' }],
  ['路灯 小区东门 due', { textTokens: queryTokens('路灯 小区东门'), sort: 'due' }],
  ['电梯困人 凌晨 newest', { textTokens: queryTokens('电梯困人 凌晨') }],
  ['电梯困人 凌晨 due', { textTokens: queryTokens('电梯困人 凌晨'), sort: 'due' }],
  ['占道经营+unit newest', { textTokens: queryTokens('占道经营'), involvedUnitIds: [unit] }],
  ['占道经营+unit due', { textTokens: queryTokens('占道经营'), involvedUnitIds: [unit], sort: 'due' }],
];
for (const [name, f] of runs) {
  for (const what of ['list', 'count'] as const) {
    const ms: number[] = [];
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      if (what === 'list') n = (await cases.listCases(conn, { visibility: all, limit: 50, ...f } as never)).length;
      else n = (await cases.countCases(conn, { visibility: all, ...f } as never, 1000)).total;
      ms.push(performance.now() - t0);
    }
    console.log(name, what, n, ms.map((x) => x.toFixed(1)).join(' '));
  }
}
await h.close();
