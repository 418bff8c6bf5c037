// Real Chromium for the dashboard tests: Debian's /usr/bin/chromium driven by playwright-core
// (installed by scripts/test.ts when missing), plus an axe-core scan helper.
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM_PATH } from '../../scripts/web/chromium';

// Chromium's background services retry forever without network; keep it quiet and offline.
const ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  /** Every console error and CSP violation the page logged: tests assert there are none. */
  consoleErrors: string[];
  /** Requests the page made to any other origin (there must be none). */
  foreignRequests: string[];
}

/** A fresh context (own cookies) with clipboard access, watching console errors and origins. */
export async function openDashboard(browser: Browser, baseUrl: string): Promise<DashboardPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const origin = new URL(baseUrl).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) foreignRequests.push(u);
  });
  return { context, page, consoleErrors, foreignRequests };
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** axe-core on the current page: no serious or critical violations (listed in the failure). */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${label}`,
  );
}

/**
 * Waits until the address bar shows `pathAndQuery` (client-side navigations change it without
 * a load event, which page.waitForURL waits for by default).
 */
export async function waitForPath(page: Page, pathAndQuery: string): Promise<void> {
  // The function runs in the page; `globalThis` keeps Node's types out of the way.
  await page.waitForFunction((want) => {
    const loc = (globalThis as unknown as { location: { pathname: string; search: string } }).location;
    return loc.pathname + loc.search === want;
  }, pathAndQuery);
}

/** A link in the top navigation. */
export const navLink = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

// Run in the page (DOM types are not in the tests' compilation).
type PageGlobals = {
  document: { activeElement: { textContent: string | null } | null };
  navigator: { clipboard: { readText(): Promise<string> } };
};

/** The text of the focused element (e.g. which dialog button has focus). */
export const focusedText = (page: Page): Promise<string | null> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? null);

export const readClipboard = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
