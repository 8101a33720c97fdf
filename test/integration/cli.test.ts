/** The `cityops` command as an operator uses it: migrate, user and API key creation, imports, a busy port. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/cityops.js');

function cityops(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, CITYOPS_FROM_SOURCE: '1', ...env }, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('migrate, seed demo, user create, apikey create, import calendar and grids from the command line', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-cli-'));
  const env = { DATA_DIR: dataDir };
  try {
    const m = cityops(['migrate'], env);
    assert.equal(m.code, 0, m.out);
    const seed = cityops(['seed', 'demo'], env);
    assert.equal(seed.code, 0, seed.out);
    assert.match(seed.out, /demo-admin/);
    const creds = path.join(dataDir, 'demo-credentials.txt');
    assert.equal(fs.statSync(creds).mode & 0o777, 0o600, 'demo credentials are private to the owner');
    assert.equal(cityops(['seed', 'demo'], env).code, 2, 'seeding a non-empty store is refused');

    const u = cityops(['user', 'create', '--username', 'ops1', '--password', 'long-enough-pw', '--role', 'dispatcher'], env);
    assert.equal(u.code, 0, u.out);
    const dup = cityops(['user', 'create', '--username', 'ops1', '--password', 'long-enough-pw', '--role', 'dispatcher'], env);
    assert.equal(dup.code, 2);
    assert.match(dup.out, /taken/);
    const badRole = cityops(['user', 'create', '--username', 'ops2', '--password', 'long-enough-pw', '--role', 'mayor'], env);
    assert.equal(badRole.code, 2);
    assert.match(badRole.out, /roles\[0\]/);

    const k = cityops(['apikey', 'create', '--name', 'hotline-system'], env);
    assert.equal(k.code, 0, k.out);
    assert.match(k.out, /cok_[A-Za-z0-9]+_/);

    const cal = path.join(dataDir, 'cal.json');
    fs.writeFileSync(cal, JSON.stringify({ year: 2027, weekend: ['Saturday', 'Sunday'], holidays: [{ name: '元旦', daysOff: ['2027-01-01'], makeUpWorkdays: [] }] }));
    const ci = cityops(['import', 'calendar', cal], env);
    assert.equal(ci.code, 0, ci.out);
    assert.match(ci.out, /2027: 1 holidays/);

    const bad = path.join(dataDir, 'bad.geojson');
    fs.writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'G1', communityId: 'nope' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } }] }));
    const gi = cityops(['import', 'grids', bad], env);
    assert.equal(gi.code, 2, gi.out);
    assert.match(gi.out, /SELF_INTERSECTION/);
    assert.match(gi.out, /nothing was imported/);
    assert.equal(cityops(['frobnicate'], env).code, 2);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a busy port is reported clearly and the process exits', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-port-'));
  try {
    const child = spawn(process.execPath, [BIN, 'serve', '--no-demo'], {
      env: { ...process.env, CITYOPS_FROM_SOURCE: '1', DATA_DIR: dataDir, PORT: String(port), SWEEP_INTERVAL_MS: '0' },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 3, out);
    assert.match(out, new RegExp(`port ${port} .*already in use`));
    assert.match(out, /PORT=/);
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
