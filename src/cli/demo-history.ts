import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { seedDemoHistory } from '../commands/demo-history.ts';

/** `cityops seed demo-history [--cases N]`: the demo city's generated history, now and in the foreground (idempotent). */
export async function seedDemoHistoryCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cases: { type: 'string' } }, strict: true });
  const cases = values.cases === undefined ? undefined : Number(values.cases);
  if (cases !== undefined && (!Number.isInteger(cases) || cases < 100 || cases > 5_000_000)) {
    console.error('error: --cases must be a whole number from 100 to 5000000');
    return 2;
  }
  const ctx = await createContext(loadConfig(), { log: consoleLogger });
  try {
    if (await ctx.store.seed.isEmpty()) {
      console.error('error: the store is empty: seed the demo city first (cityops seed demo)');
      return 2;
    }
    const r = await seedDemoHistory(ctx, { log: (m) => console.log(m), create: true, totalCases: cases ?? (ctx.config.demoHistoryCases || undefined) });
    if (!r) console.log('demo history: already written (nothing to do)');
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
