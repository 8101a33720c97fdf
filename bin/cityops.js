#!/usr/bin/env node
// The `cityops` command. Runs the compiled build in dist/ (smaller and faster to start than compiling on the
// fly); rebuilds it first when any source file is newer than the last build. Without the TypeScript compiler
// (a production install without dev dependencies) and without a current build, it runs the sources through tsx.
// `serve` also builds the web console (web/dist) when it is missing or older than web/src (web/build.mjs), except
// with CITYOPS_FROM_SOURCE=1 (no build steps at all; `npm run build:web` builds the console by hand).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { swapInto, withBuildLock } from './build-lock.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  if (!fs.existsSync(stamp)) return false;
  return fs.statSync(stamp).mtimeMs >= newestSource(path.join(root, 'src'));
}

/** Compiles into a folder of its own and swaps it into dist/, under a lock (two starts at once: one builds). */
async function tryBuild() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) return false;
  return withBuildLock(path.join(root, '.build-locks', 'dist.lock'), () => {
    if (buildIsCurrent()) return true; // built by the process we waited for
    process.stderr.write('CityOps: compiling (first start or sources changed)…\n');
    const out = path.join(root, `dist.build-${process.pid}`);
    fs.rmSync(out, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
    if (r.status !== 0) { fs.rmSync(out, { recursive: true, force: true }); return false; }
    fs.writeFileSync(path.join(out, '.build-stamp'), new Date().toISOString());
    swapInto(out, path.join(root, 'dist'));
    return true;
  }, { log: (m) => process.stderr.write(m + '\n') });
}

const command = process.argv[2];
if ((command === undefined || command === 'serve') && process.env.CITYOPS_FROM_SOURCE !== '1' && fs.existsSync(path.join(root, 'web', 'build.mjs'))) {
  const { ensureWebBuild } = await import(pathToFileURL(path.join(root, 'web', 'build.mjs')).href);
  await ensureWebBuild(); // on failure the server still starts, with the plain landing page at /
}

let entry;
if (process.env.CITYOPS_FROM_SOURCE !== '1' && (buildIsCurrent() || (await tryBuild()))) {
  entry = pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
