/** Starts `cityops serve` in a child process (its own core), waits for /healthz, and measures its RSS. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface RunningServer { url: string; pid: number; stop(): Promise<void>; rssMb(): number }

export async function startServer(env: Record<string, string>, port: number): Promise<RunningServer> {
  // `cityops` rebuilds dist/ when a source is newer; a start that races another process's rebuild can find dist/
  // half-written and exit at once. Such an early exit is retried (a few times, a few seconds apart).
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, port);
    } catch (err) {
      if (attempt >= 4 || !(err instanceof EarlyExit)) throw err;
      process.stdout.write(`[bench] the server exited while starting (attempt ${attempt}); retrying in 5 s…\n`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

class EarlyExit extends Error {}

async function startOnce(env: Record<string, string>, port: number): Promise<RunningServer> {
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'bin/cityops.js', 'serve', '--no-demo'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SWEEP_INTERVAL_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new EarlyExit(`server exited: ${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not yet */ }
    if (Date.now() - t0 > Number(process.env.BENCH_SERVER_START_MS ?? 120_000)) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  let stopping = false;
  // a server that dies under load is a finding: say so with what it printed last
  child.once('exit', (code, signal) => {
    if (!stopping) process.stdout.write(`[bench] the server exited during the run (code ${code}, signal ${signal}); its last output:\n${out.slice(-4000)}\n`);
  });
  return {
    url, pid: child.pid!,
    rssMb: () => {
      const status = fs.readFileSync(path.join('/proc', String(child.pid), 'status'), 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      return m ? Number(m[1]) / 1024 : NaN;
    },
    stop: async () => {
      stopping = true;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
