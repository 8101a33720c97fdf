/**
 * One deadline-sweep tick with N open cases stored (deadlines spread over 30 days). Two ticks are measured:
 * a steady tick (30 s of thresholds come due, the default interval) and a catch-up tick (1 h came due at once,
 * e.g. after a restart). Each run uses a fresh window of the 30 days, so runs are repeatable on one store.
 * Usage: node --import tsx bench/deadline-sweep.bench.ts [sqlite|postgres] [storedCases]
 */
import { raw, closeBenchContext } from './lib/raw.ts';
import { loadConfig } from '../src/config/env.ts';
import { createContext } from '../src/runtime/bootstrap.ts';
import { FakeClock } from '../src/runtime/clock.ts';
import { runDeadlineSweep } from '../src/jobs/deadline-sweep.job.ts';
import { prepareStore, saveStore } from './lib/store.ts';
import { progress, writeResult } from './lib/results.ts';

export async function benchSweep(kind: 'sqlite' | 'postgres', stored: number) {
  const store = await prepareStore(kind, stored, progress);
  const clock = new FakeClock(store.sweepCursor);
  const ctx = await createContext(loadConfig(store.env as NodeJS.ProcessEnv), { clock });
  const open = await raw(ctx).db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'not in', ['ARCHIVED', 'CANCELLED']).executeTakeFirstOrThrow();
  progress(`${kind}: ${Number(open.n).toLocaleString()} open cases; catching up to the window start…`);
  await runDeadlineSweep(ctx, { batchSize: 5000 }); // everything before the cursor (earlier runs' leftovers)
  const ticks: Record<string, unknown>[] = [];
  for (const [label, advance] of [['steady (30 s due)', 30_000], ['steady (30 s due)', 30_000], ['catch-up (1 h due)', 3600_000]] as const) {
    clock.advance(advance);
    const r = await runDeadlineSweep(ctx, { batchSize: 500 });
    ticks.push({ tick: label, examined: r.examined, warnings: r.warnings, overdue: r.overdue, ms: Math.round(r.ms * 10) / 10 });
    progress(`${kind}: ${label}: examined ${r.examined}, raised ${r.warnings} warnings and ${r.overdue} overdue in ${r.ms.toFixed(1)} ms`);
  }
  // an idle tick: nothing due
  const idle = await runDeadlineSweep(ctx);
  ticks.push({ tick: 'idle (nothing due)', examined: idle.examined, ms: Math.round(idle.ms * 10) / 10 });
  store.sweepCursor = clock.now();
  saveStore(store);
  await closeBenchContext(ctx);
  const steadyMs = Math.max(...ticks.slice(0, 2).map((t) => t.ms as number));
  const result = { store: kind, openCases: Number(open.n), ticks, target: { tickMs: 200 }, steadyTickMs: steadyMs, pass: steadyMs < 200 };
  writeResult(`deadline-sweep-${kind}`, result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind = 'sqlite', stored = '1000000'] = process.argv.slice(2);
  await benchSweep(kind as 'sqlite' | 'postgres', Number(stored));
}
