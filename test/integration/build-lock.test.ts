/**
 * Building on start is safe when several processes start at once on one checkout (two `npm start`s used to crash
 * with ENOTEMPTY removing dist/): builds hold a lock, never overlap, and a lock left by a dead process is taken over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const lockModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/build-lock.js');

function run(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

test('concurrent builders take turns: their builds never overlap, and each swaps a whole folder into place', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-lock-'));
  try {
    const log = path.join(dir, 'log');
    const script = (n: number) => `
      import fs from 'node:fs';
      const { withBuildLock, swapInto } = await import(${JSON.stringify(lockModule)});
      await withBuildLock(${JSON.stringify(path.join(dir, 'dist.lock'))}, async () => {
        fs.appendFileSync(${JSON.stringify(log)}, 'start ${n}\\n');
        const out = ${JSON.stringify(dir)} + '/dist.build-' + process.pid;
        fs.mkdirSync(out);
        for (let i = 0; i < 50; i++) fs.writeFileSync(out + '/f' + i, '${n}');
        await new Promise((r) => setTimeout(r, 150));
        swapInto(out, ${JSON.stringify(path.join(dir, 'dist'))});
        fs.appendFileSync(${JSON.stringify(log)}, 'end ${n}\\n');
      });`;
    const codes = await Promise.all([1, 2, 3, 4].map((n) => run(script(n))));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 8);
    for (let i = 0; i < lines.length; i += 2) {
      assert.match(lines[i], /^start (\d)$/);
      assert.equal(lines[i + 1], lines[i].replace('start', 'end'), `no build starts before the previous one ends: ${lines.join(', ')}`);
    }
    const files = fs.readdirSync(path.join(dir, 'dist'));
    assert.equal(files.length, 50);
    assert.equal(new Set(files.map((f) => fs.readFileSync(path.join(dir, 'dist', f), 'utf8'))).size, 1, 'dist/ is one build, whole');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['dist', 'log'], 'no lock, temporary or old folder is left behind');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock left by a process that died is taken over', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-lock-'));
  try {
    const lock = path.join(dir, 'dist.lock');
    fs.writeFileSync(lock, '2147483646'); // no such process
    const { withBuildLock } = await import(lockModule) as { withBuildLock: (f: string, fn: () => Promise<string>) => Promise<string> };
    assert.equal(await withBuildLock(lock, async () => 'built'), 'built');
    assert.equal(fs.existsSync(lock), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
