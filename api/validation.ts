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
