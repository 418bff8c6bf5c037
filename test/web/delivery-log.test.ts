// The Delivery Log, Events, Inventory, Orders and API reference pages in a real Chromium against
// the real stack (API, Temporal worker) and real loopback receivers that verify signatures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createDealer, type CreatedDealer } from '../../domain/accounts/dealers';
import { client } from '../helpers/http';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { startTestApi, startTestWorker, type TestApi, type TestWorker } from '../helpers/stack';
import { makeListing } from '../helpers/domain';
import { assertAccessible, launchBrowser, logIn, openDashboard } from '../helpers/browser';
import { addEndpoint } from '../delivery/fixtures';

// Test mode retries once, ten minutes later: a failed first attempt leaves the delivery pending
// with a visible next retry for as long as the test needs.
const CONFIG = { WEBHOOK_RETRY_SCHEDULE_TEST_MS: '600000', WEBHOOK_RETRY_JITTER: '0' };

let api: TestApi;
let worker: TestWorker;
let browser: Browser;
const receivers: Receiver[] = [];

before(async () => {
  api = await startTestApi(CONFIG);
  worker = await startTestWorker(CONFIG);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await worker?.stop();
  await api?.close();
  await Promise.all(receivers.map((r) => r.close()));
});

type Dealer = CreatedDealer & { email: string; password: string };

async function dealer(): Promise<Dealer> {
  const tag = randomBytes(6).toString('hex');
  const email = `log-${tag}@example.test`;
  const password = `pw-${tag}-long`;
  const d = await createDealer(api.deps.db, { name: `Log Dealer ${tag}`, email, password });
  return { ...d, email, password };
}

/** A receiver that verifies signatures with the endpoint's secret and answers `state.status`. */
async function receiver(status: number) {
  const state = { status };
  const rx = await startReceiver({ reply: () => ({ status: state.status, body: `answered ${state.status}` }) });
  receivers.push(rx);
  return { rx, state };
}

async function endpointFor(d: Dealer, rx: Receiver) {
  const { endpoint, secret } = await addEndpoint(api, {
    dealerId: d.dealer.id,
    integrationId: d.integration.id,
    url: rx.url,
  });
  rx.secrets.push(secret);
  return endpoint;
}

