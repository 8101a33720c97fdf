#!/usr/bin/env node
// Builds the web console into web/dist when it is missing or older than its sources (web/src, index.html, the
// Vite config). Used by `cityops serve` (bin/cityops.js) and `npm run test:e2e`; `npm run build:web` always builds.
//   node web/build.mjs            build if stale
//   node web/build.mjs --force    always build
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { swapInto, withBuildLock } from '../bin/build-lock.js';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(webRoot, '..');
const builtIndex = path.join(webRoot, 'dist', 'index.html');

function newest(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of fs.readdirSync(p)) n = Math.max(n, newest(path.join(p, e)));
  return n;
}

/** True when web/dist is missing or older than the newest source file. */
export function webBuildIsStale() {
  const built = fs.statSync(builtIndex, { throwIfNoEntry: false });
  if (!built) return true;
  const sources = Math.max(newest(path.join(webRoot, 'src')), newest(path.join(webRoot, 'index.html')),
    newest(path.join(webRoot, 'vite.config.ts')), newest(path.join(webRoot, 'public')));
  return built.mtimeMs < sources;
}

/**
 * Builds when stale (or always with force), into a folder of its own that is then swapped into web/dist, under a
 * lock: two processes starting at once build once. Resolves false when the build failed or Vite is not installed.
 */
export async function ensureWebBuild({ force = false, log = (m) => process.stderr.write(m + '\n') } = {}) {
  if (!force && !webBuildIsStale()) return true;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) { log('CityOps: vite is not installed; the web console is not built (run npm ci)'); return false; }
  return withBuildLock(path.join(root, '.build-locks', 'web.lock'), () => {
    if (!force && !webBuildIsStale()) return true; // built by the process we waited for
    log('CityOps: building the web console (first start or web sources changed)…');
    const t0 = Date.now();
    const out = path.join(webRoot, `dist.build-${process.pid}`);
    const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(webRoot, 'vite.config.ts'), '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      fs.rmSync(out, { recursive: true, force: true });
      log('CityOps: the web console build failed; / shows the plain landing page');
      return false;
    }
    swapInto(out, path.join(webRoot, 'dist'));
    log(`CityOps: web console built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return true;
  }, { log });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = (await ensureWebBuild({ force: process.argv.includes('--force') })) ? 0 : 1;
}
