// The worker's own small HTTP server, for orchestrators and Prometheus: GET /healthz answers
// 200 while the worker is running (503 otherwise), GET /metrics the worker's metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { Registry } from 'prom-client';
import type { Logger } from '../lib/logger';

export async function startWorkerHttp(deps: {
  worker: Pick<Worker, 'getState'>;
  registry: Registry;
  logger: Logger;
  host: string;
  port: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' })
        .end('{"status":"method_not_allowed"}');
      return;
    }
    if (path === '/healthz') {
      const state = deps.worker.getState();
      const ok = state === 'RUNNING';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', worker: state }));
      return;
    }
    if (path === '/metrics') {
      deps.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': deps.registry.contentType }).end(body),
        (err: unknown) => {
          deps.logger.warn({ err }, 'metrics collection failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed');
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":"not_found"}');
  });
  server.listen(deps.port, deps.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