async function ping(d: Dealer) {
  const res = await client(api.url, d.keys.test.key).post('/api/v1/test/webhook_ping', {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** Logged in on `path`. Console errors of the login itself (the 401 of the session probe) are dropped. */
async function session(d: Dealer, path: string) {
  const s = await openDashboard(browser, api.url);
  await s.page.goto(path);
  await logIn(s.page, d.email, d.password);
  await s.page.waitForURL((u) => u.pathname === path.split('?')[0]);
  s.consoleErrors.length = 0;
  return s;
}

const row = (page: Page, attr: string, id: string) => page.locator(`tr[${attr}="${id}"]`);

test('a failing receiver: the failed attempt and its next retry, then Retry now succeeds on screen without a reload', async () => {
  const d = await dealer();
  const { rx, state } = await receiver(500);
  const endpoint = await endpointFor(d, rx);
  await ping(d);
  const s = await session(d, `/integrations/${d.integration.id}/deliveries`);
  const { page } = s;
  try {
    const table = page.getByTestId('delivery-table');
    const first = table.locator('tbody tr').first();
    // The list updates by itself: the attempt lands while the page is open.
    await first.getByText('500', { exact: true }).waitFor();
    assert.match(await first.innerText(), /integration\.test_event/);
    assert.match(await first.innerText(), /pending/);
    assert.match(await first.innerText(), new RegExp(rx.url.replace(/[.:/]/g, '\\$&')));
    assert.match(await first.locator('td').nth(6).innerText(), /in \d+ minutes|in 10 minutes/);
    assert.ok(await first.locator('td').nth(6).locator('time[title]').count(), 'absolute time on hover');
    await assertAccessible(page, 'delivery log');

    await first.getByRole('link', { name: 'integration.test_event' }).click();
    await page.getByTestId('attempt-table').waitFor();
    const attempt1 = page.locator('tr[data-attempt="1"]');
    assert.match(await attempt1.innerText(), /automatic[\s\S]*HTTP 500/);
    assert.match(await page.getByTestId('delivery-status').innerText(), /pending/);
    assert.match(await page.getByTestId('next-retry').innerText(), /in \d+ minutes/);
    assert.match(await page.getByTestId('event-body').innerText(), /"type": "integration\.test_event"/);
    await page.getByText('Attempt 1: request headers and response').click();
    const headers = await page.locator('details[open] pre').first().innerText();
    assert.match(headers, /wth-signature: t=\d+,v1=•+/);
    assert.doesNotMatch(headers, /v1=[0-9a-f]{8}/);
    await assertAccessible(page, 'delivery detail');

    // The dealer fixes the receiver, then retries; the page must not reload.
    state.status = 200;
    await page.evaluate('window.notReloaded = true');
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.locator('tr[data-attempt="2"]').waitFor();
    await page.getByTestId('delivery-status').getByText('succeeded').waitFor();
    assert.match(await page.locator('tr[data-attempt="2"]').innerText(), /manual[\s\S]*HTTP 200/);
    assert.match(await page.getByTestId('status-message').innerText(), /Retry of integration\.test_event started/);
    assert.equal(await page.evaluate('window.notReloaded'), true);
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).isDisabled(), true);

    assert.equal(rx.requests.length, 2);
    assert.ok(
      rx.requests.every((r) => r.verifiedBy.length === 1),
      'the receiver verified every signature',
    );
    assert.deepEqual(
      rx.requests.map((r) => r.headers['wth-attempt']),
      ['1', '2'],
    );
    assert.deepEqual(s.consoleErrors, []);
    assert.deepEqual(s.foreignRequests, []);
    void endpoint;
  } finally {
    await s.context.close();
  }
});

test('the test event delivered shows succeeded with the receiver’s 2xx; filters live in the URL; recover counts first', async () => {
  const d = await dealer();
  const { rx } = await receiver(204);
  await endpointFor(d, rx);
  const bad = await receiver(500);
  const badEndpoint = await endpointFor(d, bad.rx);
  await ping(d);
  const s = await session(d, `/integrations/${d.integration.id}/deliveries`);
  const { page } = s;
  try {
    const ok = page.locator('tbody tr', { hasText: rx.url });
    await ok.getByText('succeeded').waitFor();
    assert.match(await ok.innerText(), /204/);
    assert.ok(rx.requests[0]!.verifiedBy.length === 1);

    // Filter: failed + pending on the failing endpoint; the URL carries it and survives a reload.
    await page.getByRole('checkbox', { name: 'pending' }).check();
    await page.getByRole('checkbox', { name: 'failed' }).check();
    await page.locator('#filter-endpoint').selectOption(badEndpoint.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'pending,failed');
    assert.equal(new URL(page.url()).searchParams.get('endpoint'), badEndpoint.id);
    await page.reload();
    await page.locator('tbody tr', { hasText: bad.rx.url }).waitFor();
    assert.equal(await page.locator('tbody tr', { hasText: rx.url }).count(), 0);
    assert.equal(await page.getByRole('checkbox', { name: 'failed' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'succeeded' }).isChecked(), false);

    // No match: an empty state that says what to do.
    await page.goto(`/integrations/${d.integration.id}/deliveries?mode=test&type=order.cancelled&status=failed`);
    await page.getByText('No deliveries match these filters.').waitFor();
    assert.equal(await page.locator('#filter-type').inputValue(), 'order.cancelled', 'the form shows the URL filter');
    await assertAccessible(page, 'delivery log, empty');

    // Recover: the failing delivery is pending, not failed yet, so nothing to recover: said so.
    await api.deps.db('deliveries').where({ endpoint_id: badEndpoint.id }).update({ status: 'failed' });
    await page.locator('#recover-endpoint').selectOption(badEndpoint.id);
    await page.getByRole('button', { name: 'Recover failed since…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Send 1 delivery again\?[\s\S]*1 failed delivery to/);
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Cancel', 'focus on the safe button');
    await assertAccessible(page, 'recover dialog');
    const before = bad.rx.requests.length;
    await dialog.getByRole('button', { name: 'Send 1 again' }).click();
    await page.getByTestId('status-message').getByText('Sending 1 failed delivery again.').waitFor();
    await waitFor(() => bad.rx.requests.length > before, 'the recovered delivery is sent');
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.context.close();
  }
});

async function waitFor(check: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('editing a published listing’s price says it fired listing.updated, which the log and Events show with previous_attributes', async () => {
  const d = await dealer();
  const { rx } = await receiver(200);
  await endpointFor(d, rx);
  const listing = await makeListing(api.deps, d.dealer.id, {
    attrs: { brand: 'Rolex', model: 'Submariner', reference: '126610LN', price: { amount: 1199000, currency: 'EUR' } },
  });
  const s = await session(d, '/inventory');
  const { page } = s;
  try {
    const r = row(page, 'data-listing-id', listing.id);
    await r.waitFor();
    assert.match(await r.innerText(), /€11,990\.00[\s\S]*published/);
    await assertAccessible(page, 'inventory');
    await r.getByRole('button', { name: 'Edit Rolex Submariner' }).click();
    await page.locator('#edit-price').fill('12490');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const notice = page.getByTestId('fired-notice');
    await notice.getByText('listing.updated').waitFor();
    const eventId = (await notice.locator('a').innerText()).trim();
    assert.match(eventId, /^evt_/);
    assert.match(
      await page.getByTestId('status-message').innerText(),
      new RegExp(`Fired listing\\.updated ${eventId}`),
    );
    assert.match(await r.innerText(), /€12,490\.00/);

    // A bad price is the API's or the form's own error next to the field; nothing is saved.
    await r.getByRole('button', { name: 'Edit Rolex Submariner' }).click();
    await page.locator('#edit-currency').fill('E1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-currency-error').waitFor();
    assert.match(await page.locator('#edit-currency-error').innerText(), /ISO 4217/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(s.consoleErrors.splice(0), [
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);

    // The Delivery Log shows the delivery of that event; its body has previous_attributes.
    await page.goto(`/integrations/${d.integration.id}/deliveries?mode=test&type=listing.updated`);
    const logRow = page.locator('tbody tr', { hasText: eventId });
    await logRow.getByText('succeeded').waitFor();
    await logRow.getByRole('link', { name: 'listing.updated' }).click();
    const body = JSON.parse(await page.getByTestId('event-body').innerText());
    assert.deepEqual(body.data.previous_attributes, { price: { amount: 1199000 } });
    assert.equal(body.id, eventId);
    const received = rx.requests.find((q) => q.body.id === eventId)!;
    assert.deepEqual(received.body.data.previous_attributes, { price: { amount: 1199000 } });
    assert.equal(received.verifiedBy.length, 1);

    await page.goto('/events?mode=test');
    const ev = row(page, 'data-event-id', eventId);
    await ev.waitFor();
    await ev.getByText('Body').click();
    assert.match(await ev.locator('pre').innerText(), /"previous_attributes": \{\s*"price": \{\s*"amount": 1199000/);
    await assertAccessible(page, 'events');
    await page.locator('#events-type').selectOption('listing.updated');
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'listing.updated');
    await row(page, 'data-event-id', eventId).waitFor();
    assert.equal(await page.locator('#events-type').inputValue(), 'listing.updated');
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.context.close();
  }
});

test('orders from every channel: fulfilling a matched order says it fired order.fulfilled', async () => {
  const d = await dealer();
  await makeListing(api.deps, d.dealer.id, { attrs: { reference: '116610LN' } });
  const order = await client(api.url, d.keys.test.key).post('/api/v1/orders', {
    external_id: `shop-${randomBytes(3).toString('hex')}`,
    total_amount: 1500000,
    currency: 'USD',
    buyer: { name: 'Alice', email: 'alice@example.com', country: 'US' },
    line_items: [{ sku: '116610LN', quantity: 1, unit_amount: 1500000 }],
    ordered_at: new Date().toISOString(),
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  const s = await session(d, '/orders');
  const { page } = s;
  try {
    const r = row(page, 'data-order-id', order.body.id);
    await r.waitFor();
    assert.match(await r.innerText(), /Alice[\s\S]*\$15,000\.00[\s\S]*pending[\s\S]*matched/);
    await assertAccessible(page, 'orders');
    await r.getByRole('button', { name: /Fulfil/ }).click();
    await page.getByTestId('fired-notice').getByText('order.fulfilled').waitFor();
    await r.getByText('fulfilled').waitFor();
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.context.close();
  }
});

test('the event catalog and the API reference render the served OpenAPI document, webhooks included', async () => {
  const d = await dealer();
  const s = await session(d, '/events/catalog');
  const { page } = s;
  try {
    const section = page.locator('section[data-event-type="listing.updated"]');
    await section.waitFor();
    assert.match(await section.innerText(), /published listing's data changed/);
    assert.match(await section.locator('pre').innerText(), /"previous_attributes"/);
    assert.equal(await page.locator('section[data-event-type]').count(), 10);
    await assertAccessible(page, 'event catalog');

    await page.getByRole('link', { name: 'API reference' }).first().click();
    await page.waitForURL((u) => u.pathname === '/reference');
    const ref = page.getByTestId('api-reference');
    await ref
      .getByRole('heading', { name: /Report an order/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const text = (await ref.textContent()) ?? '';
    assert.match(text, /Webhooks/);
    assert.match(text, /listing\.updated event/);
    assert.match(text, /\/api\/v1\/orders/);
    const csp = (await page.request.get('/reference')).headers()['content-security-policy'] ?? '';
    assert.match(csp, /style-src 'self' 'unsafe-inline'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    const t0 = Date.now();
    await assertAccessible(page, 'API reference');
    console.log(`axe scan of the API reference: ${Date.now() - t0} ms`);
    assert.deepEqual(s.foreignRequests, []);
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.context.close();
  }
});

test('a wth listen endpoint is edited without a URL field: its description and events save', async () => {
  const d = await dealer();
  const reg = await client(api.url, d.keys.test.key).post('/api/v1/listeners', { name: 'dev-laptop' });
  assert.equal(reg.status, 200, JSON.stringify(reg.body));
  const s = await session(d, `/integrations/${d.integration.id}/settings/endpoints/${reg.body.id}`);
  const { page } = s;
  try {
    await page.getByRole('heading', { name: 'wth listen: dev-laptop' }).waitFor();
    assert.equal(await page.locator('#edit-url').count(), 0, 'a listener has no URL to edit');
    await page.locator('#edit-description').fill('Anna’s laptop');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('status-message').getByText('Endpoint saved.').waitFor();
    const saved = await client(api.url, d.keys.test.key).get(`/api/v1/webhook_endpoints/${reg.body.id}`);
    assert.equal(saved.body.description, 'Anna’s laptop');
    assert.equal(saved.body.url, null);
    assert.deepEqual(s.consoleErrors, []);
  } finally {
    await s.context.close();
  }
});
