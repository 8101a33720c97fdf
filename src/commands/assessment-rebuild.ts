/**
 * `cityops assessment rebuild --month YYYY-MM`: recounts every case reported in the month from its history, then
 * checks each day's counter rows against the sum of its cases' facts and corrects any drift; reports both kinds of
 * difference. Never blocks intake: work goes in short transactions (a chunk of cases, then one day's counters), each
 * holding only the counting lock (the `assessment` cursor row), which case creation never touches.
 */
import type { AppContext } from '../runtime/context.ts';
import { contributions, dayText, monthPeriod, parseMonth, COUNTER_COLUMNS } from '../domain/assessment/index.ts';
import { recountCases } from './assessment-count.ts';

export interface RebuildReport {
  month: string;
  cases: number;
  factsChanged: number;
  /** Up to 100 cases whose facts differed from what was stored, with the flags that moved. */
  factDifferences: { caseId: number; added: string[]; removed: string[]; wasMissing: boolean }[];
  countersCorrected: number;
  /** Up to 100 counter corrections: slice, column, stored value, value from the facts. */
  counterDifferences: { day: string; dim: string; key: string; counter: string; stored: number; expected: number }[];
  ms: number;
}

async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      // SQLite across processes: a snapshot overtaken by the server's own write (SQLITE_BUSY*) is simply retried.
      if (i >= 4 || !/BUSY|deadlock|could not serialize/i.test(String((err as Error).message ?? err))) throw err;
      await new Promise((r) => setTimeout(r, 50 * (i + 1)));
    }
  }
}

export async function rebuildMonth(ctx: AppContext, monthRaw: unknown, opts: { chunk?: number; onDay?: (day: string, cases: number) => void } = {}): Promise<RebuildReport> {
  const t0 = performance.now();
  const month = parseMonth('month', monthRaw);
  const p = monthPeriod(month);
  const rep: RebuildReport = { month, cases: 0, factsChanged: 0, factDifferences: [], countersCorrected: 0, counterDifferences: [], ms: 0 };
  const chunk = opts.chunk ?? 500;
  const off = ctx.config.utcOffsetMinutes;
  // one month: its days are consecutive YYYYMMDD numbers
  for (let day = p.fromDay; day <= p.toDay; day++) {
    let after = '';
    let dayCases = 0;
    for (;;) {
      const ids = await ctx.store.assessment.caseIdsOfDay(day, after, chunk);
      if (ids.length === 0) break;
      after = ids[ids.length - 1].caseNo;
      const r = await retry(() => ctx.store.transaction(async (tx) => {
        await tx.assessment.lockCounting();
        return recountCases(tx, ids.map((x) => x.id), ctx.clock.now(), off);
      }));
      rep.cases += r.cases;
      dayCases += r.cases;
      rep.factsChanged += r.changed.length;
      for (const c of r.changed) {
        if (rep.factDifferences.length >= 100) break;
        const was = c.before ? c.before.flags : new Set<string>();
        rep.factDifferences.push({
          caseId: c.caseId, wasMissing: c.before === null,
          added: [...c.after.flags].filter((f) => !was.has(f)), removed: [...was].filter((f) => !c.after.flags.has(f as never)),
        });
      }
      if (ids.length < chunk) break;
    }
    // The day's counters against its facts.
    await retry(() => ctx.store.transaction(async (tx) => {
      await tx.assessment.lockCounting();
      const expected = new Map<string, number[]>();
      for (const f of await tx.assessment.factsOfDay(day)) {
        for (const [k, v] of contributions(f)) {
          const cur = expected.get(k);
          if (!cur) expected.set(k, v.slice());
          else for (let i = 0; i < v.length; i++) cur[i] += v[i];
        }
      }
      const stored = await tx.assessment.countersOfDay(day);
      const fix = new Map<string, number[]>();
      for (const k of new Set([...expected.keys(), ...stored.keys()])) {
        const e = expected.get(k) ?? new Array<number>(COUNTER_COLUMNS.length).fill(0);
        const s = stored.get(k) ?? new Array<number>(COUNTER_COLUMNS.length).fill(0);
        const d = e.map((x, i) => x - s[i]);
        if (d.every((x) => x === 0)) continue;
        fix.set(k, d);
        d.forEach((x, i) => {
          if (x === 0) return;
          rep.countersCorrected++;
          if (rep.counterDifferences.length < 100) {
            const [, dim, key] = k.split('|');
            rep.counterDifferences.push({ day: dayText(day), dim, key, counter: COUNTER_COLUMNS[i], stored: s[i], expected: e[i] });
          }
        });
      }
      if (fix.size) await tx.assessment.applyCounterDeltas(fix);
    }));
    opts.onDay?.(dayText(day), dayCases);
  }
  rep.ms = Math.round(performance.now() - t0);
  return rep;
}
