// Building on start must be safe when two processes start at once on one checkout (two `npm start`s, a test run
// beside a server): builds take a lock (a file created exclusively, holding the builder's pid), build into a folder of
// their own, and swap it into place with renames; a process that waited for the lock re-checks whether a build is
// still needed. A lock whose process is gone is taken over.
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function holderAlive(file) {
  let text;
  let st;
  try {
    st = fs.statSync(file);
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false; // released meanwhile
  }
  const pid = Number(text);
  // Created but its pid not written yet: the creator is alive for a moment longer.
  if (!pid) return Date.now() - st.mtimeMs < 10_000;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM'; // exists, not ours
  }
}

/** Runs `fn` holding the lock file `lockFile` (waits for another holder; a lock left by a dead process is taken over). */
export async function withBuildLock(lockFile, fn, { waitMs = 10 * 60_000, log = () => {} } = {}) {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const until = Date.now() + waitMs;
  let said = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (!holderAlive(lockFile)) {
        // Take over a dead process's lock: rename it away first, so two takers cannot both delete a fresh lock.
        try { fs.renameSync(lockFile, `${lockFile}.stale-${process.pid}`); fs.rmSync(`${lockFile}.stale-${process.pid}`, { force: true }); } catch { /* someone else took it over */ }
        continue;
      }
      if (Date.now() > until) throw new Error(`another process has been building for ${waitMs / 60_000} min (${lockFile}); remove it if no build runs`);
      if (!said) { log('CityOps: another process is building; waiting for it…'); said = true; }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.rmSync(lockFile, { force: true });
    } catch { /* already gone */ }
  }
}

/** Replaces `target` by `built` with renames (the old one is removed after the swap). */
export function swapInto(built, target) {
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(built, target);
  fs.rmSync(old, { recursive: true, force: true });
}
