// Values built from the OpenAPI document's JSON Schemas, for tests that must exercise routes
// they do not know (the bad-input sweep): a plausible valid value, and a value of the wrong type.
import { randomBytes, randomUUID } from 'node:crypto';

type Json = Record<string, any>;

const base62 = (n: number) =>
  [...randomBytes(n)].map((b) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[b % 62]).join('');

export function resolveRef(doc: Json, node: Json | undefined): Json {
  let n = node;
  for (let i = 0; n && typeof n.$ref === 'string' && i < 20; i++) {
    n = (n.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc: Json | undefined, k) => acc?.[k], doc);
  }
  return n ?? {};
}

/** The non-null branch of `type: [x, 'null']` / `anyOf: [x, {type: 'null'}]`. */
export function nonNull(doc: Json, node: Json | undefined): Json {
  const s = resolveRef(doc, node);
  // A schema with its own type whose anyOf only adds constraints (e.g. "external_id or email
  // required") is that type, not a union of its variants.
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (variants && s.type === undefined) {
    const v = variants.map((x) => resolveRef(doc, x)).find((x) => x.type !== 'null');
    return v ? nonNull(doc, v) : s;
  }
  if (s.allOf?.length === 1) return nonNull(doc, s.allOf[0]);
  return s;
}

/** Whether `null` is an accepted value (`type: [x, 'null']` or an `anyOf` with a null branch). */
export function isNullable(doc: Json, node: Json | undefined): boolean {
  const s = resolveRef(doc, node);
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  return !!variants?.some((v) => isNullable(doc, v));
}

export const typeOf = (s: Json): string | undefined =>
  Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;

/** Ids of every kind the API mints, and other common shapes, to satisfy a `pattern`. */
export function idCandidates(): string[] {
  return [
    randomUUID(),
    `evt_${base62(24)}`,
    `we_${base62(24)}`,
    `dlv_${base62(24)}`,
    'USD',
    'US',
    'https://example.com/hooks/wth',
    'sweep-1',
    'order.received',
    '*',
    'abc',
    'a',
    '1',
  ];
}

export function sampleString(s: Json): string {
  switch (s.format) {
    case 'uuid':
      return randomUUID();
    case 'email':
      return `sweep-${base62(8).toLowerCase()}@example.test`;
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'uri':
    case 'url':
      return 'https://example.com/hooks/wth';
  }
  let v = 'sweep-1';
  if (s.pattern) {
    const re = new RegExp(s.pattern as string, 'u');
    v = idCandidates().find((c) => re.test(c)) ?? v;
  }
  if (typeof s.maxLength === 'number' && v.length > s.maxLength) v = v.slice(0, s.maxLength);
  if (typeof s.minLength === 'number' && v.length < s.minLength) v = v.padEnd(s.minLength, 'x');
  return v;
}

/** A value the schema should accept: required properties only, from examples where given. */
export function sample(doc: Json, node: Json | undefined, depth = 0): unknown {
  const s = nonNull(doc, node);
  if (depth > 8) return null;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum.find((e: unknown) => e !== null);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Json) => sample(doc, x, depth + 1)));
  switch (typeOf(s)) {
    case 'object': {
      const out: Json = {};
      for (const k of (s.required as string[] | undefined) ?? []) out[k] = sample(doc, s.properties?.[k], depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(doc, s.items, depth + 1));
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1);
      return typeof s.maximum === 'number' ? Math.min(min, s.maximum) : min;
    }
    case 'boolean':
      return false;
    case 'string':
      return sampleString(s);
    default:
      return 'sweep';
  }
}

/** A value of the wrong JSON type for the schema (for a query string: a string it must refuse). */
export function wrongValue(doc: Json, node: Json | undefined, inQuery = false): unknown {
  const s = nonNull(doc, node);
  const t = typeOf(s);
  if (inQuery) {
    if (t === 'integer' || t === 'number') return 'not-a-number';
    if (t === 'boolean' || Array.isArray(s.enum)) return 'not-a-valid-choice';
    if (s.format === 'uuid') return 'not-a-uuid';
    return undefined; // any string is a string
  }
  if (t === 'string' || Array.isArray(s.enum) || s.const !== undefined) return 12345;
  if (t === 'integer' || t === 'number') return 'not-a-number';
  if (t === 'boolean') return 'yes';
  if (t === 'array') return 'not-an-array';
  if (t === 'object') return 'not-an-object';
  return undefined;
}

/** `items[0].email` → ['items', 0, 'email'] (the inverse of api/validation's formatPath). */
export const parsePath = (param: string): (string | number)[] =>
  (param.match(/[^.[\]]+/g) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** The schema of the value at `path` inside a value of schema `node`. */
export function schemaAt(doc: Json, node: Json | undefined, path: (string | number)[]): Json | undefined {
  let s: Json | undefined = node;
  for (const k of path) {
    const n = nonNull(doc, s);
    s = typeof k === 'number' ? n.items : n.properties?.[k];
    if (!s) return undefined;
  }
  return s;
}

/** Every `error.param` in an answer: the top-level error, or per-item errors of a bulk answer. */
export function errorParams(body: unknown, out: string[] = []): string[] {
  if (Array.isArray(body)) for (const v of body) errorParams(v, out);
  else if (body && typeof body === 'object') {
    const b = body as Json;
    if (b.error && typeof b.error === 'object' && typeof b.error.type === 'string') {
      out.push(typeof b.error.param === 'string' ? b.error.param : '');
    }
    for (const v of Object.values(b)) errorParams(v, out);
  }
  return out;
}
