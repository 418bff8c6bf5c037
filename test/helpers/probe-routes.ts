// A v1 POST route that exists only in tests: it sits behind the real platform middleware
// (auth, rate limit, Idempotency-Key, body rules, validation) and counts how often its handler
// really ran, so replays can be told apart from re-executions.
import { z } from '../../api/openapi/zod';
import { ApiError } from '../../api/errors';
import type { ApiRouter } from '../../api/route';

export interface Probe {
  calls: number;
  register(r: ApiRouter): void;
}

export function probeRoutes(): Probe {
  const probe: Probe = {
    calls: 0,
    register(r) {
      r.add({
        method: 'post',
        path: '/probe',
        operationId: 'testProbe',
        summary: 'Test-only probe',
        tags: ['Test probe'],
        auth: 'api_key',
        body: z.object({ name: z.string(), outcome: z.enum(['ok', 'conflict', 'crash']).optional() }),
        response: z.object({ object: z.literal('probe'), name: z.string(), call: z.number().int() }),
        errors: [409, 500],
        handler: async ({ body }) => {
          probe.calls += 1;
          if (body.outcome === 'crash') throw new Error('probe crashed');
          if (body.outcome === 'conflict')
            throw new ApiError(409, 'conflict_error', 'probe_conflict', 'Probe conflict.');
          return { object: 'probe' as const, name: body.name, call: probe.calls };
        },
      });
    },
  };
  return probe;
}
