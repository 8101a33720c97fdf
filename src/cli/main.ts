/**
 * `cityops serve | migrate | seed demo | import grids FILE | import calendar FILE | calendar show|set|unit | user create | apikey create`
 * Every command reads the same environment (PORT, DATA_DIR, DATABASE_URL, …) as the server.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { serve } from './serve.ts';
import { DomainError } from '../domain/errors.ts';

const USAGE = `CityOps 一网统管

Usage: cityops <command> [options]

  serve [--no-demo] [--no-demo-history]
                                    start the platform (default command); seeds the demo city on an empty store, and
                                    its generated history (13 months of cases) in the background
  migrate                           apply database migrations and exit
  seed demo                         seed the demo city into an empty store
  seed demo-history [--cases N]     write (or finish) the demo city's generated history now, with progress
  import grids FILE [--kind unit|responsibility] [--dry-run]
                                    import grids from a GeoJSON FeatureCollection (reports invalid geometry)
  import calendar FILE              import a year's holidays and make-up working days (JSON)
  calendar show                     the work time in force: work periods, weekend, day counting, units' own hours
  calendar set [--periods 09:00-12:00,13:30-17:30] [--weekend Saturday,Sunday] [--day-counting RULE]
                                    change the city's work time (RULE: next_day_close_of_business | elapsed_work_time)
  calendar unit UNIT_ID --periods 08:00-18:00 [--every-day] | --clear
                                    a unit that keeps other hours (--every-day: no weekend or holiday for it)
  user create --username U --password P --role R [--role R2] [--unit ID] [--region ID] [--name NAME]
  apikey create --name N [--role R] [--unit ID]
                                    create an API key for a machine client (printed once, stored hashed)
  assessment rebuild --month YYYY-MM [--json]
                                    recount a month's assessment from case history; report and correct differences
  decide rebuild [--json]           rebuild hotspot and trend rollups and recurring problems from every report
  simulate sensors --devices N --rate R [--mqtt-url URL] [--batch B] [--seconds S] [--register] [--per-device]
                                    publish simulated telemetry (with anomalies) to the broker (issue 11)

Environment: PORT (8080), HOST (127.0.0.1), DATA_DIR (./data), DATABASE_URL (PostgreSQL; unset → SQLite in DATA_DIR),
LOG_LEVEL (info). See README.md.`;

export async function main(argv: string[]): Promise<number> {
  const [cmd = 'serve', ...rest] = argv;
  try {
    switch (cmd) {
      case 'serve':
        return await serve(rest);
      case 'migrate': {
        const ctx = await createContext(loadConfig(), { log: consoleLogger });
        console.log(`migrations applied on ${ctx.store.describe}`);
        await closeContext(ctx);
        return 0;
      }
      case 'seed': {
        if (rest[0] === 'demo-history') {
          const { seedDemoHistoryCommand } = await import('./demo-history.ts');
          return await seedDemoHistoryCommand(rest.slice(1));
        }
        if (rest[0] !== 'demo') return usage('seed: only "seed demo" and "seed demo-history" are supported');
        const { seedDemoCommand } = await import('./seed.ts');
        return await seedDemoCommand();
      }
      case 'import': {
        const { importCommand } = await import('./import.ts');
        return await importCommand(rest);
      }
      case 'calendar': {
        const { calendarCommand } = await import('./calendar.ts');
        return await calendarCommand(rest);
      }
      case 'user': {
        if (rest[0] !== 'create') return usage('user: only "user create" is supported');
        const { userCreateCommand } = await import('./user.ts');
        return await userCreateCommand(rest.slice(1));
      }
      case 'apikey': {
        if (rest[0] !== 'create') return usage('apikey: only "apikey create" is supported');
        const { apikeyCreateCommand } = await import('./apikey.ts');
        return await apikeyCreateCommand(rest.slice(1));
      }
      case 'assessment': {
        const { assessmentCommand } = await import('./assessment.ts');
        return await assessmentCommand(rest);
      }
      case 'decide': {
        const { decideCommand } = await import('./decide.ts');
        return await decideCommand(rest);
      }
      case 'simulate': {
        const { simulateCommand } = await import('./simulate.ts');
        return await simulateCommand(rest);
      }
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        return usage(`unknown command "${cmd}"`);
    }
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

function usage(msg: string): number {
  console.error(`error: ${msg}\n\n${USAGE}`);
  return 2;
}

export { parseArgs };
