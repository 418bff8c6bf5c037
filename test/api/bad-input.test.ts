// The bad-input sweep: for every operation in the served OpenAPI document (so routes added
// later are covered without touching this file), send wrong types, missing and unknown fields,
// non-object and oversized bodies, bad cursors and ids that do not exist or belong to another
// dealer. Every answer must be a 4xx in the error shape, naming the field when it is a
// validation error; never a 5xx, never a hang. The client checks each answer against the
// document as well (documented status, matching body).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { client, type JsonResponse } from '../helpers/http';
import { buildChecker, type ResponseChecker } from '../helpers/openapi-check';
import {
  errorParams,
  idCandidates,
  isNullable,
  nonNull,
  parsePath,
  resolveRef,
  sample,
  schemaAt,
  typeOf,
  wrongValue,
} from '../helpers/schema-samples';
import { createTestDealer, dashboardSessionHeaders, startTestApi, type TestApi } from '../helpers/stack';
import type { CreatedDealer } from '../../domain/accounts/dealers';
import { formatPath } from '../../api/validation';

type Json = Record<string, any>;

const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;

let api: TestApi;
let doc: Json;
let checker: ResponseChecker;
let me: CreatedDealer;
let foreign: CreatedDealer;
let requestsSent = 0;

before(async () => {
  // Its own task queue, which no worker polls: the example endpoint URLs the sweep saves must
  // never receive a delivery (test traffic goes to loopback only).
  api = await startTestApi({
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    API_BODY_LIMIT: '64kb',
    TEMPORAL_TASK_QUEUE: `wth-sweep-${process.pid}`,
  });
  me = await createTestDealer(api.deps.db, 'Sweep');
  foreign = await createTestDealer(api.deps.db, 'Sweep Foreign');
  doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  checker = buildChecker(doc);
});
after(async () => {
  // And in case the outbox hands one of its events to a worker later: no endpoint to send to.
  await api.deps.db('webhook_endpoints').whereIn('dealer_id', [me.dealer.id, foreign.dealer.id]).delete();
  await api.close();
});

interface Op {
  method: string;
  template: string;
  op: Json;
}

const sweptOps = (): Op[] =>
  checker.operations
    .filter((o) => o.template.startsWith('/api/v1/') || o.template.startsWith('/api/dashboard/'))
    .map(({ method, template, op }) => ({ method, template, op }));

const parameters = (o: Op, where: string): Json[] =>
  ((o.op.parameters ?? []) as Json[]).map((p) => resolveRef(doc, p)).filter((p) => p.in === where);

const bodySchema = (o: Op): Json | undefined => o.op.requestBody?.content?.['application/json']?.schema;

async function authHeaders(o: Op, who: CreatedDealer): Promise<Record<string, string>> {
  const security = JSON.stringify(o.op.security ?? []);
  if (security.includes('bearerAuth')) return { authorization: `Bearer ${who.keys.test.key}` };
  if (security.includes('sessionCookie')) return dashboardSessionHeaders(api.deps.db, who.dealer.id);
  return {};
}

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'missing'));
}

