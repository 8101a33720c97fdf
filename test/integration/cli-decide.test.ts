/** `cityops decide rebuild`: rebuilds the hotspot rollups and recurring problems from the command line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/cityops.js');
const cityops = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, CITYOPS_FROM_SOURCE: '1', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('decide rebuild on a demo store answers what it rebuilt; a wrong subcommand is a usage error', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-cli-decide-'));
  const env = { DATA_DIR: dataDir };
  try {
    assert.equal(cityops(['seed', 'demo'], env).code, 0);
    const r = cityops(['decide', 'rebuild', '--json'], env);
    assert.equal(r.code, 0, r.out + r.err);
    const rep = JSON.parse(r.out) as { cases: number; problems: number; upToCaseId: number };
    assert.equal(typeof rep.cases, 'number');
    assert.equal(rep.problems >= 0, true);
    const again = cityops(['decide', 'rebuild'], env);
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /decision support rebuilt: \d+ report\(s\)/);
    const bad = cityops(['decide', 'frobnicate'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /usage: cityops decide rebuild/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
