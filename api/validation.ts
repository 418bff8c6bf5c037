import { z } from 'zod';
import { ValidationError } from './errors';

/** `items[3].email` style path, as a dealer's engineer would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

const ARTICLES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${ARTICLES[typeof value] ?? typeof value}`;
}

/** Whether the client sent anything at `path` (a key present with `null` counts as sent). */
function sentAt(input: unknown, path: readonly PropertyKey[]): { sent: boolean; value?: unknown } {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return { sent: false };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { sent: v !== undefined, value: v };
}

/**
 * One zod issue as the API's 400: `parameter_unknown` for a field the schema does not know,
 * `parameter_missing` only when the field is absent, otherwise `parameter_invalid` saying what
 * was expected and what was sent (a wrong type is never reported as missing).
 */
export function zodIssueToError(
  issue: z.core.$ZodIssue,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): ValidationError {
  if (issue.code === 'unrecognized_keys') {
    const param = formatPath([...prefix, ...issue.path, issue.keys[0] as string]);
    return new ValidationError(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
  }
  const param = formatPath([...prefix, ...issue.path]);
  const at = sentAt(input, issue.path);
  if (issue.code === 'invalid_type' && !at.sent) {
    return new ValidationError(`Missing required param: ${param}.`, param, 'parameter_missing');
  }
  const detail =
    issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')
      ? `expected ${ARTICLES[issue.expected] ?? issue.expected}, received ${describe(at.value)}`
      : issue.message;
  return new ValidationError(`Invalid ${param || 'request'}: ${detail}.`.replace(/\.\.$/, '.'), param || 'body');
}

/** Validates with zod; the first problem becomes a 400 naming the field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw zodIssueToError(r.error.issues[0] as z.core.$ZodIssue, input, prefix);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first key the client sent that the schema dropped, e.g. `items[0].colour`. zod objects
 * strip unknown keys silently; a typo'd field must instead be an error naming it, whatever
 * style (strict or not) the route's schema was written in.
 */
export function findUnknownKey(input: unknown, output: unknown, path: PropertyKey[] = []): string | null {
  if (Array.isArray(input) && Array.isArray(output) && input.length === output.length) {
    for (let i = 0; i < input.length; i++) {
      const found = findUnknownKey(input[i], output[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return null;
  for (const [k, v] of Object.entries(input)) {
    if (!(k in output)) return formatPath([...path, k]);
    const found = findUnknownKey(v, output[k], [...path, k]);
    if (found) return found;
  }
  return null;
}

/** parseOrThrow, and also a 400 for any field the schema does not know. */
export function parseStrictOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const data = parseOrThrow(schema, input);
  const unknown = findUnknownKey(input, data);
  if (unknown) throw new ValidationError(`Received unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
  return data;
}
