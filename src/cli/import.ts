import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext } from '../runtime/bootstrap.ts';
import { DomainError } from '../domain/errors.ts';
import { importGrids, type GridImportReport } from '../commands/grids-import.ts';
import { importCalendar } from '../commands/calendar-import.ts';

function readJson(file: string): unknown {
  if (!fs.existsSync(file)) throw new Error(`file not found: ${file}`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, strict: true, allowPositionals: true,
    options: { kind: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, crs: { type: 'string' } },
  });
  const [what, file] = positionals;
  if (!file || (what !== 'grids' && what !== 'calendar')) {
    console.error('usage: cityops import grids FILE [--kind unit|responsibility] [--crs wgs84|gcj02|bd09] [--dry-run] | cityops import calendar FILE');
    return 2;
  }
  const json = readJson(file);
  const ctx = await createContext(loadConfig());
  try {
    if (what === 'calendar') {
      const r = await importCalendar(ctx, json, null);
      console.log(`calendar ${r.year}: ${r.holidays} holidays, ${r.makeUpWorkdays} make-up working days imported`);
      return 0;
    }
    const kind = values.kind === 'responsibility' ? 'responsibility' : 'unit';
    try {
      const r = await importGrids(ctx, json, { kind, dryRun: values['dry-run'], coordSystem: (values.crs ?? 'wgs84') as never });
      console.log(`${r.dryRun ? 'dry run: ' : ''}${r.features} features, ${r.valid} valid, ${r.imported} imported`);
      return 0;
    } catch (err) {
      if (err instanceof DomainError && err.details?.report) {
        const rep = err.details.report as GridImportReport;
        console.error(`import refused: ${rep.problems.length} problem(s) in ${rep.features} features; nothing was imported`);
        for (const p of rep.problems.slice(0, 50)) console.error(`  feature ${p.feature} (${p.id ?? '?'}) ${p.field}: ${p.code} — ${p.message}`);
        if (rep.problems.length > 50) console.error(`  … and ${rep.problems.length - 50} more`);
        return 2;
      }
      throw err;
    }
  } finally {
    await closeContext(ctx);
  }
}
