import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DIR = path.resolve('bench/results');

export function machine() {
  return { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30) };
}

export function writeResult(name: string, result: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ scenario: name, at: new Date().toISOString(), machine: machine(), ...result }, null, 2) + '\n');
  return file;
}

/** Nearest-rank percentile (`p` from 0 to 100) of unsorted values, rounded to 0.1; NaN when there are none. */
export const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10 : NaN;
};

export const progress = (msg: string) => process.stdout.write(`[bench] ${msg}\n`);
