import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.ts';
import { createContext, closeContext, consoleLogger } from '../runtime/bootstrap.ts';
import { buildApp } from '../http/app.ts';
import { startJobs } from '../jobs/registry.ts';
import { startIntakeConsumers } from '../intake/index.ts';

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'no-demo': { type: 'boolean', default: false }, 'no-demo-history': { type: 'boolean', default: false } }, strict: true });
  const config = loadConfig();
  const ctx = await createContext(config, { log: consoleLogger, watch: true });
  console.log(`CityOps: store ${ctx.store.describe} (${ctx.store.dialect})`);
  if (!values['no-demo']) {
    const { seedDemoIfEmpty } = await import('../commands/demo-seed.ts');
    const seeded = await seedDemoIfEmpty(ctx, { print: true });
    // The demo city's sensors (issue 11): a few thousand simulated devices, registered with the city (idempotent, bulk).
    // The simulator does not run by default: `cityops simulate sensors --devices 3000 --rate 100` makes them speak.
    if (seeded) {
      const { seedDemoScenarios } = await import('../commands/scenario-demo.ts');
      const sc = await seedDemoScenarios(ctx);
      console.log(`CityOps: scenario packs installed (${sc.rules} rule(s)), ${sc.signs} shop sign(s) registered`);
      const { registerSimulatedDevices } = await import('../commands/device-simulated.ts');
      const { DEFAULT_SIM_SECRET } = await import('./simulate.ts');
      const n = await registerSimulatedDevices(ctx, 3000, process.env.SIM_SECRET || DEFAULT_SIM_SECRET);
      console.log(`CityOps: ${n} simulated sensor(s) registered (cityops simulate sensors makes them speak)`);
    }
  }
  await (await import('../runtime/rule-engine.ts')).startRuleEngine(ctx); // issue 11: rules on the sensing hooks
  const app = await buildApp(ctx, { logger: true });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      console.error(`error: port ${config.port} on ${config.host} is already in use. Set PORT to a free port, e.g. PORT=8081 npm start`);
      await closeContext(ctx);
      return 3;
    }
    throw err;
  }
  const jobs = startJobs(ctx);
  // The demo city's generated history (issue 10 part 8) is written in the background: the server answers meanwhile.
  const history = !values['no-demo'] && !values['no-demo-history'] && config.demoHistoryCases > 0
    ? (await import('../commands/demo-history.ts')).startDemoHistory(ctx, (m) => console.log(`CityOps: ${m}`)) : undefined;
  // Intake channels that are not HTTP (a watched folder, later MQTT and video streams) start once the server listens.
  const consumers = await startIntakeConsumers(ctx);
  for (const c of consumers.running) console.log(`CityOps: intake ${c}`);
  console.log(`CityOps is running: http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}  (API docs: /docs)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('CityOps: shutting down');
  await consumers.stop();
  await history?.stop();
  await jobs.stop();
  await app.close();
  await closeContext(ctx);
  return 0;
}
