// Starts the real jingsai binary on 127.0.0.1 (a free port, a temporary
// database, the demo users) and a headless Debian chromium, and collects
// every page error and console error so that a test can fail on them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const BINARY = process.env.JINGSAI_BIN || path.resolve(here, '../../build/api/jingsai');
export const ARTIFACTS = process.env.JINGSAI_E2E_ARTIFACTS || path.resolve(here, '../../build/e2e-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'e2e-admin-password';
export const DEMO_PASSWORD = 'jingsai-demo';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`jingsai exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('jingsai did not become healthy');
}

export async function startServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jingsai-e2e-'));
  const port = await freePort();
  const child = spawn(BINARY, ['serve', '--demo', '--db', path.join(dir, 'e2e.db'), '--listen', `127.0.0.1:${port}`],
    { env: { ...process.env, JINGSAI_ADMIN_PASSWORD: ADMIN_PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, child);
  return {
    base,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A direct API call, for arranging state the test is not about.
export async function apiCall(base, method, route, body, token) {
  const response = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

export async function apiLogin(base, username, password = DEMO_PASSWORD) {
  return (await apiCall(base, 'POST', '/auth/login', { username, password })).json.token;
}

export async function startBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// A page whose errors land in `errors`; requests leaving 127.0.0.1 are
// recorded as errors too (the app must need no outside network).
export async function openPage(browser, base, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  // Chromium logs every 4xx answer as a console error; the app expects some
  // (a wrong password, a 422 with validation details), so those are judged
  // by the tests from what the page shows, and 5xx answers are errors.
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`server error: ${response.status()} ${response.url()}`);
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    // The browser's own PDF viewer loads from chrome:// and chrome-extension://.
    const local = [base, 'blob:', 'data:', 'chrome://', 'chrome-extension://'];
    if (local.some((prefix) => url.startsWith(prefix))) return route.continue();
    errors.push(`outside request: ${url}`);
    return route.abort();
  });
  return { context, page, errors };
}

export async function login(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(`${base}/admin/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#logout', { state: 'attached' });
}

// Saves the page at desktop size (whole page) and at phone width (the first
// screen, and the whole page).
export async function screenshots(page, name) {
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
  // From the top, so that the sticky header sits where a user sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  const original = page.viewportSize();
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1280x800.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390x844.png`) });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-390-full.png`), fullPage: true });
  await page.setViewportSize(original);
  await page.waitForTimeout(100);
}

// The real server and a browser for the test file that calls this (at its top
// level): both start before its first test and stop after its last. `as` and
// `anonymous` open pages; `done` closes one and fails on its errors; a page a
// failed test left open is saved as a screenshot.
export function useLiveApp() {
  let server;
  let browser;
  const open = [];
  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });
  afterEach(async () => {
    while (open.length) {
      const { context, page, errors, closed } = open.shift();
      if (closed) continue;
      const name = `FAILED-${Date.now()}`;
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
      console.log(`page left open at ${page.url()} (${name}.png); errors: ${errors.join('; ')}`);
      await context.close();
    }
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get base() {
      return server.base;
    },
    async as(username, password = DEMO_PASSWORD) {
      const opened = await openPage(browser, server.base);
      open.push(opened);
      await login(opened.page, server.base, username, password);
      return opened;
    },
    async anonymous() {
      const opened = await openPage(browser, server.base);
      open.push(opened);
      return opened;
    },
    async done(opened) {
      // The CSP forbids inline script; the app must not even try.
      const inline = await opened.page.evaluate(() => [...document.querySelectorAll('*')]
        .flatMap((element) => [...element.attributes].filter((a) => a.name.startsWith('on'))
          .map((a) => `${element.tagName.toLowerCase()}[${a.name}]`))).catch(() => []);
      opened.errors.push(...inline.map((found) => `inline event handler: ${found}`));
      opened.closed = true;
      await opened.context.close();
      assert.deepEqual(opened.errors, [], 'the page had errors');
    },
  };
}
