/**
 * Headless Debian Chromium through playwright-core (no browser download: `npx playwright install` cannot work
 * here), with a fresh user-data dir per run and the flags that keep it off the network.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  // Every browser test also checks the Content-Security-Policy: a script, style, worker, image or connection the
  // policy refused is a failure of that test (reported when it closes the browser).
  const cspViolations: string[] = [];
  const watch = (page: import('playwright-core').Page) => {
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text().slice(0, 300)); });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
      if (cspViolations.length) throw new Error(`the Content-Security-Policy refused something the page needed:\n${[...new Set(cspViolations)].join('\n')}`);
    },
  };
}

export const SCREENSHOTS = path.resolve('test/e2e/screenshots');

/** Opens the sign-in page at `base` and signs in with the account; the caller waits for where the role lands. */
export async function signIn(page: Page, base: string, account: { username: string; password: string }): Promise<void> {
  await page.goto(base + '/login');
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** A demo account from DATA_DIR/demo-credentials.txt (`role username password [unit=…]`). */
export function demoAccount(dataDir: string, role: string): { username: string; password: string; unitId?: string } {
  const line = fs.readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n').find((l) => l.startsWith(role + ' '));
  if (!line) throw new Error(`no demo account for ${role}`);
  const [, username, password, ...rest] = line.trim().split(/\s+/);
  const unit = rest.find((x) => x.startsWith('unit='));
  return { username, password, ...(unit ? { unitId: unit.slice(5) } : {}) };
}
