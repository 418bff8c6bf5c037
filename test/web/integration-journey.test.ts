// The dealer's getting-started path in a real Chromium against the real stack (API, worker,
// Temporal, PostgreSQL) and a loopback receiver that verifies signatures with its own code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createDealer } from '../../domain/accounts/dealers';
import { waitUntil } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import {
  assertAccessible,
  focusedText,
  launchBrowser,
  logIn,
  openDashboard,
  readClipboard,
  waitForPath,
} from '../helpers/browser';

let api: TestApi;
let worker: TestWorker;
let browser: Browser;
let rx: Receiver;

before(async () => {
  api = await startTestApi();
  worker = await startTestWorker();
  browser = await launchBrowser();
  rx = await startReceiver();
});
after(async () => {
  await browser?.close();
  await rx?.close();
  await worker?.stop();
  await api?.close();
});

const copyFrom = async (page: Page, label: string): Promise<string> => {
  await page.getByRole('button', { name: 'Copy' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${label} copied` })
    .waitFor();
  const copied = await readClipboard(page);
  assert.equal(copied, await page.getByLabel(label).inputValue(), 'the clipboard holds the shown value');
  return copied;
};

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Integration sections' }).getByRole('link', { name, exact: true });

const checklistDone = async (page: Page) => (await page.getByTestId('checklist').locator('li.done').count()) as number;

test('log in → integration → test key → endpoint → test event → rotate → live', async () => {
  const tag = randomBytes(6).toString('hex');
  const email = `journey-${tag}@example.test`;
  const password = `pw-${tag}-long`;
  await createDealer(api.deps.db, { name: `Journey ${tag}`, email, password });
  const { page, context, consoleErrors, foreignRequests } = await openDashboard(browser, api.url);
  try {
    await page.goto('/');
    await waitForPath(page, '/login');
    await logIn(page, email, password);
    await waitForPath(page, '/integrations');

    // A new integration: test mode, nothing done yet.
    await page.getByLabel('Name').fill('Shop sync');
    await page.getByRole('button', { name: 'Create integration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Shop sync' }).waitFor();
    const integrationPath = new URL(page.url()).pathname;
    assert.match(await page.getByTestId('mode-badge').first().innerText(), /TEST/);
    await page.getByText('0 of 4 steps done.').waitFor();
    await assertAccessible(page, 'integration overview');

    // API keys: the full key once, copied, and it works against /api/v1/me.
    await tab(page, 'API keys').click();
    await page.getByRole('button', { name: 'Generate test key' }).click();
    await page.getByTestId('new-key').waitFor();
    assert.match(await page.getByTestId('new-key').innerText(), /will not show it again/);
    const key = await copyFrom(page, 'New test API key');
    assert.match(key, /^wth_[0-9A-Za-z]{32}$/);
    const me = await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200);
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByText(`${key.slice(0, 12)}…`).waitFor();
    assert.equal(await keys.getByText(key).count(), 0, 'the table shows the prefix only');
    await assertAccessible(page, 'API keys');

    // A live key while in test mode: generated, but the reason it is refused is on screen.
    await page.getByLabel('Live').check();
    await page.getByRole('button', { name: 'Generate live key' }).click();
    await page.getByText('Refused while this integration is in test mode').first().waitFor();
    const liveKey = await page.getByLabel('New live API key').inputValue();
    const refused = await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${liveKey}` } });
    assert.equal(refused.status, 403);

    // Revoke asks first; focus starts on Cancel and Escape cancels.
    await page.getByRole('button', { name: `Revoke key ${liveKey.slice(0, 12)}…` }).click();
    const dialog = page.getByRole('alertdialog', { name: /Revoke key/ });
    await dialog.waitFor();
    assert.equal(await focusedText(page), 'Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Revoke key ${liveKey.slice(0, 12)}…` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    assert.equal(
      (await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${liveKey}` } })).status,
      401,
    );

    // Settings: bad input shows the API's own error next to the field, and nothing is saved.
    await tab(page, 'Settings').click();
    await page.getByRole('table', { name: 'Test webhook endpoints' }).waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const urlError = page.locator('#endpoint-url-error');
    await urlError.waitFor();
    assert.equal(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid'), 'true');
    assert.match((await page.getByLabel('Endpoint URL').getAttribute('aria-describedby')) ?? '', /endpoint-url-error/);
    await page.getByLabel('Endpoint URL').fill('not a url');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#endpoint-url-error', { hasText: /URL/i }).waitFor();
    await page.getByLabel('Endpoint URL').fill(rx.url);
    await page.getByLabel('Selected events').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#endpoint-events-error').waitFor();
    assert.equal(
      await api.deps
        .db('webhook_endpoints')
        .where({ url: rx.url })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );

    // Live endpoints must be HTTPS: the API says so, next to the URL.
    await page.getByRole('link', { name: 'Live endpoints' }).click();
    await page.getByRole('table', { name: 'Live webhook endpoints' }).waitFor();
    await page.getByLabel('Endpoint URL').fill('http://example.com/hooks');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#endpoint-url-error', { hasText: /https/i }).waitFor();

    // A real test endpoint on the loopback receiver, subscribed to listing.* only.
    await page.getByRole('link', { name: 'Test endpoints' }).click();
    await page.getByRole('table', { name: 'Test webhook endpoints' }).waitFor();
    await page.getByLabel('Endpoint URL').fill(rx.url);
    await page.getByLabel('Description (optional)').fill('Loopback receiver');
    await page.getByLabel('Selected events').check();
    await page.getByLabel('Every listing.* event').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByTestId('new-endpoint').waitFor();
    const secret = await copyFrom(page, 'Signing secret');
    assert.match(secret, /^whsec_/);
    rx.secrets.push(secret);
    const row = page.getByRole('table', { name: 'Test webhook endpoints' }).getByRole('row', { name: /Loopback/ });
    assert.match(await row.innerText(), /listing\.\*/);
    assert.match(await row.innerText(), /Enabled/);
    await assertAccessible(page, 'settings');

    // The endpoint's page: send the test event; the receiver verifies the signature.
    await page.getByRole('link', { name: rx.url }).click();
    await page.getByRole('heading', { name: rx.url }).waitFor();
    await assertAccessible(page, 'endpoint');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const sent = await page.getByTestId('ping-result').innerText();
    const eventId = /evt_\w+/.exec(sent)?.[0] as string;
    const got = await waitUntil(async () => rx.requests.find((r) => r.body?.id === eventId), { what: 'ping' });
    assert.equal(got.body.type, 'integration.test_event');
    assert.deepEqual(got.verifiedBy, [secret]);

    // The checklist ticked itself from real data.
    await tab(page, 'Overview').click();
    await waitUntil(
      async () => {
        await page.reload();
        await page.getByTestId('checklist').waitFor();
        return (await checklistDone(page)) === 3;
      },
      { what: 'three steps done' },
    );

    // Rotate with the default 24 h grace: the next delivery carries both signatures.
    await tab(page, 'Settings').click();
    await page.getByRole('link', { name: rx.url }).click();
    assert.equal(await page.getByLabel('24 hours (recommended)').isChecked(), true);
    await page.getByRole('button', { name: 'Rotate secret…' }).click();
    const rotate = page.getByRole('alertdialog', { name: 'Rotate the signing secret?' });
    assert.match(await rotate.innerText(), /previous secret keeps signing too for 24 hours/);
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    const newSecret = await copyFrom(page, 'New signing secret');
    assert.notEqual(newSecret, secret);
    await page.getByText(/every delivery carries two signatures/).waitFor();
    rx.secrets.push(newSecret);
    await page.getByRole('button', { name: 'Send test event' }).click();
    const second = /evt_\w+/.exec(await page.getByTestId('ping-result').innerText())?.[0] as string;
    assert.notEqual(second, eventId);
    const rotated = await waitUntil(async () => rx.requests.find((r) => r.body?.id === second), { what: 'ping 2' });
    assert.equal(rotated.v1Count, 2);
    assert.deepEqual(rotated.verifiedBy.sort(), [secret, newSecret].sort());

    // Disable: the page says why and since when; the test event is not offered.
    await page.getByRole('button', { name: 'Disable endpoint…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable endpoint' }).click();
    await page.getByTestId('disabled-reason').waitFor();
    assert.match(await page.getByTestId('disabled-reason').innerText(), /Disabled since .*Disabled by you/);
    assert.equal(await page.getByRole('button', { name: 'Send test event' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Enable endpoint' }).click();
    await page.getByTestId('disabled-reason').waitFor({ state: 'detached' });

    // Switch to live, confirmed, with what changes spelled out.
    await tab(page, 'Overview').click();
    await page.getByRole('button', { name: 'Switch to live mode' }).click();
    const toLive = page.getByRole('alertdialog', { name: 'Switch to live mode?' });
    assert.match(await toLive.innerText(), /live API keys start working/);
    assert.equal(await focusedText(page), 'Cancel');
    await toLive.getByRole('button', { name: 'Switch to live mode' }).click();
    await page.getByRole('status').filter({ hasText: 'Switched to live mode.' }).waitFor();
    await page.getByText('4 of 4 steps done.').waitFor();
    assert.match(await page.getByTestId('mode-badge').first().innerText(), /LIVE/);
    await waitForPath(page, integrationPath);

    assert.deepEqual(
      consoleErrors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
    );
    assert.deepEqual(foreignRequests, []);
  } finally {
    await context.close();
  }
});
