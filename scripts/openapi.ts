/**
 * Generates the OpenAPI document from the route schemas (`--write`), or checks that the committed one under
 * openapi/ is current (`--check`, used by CI: the document must not drift from the code).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env.ts';
import { createContext, closeContext } from '../src/runtime/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';

const FILE = path.resolve('openapi/openapi.json');
const mode = process.argv[2] ?? '--check';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-openapi-'));
const ctx = await createContext(loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv));
const app = await buildApp(ctx);
await app.ready();
const doc = JSON.stringify(app.swagger(), null, 2) + '\n';
await app.close();
await closeContext(ctx);
fs.rmSync(dataDir, { recursive: true, force: true });

if (mode === '--write') {
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  fs.writeFileSync(FILE, doc);
  console.log(`wrote ${path.relative(process.cwd(), FILE)} (${doc.length} bytes)`);
} else {
  const committed = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
  if (committed !== doc) {
    console.error('openapi/openapi.json is out of date with the route schemas: run `npm run openapi` and commit it.');
    process.exit(1);
  }
  console.log('openapi/openapi.json is current');
}
