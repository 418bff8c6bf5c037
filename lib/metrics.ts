// Prometheus metrics (prom-client). One registry per process part (API app, worker), never the
// global one, so two in one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db';

export function createRegistry(opts: { defaults?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry });
  return registry;
}

export function httpMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'wth_http_requests_total',
      help: 'HTTP requests answered, by method, route (the pattern, not the URL) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'wth_http_request_duration_seconds',
      help: 'HTTP request latency, by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export function deliveryMetrics(registry: Registry) {
  return {
    attempts: new Counter({
      name: 'wth_delivery_attempts_total',
      help: 'Delivery attempt activities by result (succeeded, failed_attempt, deferred, endpoint_disabled, delivery_missing).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'wth_deliveries_settled_total',
      help: 'Deliveries that reached a final status, by outcome (succeeded, failed).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'wth_delivery_attempt_duration_seconds',
      help: 'Delivery attempt activity latency (sign, POST, record), by result.',
      labelNames: ['result'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
export type DeliveryMetrics = ReturnType<typeof deliveryMetrics>;

/** Committed events whose workflow has not been started yet (the outbox), read on each scrape. */
export function outboxBacklogGauge(registry: Registry, db: Db): Gauge {
  return new Gauge({
    name: 'wth_outbox_backlog',
    help: 'Committed events whose workflow has not been started yet.',
    registers: [registry],
    async collect() {
      const row = await db('events').whereNull('workflow_started_at').count({ n: '*' }).first();
      this.set(Number(row?.n ?? 0));
    },
  });
}
