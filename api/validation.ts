import { z } from 'zod';
import { ValidationError } from './errors';

/** `items[3].email` style path, as a dealer's engineer would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

export function zodIssueToError(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): ValidationError {
  if (issue.code === 'unrecognized_keys') {
    const param = formatPath([...prefix, ...issue.path, issue.keys[0] as string]);
    return new ValidationError(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
  }
  const param = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return new ValidationError(`Missing required param: ${param}.`, param, 'parameter_missing');
  }
  return new ValidationError(`Invalid ${param || 'request'}: ${issue.message}`, param || undefined);
}

/** Validates with zod; the first problem becomes a 400 naming the field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw zodIssueToError(r.error.issues[0] as z.core.$ZodIssue, prefix);
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
