/**
 * The queue search in the server's own terms (issue 8): the store's listCases and countCases called directly, one
 * client, for the kinds of bench/case-search.bench.ts, on its cached store (bench/data/sqlite-N, seeded by that bench).
 * Prints min / median ms of `runs` runs for the page and the count of each kind and sort. No HTTP, no queueing.
 * Usage: node --import tsx bench/case-search-server.ts [storedCases] [runs]
 */
import { raw, closeBenchContext } from './lib/raw.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { prepareStore } from './lib/store.ts';
import { progress } from './lib/results.ts';
import { queryTokens } from '../src/domain/search/text-tokens.ts';
import type { CaseFilter } from '../src/storage/repositories/case.repository.ts';

const stored = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 5);
const store = await prepareStore('sqlite', stored, progress);
const ctx = await createContext(loadConfig(store.env as NodeJS.ProcessEnv));
const db = raw(ctx).db;
const total = Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const sample = await db.selectFrom('cases').select(['address', 'routed_unit_id']).where('id', '=', Math.max(1, Math.floor(total / 2))).executeTakeFirstOrThrow();
const kinds: { name: string; q: string; unit?: string }[] = [
  { name: 'common word', q: '垃圾' },
  { name: 'two-character word', q: '井盖' },
  { name: 'phrase', q: '噪音扰民' },
  { name: 'two words', q: '路灯 小区东门' },
  { name: 'rare combination', q: '电梯困人 凌晨' },
  { name: 'address', q: sample.address ?? '128号' },
  { name: 'word within a unit', q: '占道经营', unit: sample.routed_unit_id ?? '' },
];
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (f: () => Promise<unknown>) => {
  const ms: number[] = [];
  let out: unknown;
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); out = await f(); ms.push(performance.now() - t0); }
  return { min: Math.min(...ms).toFixed(1), med: med(ms).toFixed(1), out };
};
for (const k of kinds) {
  for (const sort of ['newest', 'due'] as const) {
    const f: Omit<CaseFilter, 'limit'> = { visibility: { all: true }, textTokens: queryTokens(k.q), involvedUnitIds: k.unit ? [k.unit] : undefined, sort };
    const list = await time(() => ctx.store.cases.listCases({ ...f, limit: 50 }));
    const count = await time(() => ctx.store.cases.countCases(f, 1000));
    const c = count.out as { total: number; capped: boolean };
    progress(`${k.name}, ${sort}: list ${list.min} / ${list.med} ms (${(list.out as unknown[]).length} rows), count ${count.min} / ${count.med} ms (${c.total}${c.capped ? '+' : ''})`);
  }
}
await closeBenchContext(ctx);
