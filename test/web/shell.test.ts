// The dashboard shell in a real Chromium against the real API: serving (CSP, caching), login,
// logout, the way back after login, an expired session, throttling, and axe scans.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { createDealer, type CreatedDealer } from '../../domain/accounts/dealers';
import { startTestApi, type TestApi } from '../helpers/stack';
import { assertAccessible, launchBrowser, logIn, navLink, openDashboard, waitForPath } from '../helpers/browser';

let api: TestApi;
let browser: Browser;

before(async () => {
  api = await startTestApi();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.close();
});

async function dealer(): Promise<CreatedDealer & { email: string; password: string }> {
  const tag = randomBytes(6).toString('hex');
  const email = `web-${tag}@example.test`;
  const password = `pw-${tag}-long`;
  const d = await createDealer(api.deps.db, { name: `Web Dealer ${tag}`, email, password });
  return { ...d, email, password };
}

test('/ serves the app shell with a strict CSP and no inline script; assets are cached immutably', async () => {
  const res = await fetch(`${api.url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1);
  for (const s of scripts) {
    assert.match(s[0], /src="\/assets\/app-[A-Z0-9]+\.js"/);
    assert.equal(s[1], '', 'no inline script');
  }

  const asset = /src="(\/assets\/[^"]+)"/.exec(html)?.[1] as string;
  const js = await fetch(api.url + asset);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  // Deep links get the same shell; unknown assets and API paths do not.
  assert.equal((await fetch(`${api.url}/integrations/x/keys`)).status, 200);
  assert.equal((await fetch(`${api.url}/assets/nope.js`)).status, 404);
  const apiMiss = await fetch(`${api.url}/api/dashboard/nope`);
  assert.equal(apiMiss.status, 404);
  assert.equal(((await apiMiss.json()) as any).error.code, 'route_not_found');
  assert.equal((await fetch(`${api.url}/`, { method: 'POST' })).status, 404);
});

test('a logged-out visit goes to login and back; a wrong password says so; logout ends the session', async () => {
  const d = await dealer();
  const { page, context, consoleErrors, foreignRequests } = await openDashboard(browser, api.url);
  try {
    const deepLink = `/integrations/${d.integration.id}/keys`;
    await page.goto(deepLink);
    await waitForPath(page, `/login?next=${encodeURIComponent(deepLink)}`);
    await assertAccessible(page, 'login');

    await logIn(page, d.email, 'not the password');
    const alert = page.getByRole('alert');
    await assert.doesNotReject(alert.waitFor());
    assert.match(await alert.innerText(), /Wrong email or password/);
    assert.equal(new URL(page.url()).pathname, '/login');

    await page.getByLabel('Password').fill(d.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await waitForPath(page, `${deepLink}`);
    await page.getByRole('heading', { level: 1, name: d.integration.name }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of ['Custom Integration', 'Inventory', 'Orders', 'Events', 'API reference']) {
      assert.equal(await nav.getByRole('link', { name: item }).count(), 1, item);
    }
    assert.equal(await nav.getByRole('link', { name: /Custom Integration/ }).getAttribute('aria-current'), 'page');

    await navLink(page, /Custom Integration/).click();
    await page.getByRole('table', { name: 'Your Custom Integrations' }).waitFor();
    await assertAccessible(page, 'integrations');

    await page.getByRole('button', { name: 'Log out' }).click();
    await waitForPath(page, '/login');
    await page.goto('/integrations');
    await waitForPath(page, '/login?next=%2Fintegrations');

    assert.deepEqual(
      consoleErrors.filter((e) => !/401|Unauthorized/.test(e)),
      [],
    );
    assert.deepEqual(foreignRequests, []);
  } finally {
    await context.close();
  }
});

test('an expired session (401 from the API) sends the dealer to login and back to the same page', async () => {
  const d = await dealer();
  const { page, context } = await openDashboard(browser, api.url);
  try {
    await page.goto('/');
    await waitForPath(page, '/login');
    await logIn(page, d.email, d.password);
    await waitForPath(page, '/integrations');
    await page.getByRole('table').getByRole('link', { name: d.integration.name, exact: true }).click();
    await waitForPath(page, `/integrations/${d.integration.id}`);

    // The session ends server-side (expiry, logout elsewhere) while the page stays open.
    await api.deps.db('dashboard_sessions').where({ dealer_id: d.dealer.id }).delete();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /Custom Integration/ })
      .click();
    await waitForPath(page, '/login?next=%2Fintegrations');

    await logIn(page, d.email, d.password);
    await waitForPath(page, '/integrations');
    await page.getByRole('table', { name: 'Your Custom Integrations' }).waitFor();
  } finally {
    await context.close();
  }
});

test('login throttling shows when to try again', async () => {
  const d = await dealer();
  const { page, context } = await openDashboard(browser, api.url);
  try {
    await page.goto('/login');
    await page.getByLabel('Email').fill(d.email);
    for (let i = 0; i < 10; i++) {
      await page.getByLabel('Password').fill(`wrong ${i}`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
      await page.getByRole('button', { name: 'Log in' }).and(page.locator(':enabled')).waitFor();
    }
    // Even the right password is refused while the window lasts.
    await page.getByLabel('Password').fill(d.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many login attempts\. Try again in \d+ minute/ })
      .waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');
  } finally {
    await context.close();
  }
});
