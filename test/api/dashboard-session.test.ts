import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { client } from '../helpers/http';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';
import { createDealer } from '../../domain/accounts/dealers';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(async () => api.close());

async function dealerWithPassword(password: string) {
  const tag = randomBytes(6).toString('hex');
  const email = `Login-${tag}@Example.test`;
  const d = await createDealer(api.deps.db, { name: `Login ${tag}`, email, password });
  return { ...d, email };
}

const cookieOf = (setCookie: string) => setCookie.split(';')[0] as string;

test('login sets an HttpOnly SameSite=Lax session cookie and returns the CSRF token; session and logout use it', async () => {
  const d = await dealerWithPassword('correct horse battery');
  const c = client(api.url);
  const login = await c.post('/api/dashboard/login', {
    email: d.email.toLowerCase(),
    password: 'correct horse battery',
  });
  assert.equal(login.status, 200);
  assert.equal(login.body.dealer.id, d.dealer.id);
  assert.match(login.body.csrf_token, /^[0-9A-Za-z]{32}$/);
  const setCookie = login.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^wth_session=[0-9A-Za-z]{43}; /);
  assert.match(setCookie, /; HttpOnly/);
  assert.match(setCookie, /; SameSite=Lax/);
  assert.match(setCookie, /; Path=\//);
  assert.doesNotMatch(setCookie, /Secure/); // PUBLIC_BASE_URL is not https here

  const cookie = cookieOf(setCookie);
  const session = await c.get('/api/dashboard/session', { cookie });
  assert.equal(session.status, 200);
  assert.equal(session.body.csrf_token, login.body.csrf_token);
  assert.equal(session.body.dealer.email, d.email);

  const noCsrf = await c.post('/api/dashboard/logout', {}, { cookie });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf_token_invalid');

  const out = await c.post('/api/dashboard/logout', {}, { cookie, 'x-csrf-token': login.body.csrf_token });
  assert.equal(out.status, 200);
  assert.match(out.headers.get('set-cookie') ?? '', /^wth_session=; .*Expires=Thu, 01 Jan 1970/);
  const gone = await c.get('/api/dashboard/session', { cookie });
  assert.equal(gone.status, 401);
});

test('unknown email and wrong password get the same 401', async () => {
  const d = await dealerWithPassword('right password here');
  const c = client(api.url);
  const wrong = await c.post('/api/dashboard/login', { email: d.email, password: 'wrong password here' });
  const unknown = await c.post('/api/dashboard/login', { email: `nobody-${d.email}`, password: 'right password here' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
  assert.equal(wrong.body.error.code, 'invalid_credentials');
  assert.equal(wrong.headers.get('set-cookie'), null);
});

test('a dealer without a password cannot log in', async () => {
  const tag = randomBytes(6).toString('hex');
  const d = await createDealer(api.deps.db, { name: 'No pw', email: `nopw-${tag}@example.test` });
  const res = await client(api.url).post('/api/dashboard/login', { email: d.dealer.email, password: 'anything' });
  assert.equal(res.status, 401);
});

test('login attempts are limited per email and IP: the 11th within the window is a 429 with Retry-After', async () => {
  const d = await dealerWithPassword('the real one');
  const c = client(api.url);
  for (let i = 0; i < 10; i++) {
    const res = await c.post('/api/dashboard/login', { email: d.email, password: `guess ${i}` });
    assert.equal(res.status, 401);
  }
  const limited = await c.post('/api/dashboard/login', { email: d.email, password: 'the real one' });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.type, 'rate_limit_error');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  // Another email from the same IP is not affected.
  const other = await dealerWithPassword('other password');
  assert.equal((await c.post('/api/dashboard/login', { email: other.email, password: 'other password' })).status, 200);
});

test('the session cookie is Secure when PUBLIC_BASE_URL is https', async () => {
  const secureApi = await startTestApi({ PUBLIC_BASE_URL: 'https://dashboard.example.test' });
  try {
    const d = await dealerWithPassword('secure pass');
    const res = await client(secureApi.url).post('/api/dashboard/login', { email: d.email, password: 'secure pass' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
  } finally {
    await secureApi.close();
  }
});

test('dashboard routes need a session', async () => {
  const d = await createTestDealer(api.deps.db);
  const res = await client(api.url, d.keys.test.key).get('/api/dashboard/session');
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'not_logged_in');
});
