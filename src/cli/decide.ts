/**
 * `cityops decide rebuild [--json]`: rebuilds the decision-support rollups (hotspot days, matter days, trend months)
 * and the recurring problems from every report (src/commands/recurrence-rebuild.ts), e.g. after a bulk import or the
 * demo history. Safe on a live store: short transactions; the tail job waits while it runs (its cursor is held).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { rebuildDecisionSupport } from '../commands/recurrence-rebuild.ts';

export async function decideCommand(args: string[]): Promise<number> {
  if (args[0] !== 'rebuild') {
    console.error('usage: cityops decide rebuild [--json]');
    return 2;
  }
  const { values } = parseArgs({ args: args.slice(1), options: { json: { type: 'boolean' } } });
  const ctx = await createContext(loadConfig(), { log: consoleLogger });
  try {
    const r = await rebuildDecisionSupport(ctx, { say: (m) => { if (!values.json) process.stderr.write(`${m}\n`); } });
    if (values.json) console.log(JSON.stringify(r, null, 2));
    else console.log(`decision support rebuilt: ${r.cases} report(s) up to case ${r.upToCaseId}, ${r.problems} recurring problem(s) linking ${r.linkedCases} case(s), in ${r.ms} ms`);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