/** Every request of the sweep; a hang fails with the request named rather than stalling the run. */
async function send(
  o: Op,
  who: CreatedDealer,
  opts: { path?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> },
): Promise<SweepResponse> {
  const path = fillPath(o.template, opts.path ?? {}) + (opts.query ? `?${opts.query}` : '');
  const headers = { ...(await authHeaders(o, who)), ...(opts.headers ?? {}) };
  const c = client(api.url);
  requestsSent += 1;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${o.method.toUpperCase()} ${path} did not answer in ${REQUEST_TIMEOUT_MS} ms`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  try {
    const res = await Promise.race([c.call(o.method.toUpperCase(), path, opts.body, headers), timeout]);
    return { ...res, rateLimited: 'authorization' in headers };
  } finally {
    clearTimeout(timer);
  }
}

/** Path parameter values that pass validation but name nothing: fresh ids in the right format. */
function nonexistentIds(o: Op): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parameters(o, 'path')) out[p.name] = idFor(nonNull(doc, p.schema));
  return out;
}

function idFor(s: Json): string {
  if (s.format === 'uuid') return randomUUID();
  if (s.pattern) {
    const re = new RegExp(s.pattern as string, 'u');
    return idCandidates().find((c) => re.test(c)) ?? randomUUID();
  }
  return randomUUID();
}

const fitsSchema = (s: Json, value: string): boolean => {
  if (s.format === 'uuid') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  if (s.pattern) return new RegExp(s.pattern as string, 'u').test(value);
  return true;
};

/** Ids of everything the foreign dealer owns, in every table that records a dealer or integration. */
async function foreignIds(): Promise<string[]> {
  const db = api.deps.db;
  const cols: { table_name: string; column_name: string }[] = (
    await db.raw(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_name IN ('id', 'dealer_id', 'integration_id')`,
    )
  ).rows;
  const byTable = new Map<string, Set<string>>();
  for (const c of cols) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
  const integrationIds = (await db('integrations').where({ dealer_id: foreign.dealer.id }).pluck('id')) as string[];
  const ids: string[] = [];
  for (const [table, set] of byTable) {
    if (!set.has('id') || table === 'dashboard_sessions') continue;
    let q;
    if (set.has('dealer_id')) q = db(table).where({ dealer_id: foreign.dealer.id });
    else if (set.has('integration_id')) q = db(table).whereIn('integration_id', integrationIds);
    else if (table === 'dealers') q = db(table).where({ id: foreign.dealer.id });
    else continue;
    ids.push(...((await q.limit(5).pluck('id')) as unknown[]).map(String));
  }
  return ids;
}

type SweepResponse = JsonResponse & { rateLimited?: boolean };

const isErrorShape = (body: Json): boolean =>
  !!body &&
  typeof body.error === 'object' &&
  typeof body.error.type === 'string' &&
  typeof body.error.code === 'string';

interface Expectation {
  what: string;
  res: SweepResponse;
  statuses?: number[];
  param?: string;
  /** The error code a 400 must carry, e.g. `parameter_invalid` for a wrong type (never "missing"). */
  code?: string;
  /** A field inside an array item: a 2xx naming it in a per-item error counts too. */
  perItem?: boolean;
}

function problemsOf(e: Expectation): string[] {
  const out: string[] = [];
  const { status, body } = e.res;
  const tag = `${e.what}: got ${status} ${JSON.stringify(body).slice(0, 300)}`;
  // A bulk operation answers 2xx with one result per item; the bad item's error must name the field.
  if (status >= 200 && status < 300 && e.perItem) {
    const params = errorParams(body);
    if (params.length === 0) out.push(`${tag} — expected a 4xx or a per-item error`);
    else if (e.param !== undefined && !params.includes(e.param)) {
      out.push(`${tag} — expected a per-item error with param ${JSON.stringify(e.param)}`);
    }
    return out;
  }
  if (status < 400 || status >= 500) out.push(`${tag} — expected a 4xx`);
  else if (!isErrorShape(body)) out.push(`${tag} — not in the error shape`);
  else {
    if (e.statuses && !e.statuses.includes(status)) out.push(`${tag} — expected ${e.statuses.join(' or ')}`);
    if (e.param !== undefined && status === 400 && body.error.param !== e.param) {
      out.push(`${tag} — expected error.param ${JSON.stringify(e.param)}`);
    }
    if (e.code !== undefined && status === 400 && body.error.code !== e.code) {
      out.push(`${tag} — expected error.code ${e.code}`);
    }
    // Every answer to a known API key carries its rate-limit state, errors included.
    if (e.res.rateLimited && status !== 401 && !e.res.headers.get('ratelimit-limit')) {
      out.push(`${tag} — no RateLimit-Limit header`);
    }
  }
  return out;
}

