// Checks an API answer against the OpenAPI document the same server serves: the operation is
// found by method + path template, the status must be documented, and the JSON body must
// match that status' schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  params: number;
  op: Json;
}

export interface ResponseChecker {
  doc: Json;
  operations: Operation[];
  check(method: string, url: string, status: number, body: unknown): void;
  find(method: string, path: string): Operation | undefined;
}

const DOC_PATH = '/api/v1/openapi.json';
const checkers = new Map<string, Promise<ResponseChecker>>();

/** One fetch and one compile per server (base URL); every client of that server shares it. */
export function responseChecker(baseUrl: string): Promise<ResponseChecker> {
  let c = checkers.get(baseUrl);
  if (!c) {
    c = fetch(baseUrl + DOC_PATH).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET ${DOC_PATH} answered ${res.status}`);
      return buildChecker((await res.json()) as Json);
    });
    checkers.set(baseUrl, c);
    c.catch(() => checkers.delete(baseUrl));
  }
  return c;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function buildChecker(doc: Json): ResponseChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // The whole document is registered so that `#/components/schemas/...` refs resolve.
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let v = compiled.get(ref);
    if (!v) {
      v = ajv.compile({ $ref: `openapi.json#/${ref}` });
      compiled.set(ref, v);
    }
    return v;
  };

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      if (!item[method]) continue;
      const regex = new RegExp(
        `^${template
          .split(/\{[^}]+\}/)
          .map(escapeRe)
          .join('[^/]+')}$`,
      );
      operations.push({ method, template, regex, params: (template.match(/\{/g) ?? []).length, op: item[method] });
    }
  }
  // `/orders/bulk` must win over `/orders/{id}`: fewer path parameters first.
  operations.sort((a, b) => a.params - b.params);

  const find = (method: string, path: string) =>
    operations.find((o) => o.method === method.toLowerCase() && o.regex.test(path));

  const check = (method: string, url: string, status: number, body: unknown) => {
    const path = new URL(url, 'http://x').pathname;
    const label = `${method.toUpperCase()} ${path} → ${status}`;
    const o = find(method, path);
    let ref: string;
    if (!o) {
      // No such operation: the router's own 404/405 must still be in the error shape.
      if (!doc.components?.schemas?.Error) throw new Error('OpenAPI document has no Error schema');
      ref = pointer('components', 'schemas', 'Error');
    } else {
      const responses = o.op.responses ?? {};
      const key = responses[String(status)]
        ? String(status)
        : responses[`${String(status)[0]}XX`]
          ? `${String(status)[0]}XX`
          : null;
      if (!key) {
        throw new Error(
          `${label}: status ${status} is not documented for operation ${o.op.operationId} (${o.method.toUpperCase()} ${o.template}); ` +
            `documented: ${Object.keys(responses).join(', ')}. Body: ${JSON.stringify(body).slice(0, 500)}`,
        );
      }
      if (!responses[key].content?.['application/json']?.schema) return;
      ref = pointer('paths', o.template, o.method, 'responses', key, 'content', 'application/json', 'schema');
    }
    const validate = validator(ref);
    if (!validate(body)) {
      const problems = (validate.errors ?? [])
        .slice(0, 8)
        .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
        .join('; ');
      throw new Error(
        `${label}: body does not match the OpenAPI schema ${o ? `of ${o.op.operationId}` : 'Error'}: ${problems}. ` +
          `Body: ${JSON.stringify(body).slice(0, 1000)}`,
      );
    }
  };
  return { doc, operations, check, find };
}

/** The API surfaces whose JSON answers are checked against the document. */
export const isCheckedPath = (path: string): boolean =>
  (path.startsWith('/api/v1/') || path.startsWith('/api/dashboard/')) && !path.startsWith(DOC_PATH);
