/**
 * Browser test: without a web console build (web/dist), a person opening the platform sees the landing page (Chinese first) and can reach the API docs,
 * served locally (no CDN). A screenshot is kept under test/e2e/screenshots/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestEnv } from '../support/test-context.ts';
import { launchBrowser, SCREENSHOTS } from './browser.ts';

test('landing page (no console build) and API docs render in Chromium without the internet', async () => {
  const env = await createTestEnv('sqlite', { config: { webDir: path.join(os.tmpdir(), 'cityops-no-web-build') } });
  const address = await env.app.listen({ port: 0, host: '127.0.0.1' });
  const { context, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.hostname !== '127.0.0.1') external.push(r.url());
    });
    await page.goto(address + '/');
    assert.match(await page.title(), /CityOps/);
    assert.ok((await page.textContent('h1'))?.includes('一网统管'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'landing.png') });
    await page.click('a[href="/docs"]');
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
    assert.match((await page.textContent('.swagger-ui .info .title')) ?? '', /CityOps API/);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    // Swagger UI draws the operations as they come into view: scroll on (each poll) until more than a screenful is drawn
    await page.waitForFunction(() => {
      window.scrollBy(0, 1500);
      return document.querySelectorAll('.opblock').length > 10;
    }, undefined, { timeout: 15_000, polling: 250 }).catch(() => undefined);
    assert.ok((await page.locator('.opblock').count()) > 10, 'the docs list the operations');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'api-docs.png') });
    assert.deepEqual(external, [], 'nothing is fetched from outside the machine');
  } finally {
    try { await close(); } finally { await env.close(); }
  }
});