/** Wrong types, missing required fields and unknown fields, at the top level and one object down. */
function bodyMutations(schema: Json, valid: Json, prefix: PropertyKey[] = [], depth = 0) {
  const s = nonNull(doc, schema);
  const out: { what: string; body: unknown; param: string; code?: string }[] = [];
  if (typeOf(s) !== 'object' || !s.properties) return out;
  const at = (value: Json) => setIn(structuredClone(valid), prefix, value);
  const here = getIn(valid, prefix) as Json;
  for (const [name, propSchema] of Object.entries<Json>(s.properties)) {
    const param = formatPath([...prefix, name]);
    const wrong = wrongValue(doc, propSchema);
    const invalid = 'parameter_invalid';
    if (wrong !== undefined) {
      out.push({ what: `wrong type for ${param}`, body: at({ ...here, [name]: wrong }), param, code: invalid });
    }
    if (!isNullable(doc, propSchema)) {
      out.push({ what: `null for ${param}`, body: at({ ...here, [name]: null }), param, code: invalid });
    }
    if ((s.required ?? []).includes(name)) {
      const { [name]: _dropped, ...rest } = here;
      out.push({ what: `missing ${param}`, body: at(rest), param });
      if (depth < 2) {
        const child = nonNull(doc, propSchema);
        if (typeOf(child) === 'object') out.push(...bodyMutations(child, valid, [...prefix, name], depth + 1));
        if (typeOf(child) === 'array' && typeOf(nonNull(doc, child.items)) === 'object') {
          out.push(...bodyMutations(nonNull(doc, child.items), valid, [...prefix, name, 0], depth + 1));
        }
      }
    }
  }
  const unknown = formatPath([...prefix, 'zz_unknown_field']);
  out.push({ what: `unknown field ${unknown}`, body: at({ ...here, zz_unknown_field: 'x' }), param: unknown });
  return out;
}

function getIn(obj: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((acc, k) => (acc as Json | undefined)?.[k as string], obj);
}

function setIn(obj: Json, path: PropertyKey[], value: unknown): Json {
  if (path.length === 0) return value as Json;
  const parent = getIn(obj, path.slice(0, -1)) as Json;
  parent[path[path.length - 1] as string] = value;
  return obj;
}

