#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and web/test/ (Node 20 does not expand globs) in one node:test run,
// so CI reads one summary. Integration tests run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'test', 'web/test'];
const files = [];
const walk = (p) => {
  const st = fs.statSync(p);
  if (st.isFile()) { if (p.endsWith('.test.ts')) files.push(p); return; }
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e === 'e2e') continue;
    walk(path.join(p, e));
  }
};
roots.forEach(walk);
files.sort();
if (files.length === 0) { console.error('no test files found'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
