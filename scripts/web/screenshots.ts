// `npm run screenshots`: the dashboard's main pages as PNGs in docs/screenshots/, taken from a
// throwaway demo stack on free ports (never npm start's) with a loopback webhook receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { childEnv } from '../../lib/config';
import { createDb } from '../../lib/db';
import { seedDemoDealer } from '../../domain/accounts/demo-dealer';
import { bootStack, ROOT } from '../stack/boot';
import { writeWorkflowBundle } from '../stack/bundle';
import { freePort } from '../stack/ports';
import { stopChild, waitForOk } from '../stack/processes';
import { ensureWebBundle } from './build';
import { CHROMIUM_PATH, ensureChromium } from './chromium';

const OUT = path.join(ROOT, 'docs', 'screenshots');
const log = (msg: string) => process.stdout.write(`[screenshots] ${msg}\n`);

/** A JSON client for the dashboard API with the demo dealer's session. */
async function dashboardClient(base: string, email: string, password: string) {
  const login = await fetch(`${base}/api/dashboard/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return async <T = unknown>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/dashboard${p}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

async function main(): Promise<void> {
  await ensureWebBundle(log);
  ensureChromium(log);
  const baseDir = path.join(ROOT, '.data', 'screenshots', `run-${process.pid}`);
  const stack = await bootStack({ mode: 'test', baseDir, log });
  const children: ChildProcess[] = [];
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  try {
    const bundlePath = path.join(baseDir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundlePath);
    const db = createDb({ DATABASE_URL: stack.databaseUrl, DATABASE_POOL_MAX: 2 });
    const demo = await seedDemoDealer(db, path.join(baseDir, 'demo-credentials.json'));
    await db.destroy();

    const apiPort = await freePort();
    const env = childEnv({
      WTH_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: `wth-screenshots-${process.pid}`,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      SECRETS_ENCRYPTION_KEY: stack.secretsKey,
      API_PORT: String(apiPort),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    for (const entry of ['api/server.ts', 'worker/main.ts']) {
      children.push(spawn(tsx, [path.join(ROOT, entry)], { env, stdio: 'inherit' }));
    }
    const base = `http://127.0.0.1:${apiPort}`;
    await waitForOk(`${base}/readyz`, 60_000);
    receiver.listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/wth`;

    // Demo data: a working endpoint with a delivered test event, and a disabled one.
    const call = await dashboardClient(base, demo.email, demo.password);
    const integration = demo.integrationId;
    const ep = await call<{ id: string }>('POST', `/integrations/${integration}/webhook_endpoints`, {
      url: hookUrl,
      description: 'Shop backend (staging)',
      enabled_events: ['listing.*', 'order.received'],
    });
    const paused = await call<{ id: string }>('POST', `/integrations/${integration}/webhook_endpoints`, {
      url: `${hookUrl}/old`,
      description: 'Old ERP hook',
    });
    await call('PATCH', `/integrations/${integration}/webhook_endpoints/${paused.id}`, { status: 'disabled' });
    await call('POST', `/integrations/${integration}/webhook_endpoints/${ep.id}/test_event`);
    const deadline = Date.now() + 60_000;
    type Detail = { onboarding: { test_event_delivered: boolean } };
    while (!(await call<Detail>('GET', `/integrations/${integration}`)).onboarding.test_event_delivered) {
      if (Date.now() > deadline) throw new Error('the demo test event was not delivered');
      await new Promise((r) => setTimeout(r, 500));
    }

    fs.mkdirSync(OUT, { recursive: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    try {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const shot = async (name: string, ready: () => Promise<unknown>) => {
        await ready();
        await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
        log(`docs/screenshots/${name}.png`);
      };
      await page.goto('/login');
      await shot('login', () => page.getByRole('button', { name: 'Log in' }).waitFor());
      await page.getByLabel('Email').fill(demo.email);
      await page.getByLabel('Password').fill(demo.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('table', { name: 'Your Custom Integrations' }).waitFor();

      const pages: [string, string, () => Promise<unknown>][] = [
        ['integrations', '/integrations', () => page.getByRole('table').waitFor()],
        ['integration-overview', `/integrations/${integration}`, () => page.getByTestId('checklist').waitFor()],
        [
          'api-keys',
          `/integrations/${integration}/keys`,
          () => page.getByRole('table', { name: 'API keys' }).waitFor(),
        ],
        ['webhook-endpoints', `/integrations/${integration}/settings`, () => page.getByTestId('endpoints').waitFor()],
        [
          'webhook-endpoint',
          `/integrations/${integration}/settings/endpoints/${ep.id}`,
          () => page.getByRole('button', { name: 'Send test event' }).waitFor(),
        ],
        [
          'delivery-log',
          `/integrations/${integration}/deliveries`,
          () => page.locator('main h2, main h1').first().waitFor(),
        ],
        ['events', '/events', () => page.locator('main h1').waitFor()],
        ['inventory', '/inventory', () => page.locator('main h1').waitFor()],
        ['orders', '/orders', () => page.locator('main h1').waitFor()],
        ['api-reference', '/reference', () => page.locator('main h1').first().waitFor()],
      ];
      for (const [name, url, ready] of pages) {
        await page.goto(url);
        // Let data-driven sections settle (lists, badges) before the picture.
        await page.waitForLoadState('networkidle');
        await shot(name, ready);
      }

      // The shown-once key, as a dealer sees it right after generating one.
      await page.goto(`/integrations/${integration}/keys`);
      await page.getByRole('button', { name: 'Generate test key' }).click();
      await shot('api-key-created', () => page.getByTestId('new-key').waitFor());
      await page.goto(`/integrations/${integration}`);
      await page.getByRole('button', { name: 'Switch to live mode' }).click();
      await shot('switch-to-live', () => page.getByRole('alertdialog').waitFor());
    } finally {
      await browser.close();
    }
  } finally {
    receiver.close();
    await Promise.all(children.map(stopChild));
    await stack.stop();
    fs.rmSync(baseDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[screenshots] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
