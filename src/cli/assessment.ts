/**
 * `cityops assessment rebuild --month YYYY-MM`: recounts a month from history (src/commands/assessment-rebuild.ts) and
 * reports what differed. Safe on a live store: short transactions, never blocking intake.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { rebuildMonth } from '../commands/assessment-rebuild.ts';

export async function assessmentCommand(args: string[]): Promise<number> {
  if (args[0] !== 'rebuild') {
    console.error('usage: cityops assessment rebuild --month YYYY-MM [--json]');
    return 2;
  }
  const { values } = parseArgs({ args: args.slice(1), options: { month: { type: 'string' }, json: { type: 'boolean' } } });
  const ctx = await createContext(loadConfig(), { log: consoleLogger });
  try {
    const rep = await rebuildMonth(ctx, values.month, { onDay: (day, n) => { if (!values.json) process.stderr.write(`\r${day}: ${n} case(s)   `); } });
    if (values.json) {
      console.log(JSON.stringify(rep, null, 2));
    } else {
      process.stderr.write('\n');
      console.log(`${rep.month}: ${rep.cases} case(s) recounted in ${rep.ms} ms`);
      console.log(`  facts that differed from history: ${rep.factsChanged}`);
      for (const d of rep.factDifferences.slice(0, 20)) console.log(`    case ${d.caseId}${d.wasMissing ? ' (not counted before)' : ''}: +[${d.added.join(', ')}] −[${d.removed.join(', ')}]`);
      console.log(`  counter values corrected: ${rep.countersCorrected}`);
      for (const d of rep.counterDifferences.slice(0, 20)) console.log(`    ${d.day} ${d.dim}:${d.key} ${d.counter}: stored ${d.stored}, from facts ${d.expected}`);
    }
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
