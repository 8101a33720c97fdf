/**
 * The web console's serving (src/http/routes/meta/console.ts) on a stand-in build, so no Vite build is needed:
 * index.html at / and as the SPA fallback for page requests, hashed assets cached for a year, index.html never
 * cached, API paths keep their JSON 404; without a build, / is the landing page. And GET /api/v1/console/config.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestEnv } from '../support/test-context.ts';

test('console files, SPA fallback and cache headers', async () => {
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-web-'));
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(webDir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(webDir, 'favicon.svg'), '<svg/>');
  const env = await createTestEnv('sqlite', { config: { webDir, basemapUrl: 'http://tiles.local/{z}/{x}/{y}.png' } });
  try {
    const html = { accept: 'text/html,application/xhtml+xml' };
    const root = await env.app.inject({ url: '/', headers: html });
    assert.equal(root.statusCode, 200);
    assert.match(root.body, /<title>console<\/title>/);
    assert.equal(root.headers['cache-control'], 'no-cache');

    const deep = await env.app.inject({ url: '/cases/123?tab=history', headers: html });
    assert.equal(deep.statusCode, 200);
    assert.match(deep.body, /console/);
    assert.equal(deep.headers['cache-control'], 'no-cache');

    const asset = await env.app.inject({ url: '/assets/index-AbC123.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.match(String(asset.headers['cache-control']), /max-age=31536000.*immutable/);
    assert.equal((await env.app.inject({ url: '/favicon.svg' })).statusCode, 200);

    for (const url of ['/assets/missing.js', '/api/v1/nope', '/docs/nope', '/no-such-file.png']) {
      const r = await env.app.inject({ url, headers: url.endsWith('.png') ? {} : html });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().error.code, 'NOT_FOUND', url);
    }
    // Open311 keeps its own 404 format.
    const o = await env.app.inject({ url: '/open311/v2/nope', headers: html });
    assert.equal(o.statusCode, 404);
    assert.match(o.body, /^<\?xml/);
    assert.equal((await env.app.inject({ method: 'POST', url: '/cases/1', headers: html })).statusCode, 404);
    assert.equal((await env.app.inject({ url: '/../../etc/passwd', headers: html })).body.includes('root:'), false);

    const cfg = (await env.app.inject({ url: '/api/v1/console/config' })).json();
    assert.equal(cfg.timeZone, 'Asia/Shanghai');
    assert.equal(cfg.basemapUrl, 'http://tiles.local/{z}/{x}/{y}.png');
    assert.equal(typeof cfg.cityName, 'string');
  } finally {
    await env.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  }

  const bare = await createTestEnv('sqlite', { config: { webDir: path.join(os.tmpdir(), 'cityops-no-web-build') } });
  try {
    const r = await bare.app.inject({ url: '/' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /一网统管/);
    assert.equal((await bare.app.inject({ url: '/cases/1', headers: { accept: 'text/html' } })).statusCode, 404);
  } finally {
    await bare.close();
  }
});