/** Bytes exactly as given (invalid UTF-8, huge bodies), with or without credentials. */
async function sendRaw(
  o: Op,
  who: CreatedDealer | null,
  opts: { path: Record<string, string>; body: Buffer | string; headers?: Record<string, string> },
): Promise<SweepResponse> {
  const headers = { 'content-type': 'application/json', ...(who ? await authHeaders(o, who) : {}), ...opts.headers };
  requestsSent += 1;
  const res = await fetch(api.url + fillPath(o.template, opts.path), {
    method: o.method.toUpperCase(),
    headers,
    body: opts.body === '' ? undefined : opts.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // asserted on below as "not in the error shape"
  }
  return { status: res.status, headers: res.headers, body, rateLimited: 'authorization' in headers };
}

/** fetch refuses TRACE and other unusual methods; node:http sends anything. */
function sendMethod(method: string, path: string): Promise<SweepResponse> {
  requestsSent += 1;
  return new Promise((resolve, reject) => {
    const req = http.request(api.url + path, { method, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: reported by the caller
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Paths of every string in a value, e.g. `buyer.email`, `items[0].external_id`. */
function stringLeaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...path, k]));
  return [];
}

const deeplyNested = (levels: number): string => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

async function sweep(o: Op, foreignPool: string[]): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  const expect = (e: Expectation) => problems.push(...problemsOf(e));
  const label = `${o.method.toUpperCase()} ${o.template}`;
  const schema = bodySchema(o);
  const hasBodyMethod = ['post', 'put', 'patch'].includes(o.method);
  const pathIds = nonexistentIds(o);
  const pathParams = parameters(o, 'path');

  // A body the route accepts: required fields from the schema, then any optional field the
  // route turns out to need (cross-field rules such as "external_id or email") filled in.
  // If it still fails validation, mutations can only be asked for "some 4xx".
  let validBody = schema ? (sample(doc, schema) as Json) : undefined;
  let strict = true;
  if (schema) {
    for (let round = 0; ; round++) {
      const probe = await send(o, me, { path: pathIds, body: validBody });
      if (probe.status >= 500) problems.push(`${label} with a generated valid body: ${probe.status}`);
      const refused = probe.status === 400 || (probe.status < 300 && errorParams(probe.body).length > 0);
      if (!refused) break;
      const param = errorParams(probe.body)[0] ?? '';
      const path = parsePath(param);
      const fieldSchema = path.length ? schemaAt(doc, schema, path) : undefined;
      const missing = fieldSchema && getIn(validBody, path) === undefined && getIn(validBody, path.slice(0, -1));
      if (round >= 5 || !missing) {
        strict = false;
        notes.push(`${label}: generated body refused (${param || probe.body?.error?.code}); field checks relaxed`);
        break;
      }
      validBody = setIn(structuredClone(validBody) as Json, path, sample(doc, fieldSchema));
    }
  }

  for (const p of pathParams) {
    const others = Object.fromEntries(Object.entries(pathIds).filter(([k]) => k !== p.name));
    expect({
      what: `${label} with ${p.name}=nope`,
      res: await send(o, me, { path: { ...others, [p.name]: 'nope' }, body: validBody }),
      statuses: [400, 404],
      param: p.name,
    });
    const s = nonNull(doc, p.schema);
    const candidates = [pathIds[p.name] as string, ...foreignPool.filter((id) => fitsSchema(s, id))];
    for (const id of candidates) {
      expect({
        what: `${label} with ${p.name}=${id} (${id === pathIds[p.name] ? 'nonexistent' : "another dealer's"})`,
        res: await send(o, me, { path: { ...pathIds, [p.name]: id }, body: validBody }),
        statuses: strict ? [404] : [400, 404],
      });
    }
  }

  for (const q of parameters(o, 'query')) {
    const wrong = q.name === 'starting_after' ? 'nope' : wrongValue(doc, q.schema, true);
    if (wrong === undefined) continue;
    const res = await send(o, me, {
      path: pathIds,
      query: `${q.name}=${encodeURIComponent(String(wrong))}`,
      body: validBody,
    });
    expect({
      what: `${label} with ?${q.name}=${String(wrong)}`,
      res,
      statuses: q.name === 'starting_after' ? [400, 404] : [400],
      param: q.name,
    });
    // One cursor contract on every list (a 404 is the path's own id, checked before the cursor).
    if (q.name === 'starting_after' && res.status === 400 && res.body?.error?.code !== 'invalid_cursor') {
      problems.push(`${label} with ?starting_after=nope: code ${res.body?.error?.code}, expected invalid_cursor`);
    }
    const s = nonNull(doc, q.schema);
    for (const bound of [
      s.maximum !== undefined ? s.maximum + 1 : null,
      s.minimum !== undefined ? s.minimum - 1 : null,
    ]) {
      if (bound === null) continue;
      expect({
        what: `${label} with ?${q.name}=${bound}`,
        res: await send(o, me, { path: pathIds, query: `${q.name}=${bound}`, body: validBody }),
        statuses: [400],
        param: q.name,
      });
    }
  }
  expect({
    what: `${label} with an unknown query parameter`,
    res: await send(o, me, { path: pathIds, query: 'zz_unknown_param=1', body: validBody }),
    statuses: [400],
    param: 'zz_unknown_param',
  });

  if (hasBodyMethod) {
    expect({
      what: `${label} with a body over the limit`,
      res: await send(o, me, { path: pathIds, body: { zz: 'x'.repeat(BODY_LIMIT_BYTES + 1024) } }),
      statuses: [413],
    });
    expect({
      what: `${label} with a non-JSON body`,
      res: await send(o, me, { path: pathIds, body: 'a=b', headers: { 'content-type': 'text/plain' } }),
      statuses: [415],
    });
    expect({
      what: `${label} with malformed JSON`,
      res: await send(o, me, { path: pathIds, body: '{"a":', headers: { 'content-type': 'application/json' } }),
      statuses: [400],
    });
    expect({
      what: `${label} with an array body`,
      res: await send(o, me, { path: pathIds, body: ['x'] }),
      statuses: [400],
      param: 'body',
    });
    if (schema && validBody && typeof validBody === 'object') {
      for (const m of bodyMutations(schema, validBody)) {
        expect({
          what: `${label}: ${m.what}`,
          res: await send(o, me, { path: pathIds, body: m.body }),
          statuses: [400],
          param: strict ? m.param : undefined,
          code: strict ? m.code : undefined,
          perItem: /\[\d+\]/.test(m.param),
        });
      }
    } else if (!schema) {
      expect({
        what: `${label} with a body it does not take`,
        res: await send(o, me, { path: pathIds, body: { zz_unknown_field: 1 } }),
        statuses: [400],
        param: 'zz_unknown_field',
      });
    }
    if (JSON.stringify(o.op.parameters ?? []).includes('Idempotency-Key')) {
      expect({
        what: `${label} with a 256-character Idempotency-Key`,
        res: await send(o, me, { path: pathIds, body: validBody, headers: { 'idempotency-key': 'k'.repeat(256) } }),
        statuses: [400],
        param: 'Idempotency-Key',
      });
    }
  }
  // NUL characters cannot be stored (PostgreSQL text): a 400 naming the parameter, anywhere.
  for (const p of pathParams) {
    expect({
      what: `${label} with a NUL in ${p.name}`,
      res: await send(o, me, { path: { ...pathIds, [p.name]: 'a\u0000b' }, body: validBody }),
      statuses: [400],
      param: p.name,
    });
  }
  for (const q of parameters(o, 'query')) {
    expect({
      what: `${label} with a NUL in ?${q.name}`,
      res: await send(o, me, { path: pathIds, query: `${encodeURIComponent(q.name)}=a%00b`, body: validBody }),
      statuses: [400],
      param: q.name,
      code: 'parameter_invalid',
    });
    if (typeOf(nonNull(doc, q.schema)) !== 'integer') continue;
    // Strict integers: only decimal digits; each refusal names the field and is "invalid", not "missing".
    for (const v of ['1e2', '0x10', '1.5', 'abc', '', ' 5']) {
      expect({
        what: `${label} with ?${q.name}=${JSON.stringify(v)}`,
        res: await send(o, me, { path: pathIds, query: `${q.name}=${encodeURIComponent(v)}`, body: validBody }),
        statuses: [400],
        param: q.name,
        code: 'parameter_invalid',
      });
    }
  }
  if (hasBodyMethod && validBody && typeof validBody === 'object') {
    for (const leaf of stringLeaves(validBody)) {
      const param = formatPath(leaf);
      expect({
        what: `${label} with a NUL in ${param}`,
        res: await send(o, me, { path: pathIds, body: setIn(structuredClone(validBody), leaf, 'a\u0000b') }),
        statuses: [400],
        param,
        code: 'parameter_invalid',
      });
    }
  }

  // Whatever the method the router does not know, a JSON 405 naming the allowed ones.
  for (const method of ['TRACE', 'PROPFIND']) {
    const res = await sendMethod(method, fillPath(o.template, pathIds));
    if (res.status !== 405 || !isErrorShape(res.body as Json) || !res.headers.get('allow')) {
      problems.push(`${method} ${o.template}: got ${res.status} ${String(JSON.stringify(res.body)).slice(0, 200)}`);
    }
  }

  if (JSON.stringify(o.op.security ?? []).includes('bearerAuth')) {
    const noKey = await sendRaw(o, null, { path: pathIds, body: hasBodyMethod ? '{}' : '' });
    const challenge = noKey.headers.get('www-authenticate') ?? '';
    if (noKey.status !== 401 || !/^Bearer\b/.test(challenge)) {
      problems.push(`${label} without a key: got ${noKey.status}, WWW-Authenticate ${JSON.stringify(challenge)}`);
    }
    if (hasBodyMethod) {
      // Credentials are checked before the body is read: no 413 for someone who is not a client.
      const big = await sendRaw(o, null, { path: pathIds, body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
      if (big.status !== 401) problems.push(`${label} with a 2 MB body and no key: got ${big.status}, expected 401`);
    }
  }

  if (hasBodyMethod) {
    expect({
      what: `${label} with a top-level array`,
      res: await send(o, me, { path: pathIds, body: [] }),
      statuses: [400],
      param: 'body',
      code: 'parameter_invalid',
    });
    const idem = JSON.stringify(o.op.parameters ?? []).includes('Idempotency-Key');
    const variants: Record<string, string>[] = [{}, ...(idem ? [{ 'idempotency-key': `deep-${randomUUID()}` }] : [])];
    for (const headers of variants) {
      expect({
        what: `${label} with 10,000 levels of nesting${'idempotency-key' in headers ? ' and an Idempotency-Key' : ''}`,
        res: await sendRaw(o, me, { path: pathIds, body: deeplyNested(10_000), headers }),
        statuses: [400],
      });
      expect({
        what: `${label} with 40 levels of nesting`,
        res: await sendRaw(o, me, { path: pathIds, body: deeplyNested(40), headers }),
        statuses: [400],
      });
    }
    // Bytes that are not UTF-8 must not be rewritten to U+FFFD (two different ids would collide).
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      const body = Buffer.concat([Buffer.from('{"zz":"x'), Buffer.from(bytes), Buffer.from('"}')]);
      const res = await sendRaw(o, me, { path: pathIds, body });
      expect({ what: `${label} with invalid UTF-8 ${Buffer.from(bytes).toString('hex')}`, res, statuses: [400] });
      if (res.status === 400 && (res.body as Json)?.error?.code !== 'invalid_utf8') {
        problems.push(`${label} with invalid UTF-8: code ${(res.body as Json)?.error?.code}, expected invalid_utf8`);
      }
    }
  }
  return { problems, notes };
}

test('every operation answers bad input with a 4xx in the error shape, never a 5xx or a hang', async (t) => {
  const ops = sweptOps();
  assert.ok(ops.length >= 10, `only ${ops.length} operations in the document`);

  // Give the other dealer one of everything its routes can create, so ids of every kind exist.
  for (const o of ops) {
    if (o.method !== 'post' || parameters(o, 'path').length || o.template.endsWith('/logout')) continue;
    const schema = bodySchema(o);
    await send(o, foreign, { body: schema ? sample(doc, schema) : undefined });
  }
  const pool = await foreignIds();
  assert.ok(pool.includes(foreign.integration.id));

  const failures: string[] = [];
  for (const o of ops) {
    const { problems, notes } = await sweep(o, pool);
    for (const n of notes) t.diagnostic(n);
    failures.push(...problems);
  }
  t.diagnostic(`${requestsSent} requests over ${ops.length} operations`);
  assert.equal(failures.length, 0, `\n${failures.join('\n')}`);
});

function orderBody(externalId: string, total = 1000): Json {
  return {
    external_id: externalId,
    total_amount: total,
    currency: 'USD',
    buyer: { name: 'Ada Buyer', email: 'ada@example.com', country: 'US' },
    line_items: [{ sku: `sku-${externalId}`, quantity: 1, unit_amount: total }],
    ordered_at: '2026-11-30T10:00:00.000Z',
  };
}

test('two external_ids that differ only in invalid bytes are both refused, not merged into one order', async () => {
  const d = await createTestDealer(api.deps.db, 'Utf8');
  const o: Op = { method: 'post', template: '/api/v1/orders', op: { security: [{ bearerAuth: [] }] } };
  const rawOrder = (last: number, total: number) => {
    const json = JSON.stringify(orderBody('utf8-\u0001', total));
    const [head, tail] = json.split('\\u0001') as [string, string];
    return Buffer.concat([Buffer.from(head), Buffer.from([last]), Buffer.from(tail)]);
  };
  for (const [last, total] of [
    [0xff, 1],
    [0xfe, 999],
  ] as const) {
    const res = await sendRaw(o, d, { path: {}, body: rawOrder(last, total) });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal((res.body as Json).error.code, 'invalid_utf8');
  }
  assert.equal((await api.deps.db('orders').where({ dealer_id: d.dealer.id }).count({ n: '*' }))[0]?.n, '0');
});

test('the same external_id with different data is a 409 carrying the stored order; an identical repeat is 200', async () => {
  const d = await createTestDealer(api.deps.db, 'Conflict');
  const c = client(api.url, d.keys.test.key);
  const first = await c.post('/api/v1/orders', orderBody('conflict-1', 1000));
  assert.equal(first.status, 201);
  const repeat = await c.post('/api/v1/orders', orderBody('conflict-1', 1000));
  assert.equal(repeat.status, 200);
  assert.deepEqual(repeat.body, first.body);
  const variants: Json[] = [
    orderBody('conflict-1', 999),
    { ...orderBody('conflict-1', 1000), currency: 'EUR' },
    { ...orderBody('conflict-1', 1000), buyer: { name: 'Other', email: 'ada@example.com', country: 'US' } },
    { ...orderBody('conflict-1', 1000), ordered_at: '2026-11-30T10:00:01.000Z' },
    { ...orderBody('conflict-1', 1000), line_items: [{ sku: 'other', quantity: 1, unit_amount: 1000 }] },
  ];
  for (const body of variants) {
    const res = await c.post('/api/v1/orders', body);
    assert.equal(res.status, 409, JSON.stringify(body));
    assert.equal(res.body.error.code, 'order_external_id_conflict');
    assert.equal(res.body.error.param, 'external_id');
    assert.deepEqual(res.body.error.order, first.body, 'the stored order, unchanged');
  }
  const rows = await api.deps.db('orders').where({ dealer_id: d.dealer.id });
  assert.equal(rows.length, 1);
  assert.equal(Number(rows[0].total_amount), 1000);
});

/** A GET /me from a chosen loopback source address (127.0.0.0/8 is all loopback on Linux). */
function meFrom(
  base: string,
  source: string,
  key: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v1/me`,
      { localAddress: source, headers: { authorization: `Bearer ${key}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('failed authentications are limited per client address; a valid key keeps working from anywhere', async () => {
  const limited = await startTestApi({ API_AUTH_FAILURES_PER_MINUTE: '3' });
  try {
    const d = await createTestDealer(limited.deps.db, 'AuthLimit');
    const attacker = '127.0.0.7';
    const bad = `wth_${'0'.repeat(32)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await meFrom(limited.url, attacker, bad)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    const blocked = await meFrom(limited.url, attacker, bad);
    assert.ok(Number(blocked.headers['retry-after']) >= 1);
    // The dealer behind the same address, and from elsewhere, is never locked out.
    assert.equal((await meFrom(limited.url, attacker, d.keys.test.key)).status, 200);
    assert.equal((await meFrom(limited.url, '127.0.0.8', d.keys.test.key)).status, 200);
    // Another address has its own budget.
    const other = await meFrom(limited.url, '127.0.0.9', bad);
    assert.equal(other.status, 401);
    assert.match(String(other.headers['www-authenticate']), /^Bearer realm="[^"]+", error="invalid_token"$/);
  } finally {
    await limited.close();
  }
});

test('the document says what the server accepts: emails, subscriptions, URLs, optional bodies, 500', async () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'doc.json' });
  const schemaOf = (ref: string) => ajv.compile({ $ref: `doc.json#/components/schemas/${ref}` });
  const d = await createTestDealer(api.deps.db, 'Agreement');
  const c = client(api.url, d.keys.test.key);

  // Every email the document's Buyer schema allows is accepted, and the ones it refuses are refused.
  const buyer = schemaOf('Buyer');
  const emails = ['a@b.co', 'a+b@localhost', '"quoted"@example.com', 'user@[127.0.0.1]', "o'neil@example.com", 'x@b.c'];
  for (const [i, email] of emails.entries()) {
    const documented = buyer({ name: 'N', email, country: 'US' });
    const res = await c.post('/api/v1/orders', {
      ...orderBody(`email-${i}`),
      buyer: { name: 'N', email, country: 'US' },
    });
    assert.equal(res.status === 201, documented, `${email}: document says ${documented}, server ${res.status}`);
  }

  // Subscriptions and URLs the server refuses are refused by the document too.
  const create = schemaOf('CreateWebhookEndpoint');
  for (const body of [
    { url: 'https://127.0.0.1/hook', enabled_events: [''] },
    { url: 'https://127.0.0.1/hook', enabled_events: ['order.nope'] },
    { url: 'https://127.0.0.1/ho\nok' },
    { url: 'https://127.0.0.1/ho ok' },
    { url: 'https://127.0.0.1/ho\u0007ok' },
    { url: 'ftp://127.0.0.1/hook' },
  ]) {
    const res = await c.post('/api/v1/webhook_endpoints', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(create(body), false, `the document accepts ${JSON.stringify(body)}`);
  }

  // A body the server takes when absent is optional in the document, and the other way round.
  for (const o of sweptOps()) {
    const rb = o.op.requestBody;
    if (!rb || o.template.includes('{')) continue;
    if (o.template.endsWith('/login') || o.template.endsWith('/logout')) continue;
    const headers = await authHeaders(o, d);
    const res = await client(api.url).call(o.method.toUpperCase(), o.template, undefined, headers);
    const acceptedEmpty = res.status < 300;
    assert.equal(
      rb.required === true,
      !acceptedEmpty,
      `${o.method} ${o.template}: required=${rb.required}, empty → ${res.status}`,
    );
  }

  for (const o of sweptOps()) assert.ok(o.op.responses['500'], `${o.method} ${o.template} documents no 500`);
});
