// The bad-input sweep: for every operation in the served OpenAPI document (so routes added
// later are covered without touching this file), send wrong types, missing and unknown fields,
// non-object and oversized bodies, bad cursors and ids that do not exist or belong to another
// dealer. Every answer must be a 4xx in the error shape, naming the field when it is a
// validation error; never a 5xx, never a hang. The client checks each answer against the
// document as well (documented status, matching body).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { client, type JsonResponse } from '../helpers/http';
import { buildChecker, type ResponseChecker } from '../helpers/openapi-check';
import {
  errorParams,
  idCandidates,
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
  api = await startTestApi({ API_RATE_LIMIT_PER_MINUTE: '1000000', API_BODY_LIMIT: '64kb' });
  me = await createTestDealer(api.deps.db, 'Sweep');
  foreign = await createTestDealer(api.deps.db, 'Sweep Foreign');
  doc = (await client(api.url).get('/api/v1/openapi.json')).body;
  checker = buildChecker(doc);
});
after(async () => api.close());

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
): Promise<JsonResponse> {
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
    return await Promise.race([c.call(o.method.toUpperCase(), path, opts.body, headers), timeout]);
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

const isErrorShape = (body: Json): boolean =>
  !!body &&
  typeof body.error === 'object' &&
  typeof body.error.type === 'string' &&
  typeof body.error.code === 'string';

interface Expectation {
  what: string;
  res: JsonResponse;
  statuses?: number[];
  param?: string;
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
  }
  return out;
}

/** Wrong types, missing required fields and unknown fields, at the top level and one object down. */
function bodyMutations(schema: Json, valid: Json, prefix: PropertyKey[] = [], depth = 0) {
  const s = nonNull(doc, schema);
  const out: { what: string; body: unknown; param: string }[] = [];
  if (typeOf(s) !== 'object' || !s.properties) return out;
  const at = (value: Json) => setIn(structuredClone(valid), prefix, value);
  const here = getIn(valid, prefix) as Json;
  for (const [name, propSchema] of Object.entries<Json>(s.properties)) {
    const param = formatPath([...prefix, name]);
    const wrong = wrongValue(doc, propSchema);
    if (wrong !== undefined) out.push({ what: `wrong type for ${param}`, body: at({ ...here, [name]: wrong }), param });
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
    });
    if (schema && validBody && typeof validBody === 'object') {
      for (const m of bodyMutations(schema, validBody)) {
        expect({
          what: `${label}: ${m.what}`,
          res: await send(o, me, { path: pathIds, body: m.body }),
          statuses: [400],
          param: strict ? m.param : undefined,
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
