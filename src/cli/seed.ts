import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { seedDemo } from '../commands/demo-seed.ts';

export async function seedDemoCommand(): Promise<number> {
  const ctx = await createContext(loadConfig(), { log: consoleLogger });
  try {
    if (!(await ctx.store.seed.isEmpty())) {
      console.error('error: the store is not empty; the demo city is seeded only into an empty store');
      return 2;
    }
    const r = await seedDemo(ctx, { print: true, progress: (m) => console.log(`  · ${m}`) });
    // its generated history follows on the next `cityops serve` (or now: `cityops seed demo-history`)
    const { markDemoHistoryPending } = await import('../commands/demo-history.ts');
    await markDemoHistoryPending(ctx, ctx.config.demoHistoryCases || undefined);
    console.log(`demo city seeded in ${r.ms} ms`);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
