import type { Context, Middleware } from 'koa';
import Router, { type RouterMiddleware } from '@koa/router';
import { OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './openapi/zod';
import type { AuthFor, AuthKind } from './auth';
import type { AppDeps } from './deps';
import { ERROR_DESCRIPTIONS, ErrorSchema, platformDocs } from './openapi/common';
import { ValidationError } from './errors';
import { parseOrThrow, parseStrictOrThrow } from './validation';
import { findNul, nulError } from './middleware/json-body';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteInput<K extends AuthKind, P, Q, B> {
  auth: AuthFor<K>;
  params: P;
  query: Q;
  body: B;
  deps: AppDeps;
  /** For the rare route that must set a cookie or header; services never see it. */
  ctx: Context;
  /** Answers with one of the spec's `alsoStatus` codes instead of `status` (e.g. 200 for a repeat, 201 new). */
  setStatus(status: number): void;
}

export interface RouteSpec<
  K extends AuthKind,
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
> {
  method: Method;
  /** Koa style (`/orders/:id`); turned into `{id}` for the document. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: K;
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  response: R;
  responseDescription?: string;
  /** The success answer's media type when it is not JSON (e.g. `text/event-stream`). */
  contentType?: string;
  /** Other success statuses the handler may pick with `setStatus`, same body schema. */
  alsoStatus?: Record<number, string>;
  errors?: number[];
  /** An error status whose body says more than the common Error shape (e.g. a 409 carrying the stored object). */
  errorSchemas?: Record<number, z.ZodType>;
  /** Middleware run after auth and before validation (rate limits, idempotency). */
  middleware?: Middleware[];
  handler: (
    input: RouteInput<
      K,
      P extends AnyObject ? z.infer<P> : Record<string, never>,
      Q extends AnyObject ? z.infer<Q> : Record<string, never>,
      B extends z.ZodType ? z.infer<B> : undefined
    >,
  ) => Promise<z.infer<R>>;
}

const EMPTY: AnyObject = z.object({});

/** A route without a body schema takes no body: a non-empty one is a client mistake, not noise. */
function rejectBody(body: unknown): undefined {
  if (body && typeof body === 'object' && Object.keys(body).length > 0) {
    const first = Object.keys(body)[0] as string;
    throw new ValidationError(`Received unknown parameter: ${first}`, first, 'parameter_unknown');
  }
  return undefined;
}

/** Path and query values reach SQL as text, which cannot hold NUL: refused naming the parameter. */
function rejectNul(values: Record<string, unknown>): void {
  const param = findNul(values);
  if (param !== null) throw nulError(param.replace(/\[\d+\]$/, ''));
}

/** With no required field, an absent body is the same as `{}`: the document says it is optional. */
const bodyRequired = (schema: z.ZodType): boolean => !schema.safeParse({}).success;

/**
 * One place that turns a route spec into both a mounted Koa route (auth, zod validation,
 * handler) and its OpenAPI description, so the document can never drift from the code.
 */
export class ApiRouter {
  readonly router = new Router();

  constructor(
    private readonly deps: AppDeps,
    readonly registry: OpenAPIRegistry,
    private readonly prefix: string,
    private readonly authenticators: Record<Exclude<AuthKind, 'none'>, Middleware>,
    private readonly defaults: { middleware?: (method: Method, auth: AuthKind) => Middleware[] } = {},
  ) {}

  add<
    K extends AuthKind,
    P extends AnyObject | undefined,
    Q extends AnyObject | undefined,
    B extends z.ZodType | undefined,
    R extends z.ZodType,
  >(spec: RouteSpec<K, P, Q, B, R>): void {
    this.document(spec);
    const status = spec.status ?? 200;
    const chain: Middleware[] = [];
    if (spec.auth !== 'none') chain.push(this.authenticators[spec.auth as Exclude<AuthKind, 'none'>]);
    chain.push(...(this.defaults.middleware?.(spec.method, spec.auth) ?? []), ...(spec.middleware ?? []));
    chain.push(async (ctx) => {
      let chosen = status;
      rejectNul(ctx.params);
      rejectNul(ctx.query);
      const params = spec.params ? parseOrThrow(spec.params, ctx.params) : {};
      const query = parseStrictOrThrow(spec.query ?? EMPTY, { ...ctx.query });
      const body = spec.body ? parseStrictOrThrow(spec.body, ctx.request.body ?? {}) : rejectBody(ctx.request.body);
      const result = await spec.handler({
        auth: (ctx.state.auth ?? null) as AuthFor<K>,
        params: params as never,
        query: query as never,
        body: body as never,
        deps: this.deps,
        ctx,
        setStatus: (s) => {
          if (!spec.alsoStatus?.[s]) throw new Error(`status ${s} is not declared for ${spec.operationId}`);
          chosen = s;
        },
      });
      ctx.status = chosen;
      ctx.body = result;
    });
    this.router[spec.method](spec.path, ...(chain as RouterMiddleware[]));
  }

  private document(
    spec: RouteSpec<AuthKind, AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined, z.ZodType>,
  ): void {
    const platform = platformDocs(spec.method, spec.auth);
    // Every route rejects unknown query parameters and (without a body schema) any body: 400.
    const errorStatuses = new Set<number>([
      ...(spec.auth !== 'none' ? [401] : []),
      400,
      500,
      ...platform.errors,
      ...(spec.errors ?? []),
    ]);
    const responses: RouteConfig['responses'] = {
      [spec.status ?? 200]: {
        description: spec.responseDescription ?? 'OK',
        content: { [spec.contentType ?? 'application/json']: { schema: spec.response } },
        ...(platform.successHeaders ? { headers: platform.successHeaders } : {}),
      },
    };
    for (const [s, description] of Object.entries(spec.alsoStatus ?? {})) {
      responses[s] = { description, content: { 'application/json': { schema: spec.response } } };
    }
    for (const s of [...errorStatuses].sort()) {
      responses[s] = {
        description: ERROR_DESCRIPTIONS[s] ?? 'Error',
        content: { 'application/json': { schema: spec.errorSchemas?.[s] ?? ErrorSchema } },
        ...(platform.errorHeaders(s) ? { headers: platform.errorHeaders(s) } : {}),
      };
    }
    this.registry.registerPath({
      method: spec.method,
      path: (this.prefix + spec.path).replace(/:([A-Za-z_]+)/g, '{$1}'),
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security:
        spec.auth === 'api_key' ? [{ bearerAuth: [] }] : spec.auth === 'dashboard' ? [{ sessionCookie: [] }] : [],
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body
          ? { body: { content: { 'application/json': { schema: spec.body } }, required: bodyRequired(spec.body) } }
          : {}),
        ...(platform.requestHeaders ? { headers: platform.requestHeaders } : {}),
      },
      responses,
    });
  }
}
