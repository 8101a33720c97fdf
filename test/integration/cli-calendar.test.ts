/** `cityops calendar show | set | unit`: a city's work time from the command line, validated like the API. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/cityops.js');

function cityops(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, CITYOPS_FROM_SOURCE: '1', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('calendar settings from the command line: show, set, a unit with its own hours, refusals naming the field', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-cli-cal-'));
  const env = { DATA_DIR: dataDir };
  try {
    assert.equal(cityops(['seed', 'demo'], env).code, 0);
    const shown = cityops(['calendar', 'show'], env);
    assert.equal(shown.code, 0, shown.out);
    assert.match(shown.out, /work periods: +09:00–12:00, 13:30–17:30/);
    assert.match(shown.out, /day counting: +next_day_close_of_business/);

    const set = cityops(['calendar', 'set', '--periods', '08:30-12:00,13:00-17:00', '--day-counting', 'elapsed_work_time'], env);
    assert.equal(set.code, 0, set.out);
    assert.match(set.out, /work periods: +08:30–12:00, 13:00–17:00/);
    assert.match(set.out, /day counting: +elapsed_work_time/);

    const bad = cityops(['calendar', 'set', '--periods', '08:30-12:00,11:00-17:00'], env);
    assert.equal(bad.code, 2, bad.out);
    assert.match(bad.out, /workPeriods\[1\]\.start/);
    const badWeekend = cityops(['calendar', 'set', '--weekend', 'Sunday'], env);
    assert.equal(badWeekend.code, 2, badWeekend.out);
    assert.match(badWeekend.out, /weekendDays: would make a make-up workday a regular weekday/);

    const unit = cityops(['calendar', 'unit', 'U-CGZF', '--periods', '00:00-24:00', '--every-day'], env);
    assert.equal(unit.code, 0, unit.out);
    assert.match(unit.out, /U-CGZF .*: 00:00–24:00 \(every day, holidays too\)/);
    assert.equal(cityops(['calendar', 'unit', 'U-NOPE', '--periods', '08:00-18:00'], env).code, 2);
    const cleared = cityops(['calendar', 'unit', 'U-CGZF', '--clear'], env);
    assert.equal(cleared.code, 0, cleared.out);
    assert.match(cleared.out, /units with their own hours: none/);
    assert.equal(cityops(['calendar', 'frob'], env).code, 2);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
