/**
 * The rule engine's evaluation throughput (issue 11 part 3: ≥ 50,000 readings/s through the rules): N registered
 * water-level devices, three enabled rules per device (by type, by scenario, a combination), readings in batches of
 * 1,000 handed to the engine's listener the way ingestion hands them over after storing. About 1 reading in 20,000
 * crosses the line, so alarms (and their cases) are written during the run as well. Writes
 * bench/results/sensing-rules.json. Env: BENCH_RULE_DEVICES (default 100,000), BENCH_RULE_READINGS (default 2,000,000).
 *
 * Run: node --import tsx bench/sensing-rules.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { closeContext, createContext } from '../src/runtime/bootstrap.ts';
import { FakeClock } from '../src/runtime/clock.ts';
import { openDatabase } from '../src/storage/db.ts';
import { seedDemo } from '../src/commands/demo-seed.ts';
import { createRule } from '../src/commands/rule-save.ts';
import { RuleEngine } from '../src/runtime/rule-engine.ts';
import type { Reading } from '../src/domain/sensing/types.ts';
import { progress, writeResult } from './lib/results.ts';

export const RULES_TARGET = 50_000;

export async function benchSensingRules(devices = Number(process.env.BENCH_RULE_DEVICES ?? 100_000), total = Number(process.env.BENCH_RULE_READINGS ?? 2_000_000)) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-rules-'));
  const t0 = Date.UTC(2026, 10, 25, 2);
  const clock = new FakeClock(t0);
  const ctx = await createContext(loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv, { sweepIntervalMs: 0 }), { clock });
  const raw = openDatabase({ dataDir, poolSize: 1 });
  try {
    progress(`sensing rules: demo city and ${devices.toLocaleString()} devices…`);
    await seedDemo(ctx);
    await ctx.store.devices.saveType({ id: 'water_level', zh: '积水监测仪', en: 'Water level', scenario: 'waterlogging', heartbeatSeconds: 300,
      measurements: [{ key: 'waterLevel', zh: '水位', en: 'Water level', unit: 'cm' }, { key: 'rain', zh: '雨量', en: 'Rain', unit: 'mm' }] }, t0);
    const grid = [...ctx.ref.current().grids.values()][0];
    const g = await raw.db.selectFrom('grids').select(['min_lon', 'min_lat', 'max_lon', 'max_lat']).where('id', '=', grid.id).executeTakeFirstOrThrow();
    const lon = (Number(g.min_lon) + Number(g.max_lon)) / 2, lat = (Number(g.min_lat) + Number(g.max_lat)) / 2;
    for (let i = 0; i < devices; i += 1000) {
      await raw.db.insertInto('devices').values(Array.from({ length: Math.min(1000, devices - i) }, (_, k) => ({
        id: `d${i + k}`, type_id: 'water_level', name: `积水点 ${i + k}`, vendor: 'bench', model: null, lon, lat, grid_id: null, community_id: null, street_id: null,
        district_id: null, attachment_kind: null, attachment_id: null, scenario: 'waterlogging', owner_unit_id: null, state: 'online', last_seen_at: null,
        secret_hash: null, created_at: t0, updated_at: t0, version: 1,
      }))).execute();
    }
    await createRule(ctx, { name: '积水超警', scope: { kind: 'type', id: 'water_level' }, matterCode: '06010', enabled: true, suppressMinutes: 30,
      condition: { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 20, forSeconds: 300, hysteresis: 2 } }, null, 'bench-threshold');
    await createRule(ctx, { name: '水位快速上涨', scope: { kind: 'scenario', id: 'waterlogging' }, matterCode: '06010', enabled: true,
      condition: { kind: 'rate', measurement: 'waterLevel', direction: 'rise', perMinute: 10, windowSeconds: 300 } }, null, 'bench-rate');
    await createRule(ctx, { name: '暴雨且积水', scope: { kind: 'type', id: 'water_level' }, matterCode: '06010', enabled: true,
      condition: { kind: 'all', conditions: [{ kind: 'threshold', measurement: 'rain', op: '>', value: 50 }, { kind: 'threshold', measurement: 'waterLevel', op: '>', value: 15 }] } }, null, 'bench-all');
    const engine = new RuleEngine(ctx);
    await engine.start();
    progress('sensing rules: warming up (every device read once)…');
    for (let i = 0; i < devices; i += 1000) {
      await engine.onReadings(Array.from({ length: Math.min(1000, devices - i) }, (_, k) => ({ deviceId: `d${i + k}`, at: t0, values: { waterLevel: 3, rain: 1 } })));
    }
    await engine.idle();
    progress(`sensing rules: ${total.toLocaleString()} readings…`);
    const batch: Reading[] = new Array(1000);
    let at = t0 + 60_000;
    const started = process.hrtime.bigint();
    let n = 0;
    for (; n < total; n += 1000) {
      for (let k = 0; k < 1000; k++) {
        const dev = (n + k) % devices;
        // every 20,000th reading is a flood on a device that stays high (its alarm fires 5 minutes later)
        const high = dev % 20_000 === 7;
        batch[k] = { deviceId: `d${dev}`, at, values: { waterLevel: high ? 40 : 3 + ((n + k) % 5), rain: 1 } };
      }
      at += 1000;
      const r = engine.onReadings(batch.slice());
      if (r) await r;
    }
    await engine.idle();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perSecond = Math.round(n / seconds);
    const alarms = await raw.db.selectFrom('alarms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const result = {
      devices, rulesPerDevice: 3, readings: n, seconds: Math.round(seconds * 100) / 100, readingsPerSecond: perSecond, alarms: Number(alarms.n),
      stats: engine.snapshot(), target: RULES_TARGET, pass: perSecond >= RULES_TARGET,
    };
    writeResult('sensing-rules', result);
    progress(`sensing rules: ${perSecond.toLocaleString()} readings/s (${Number(alarms.n)} alarms written)`);
    return result;
  } finally {
    await raw.close();
    await closeContext(ctx);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSensingRules();
