// The Temporal ceiling: completions per second of a one-no-op-activity workflow on the same
// dev server, with a worker in this process tuned like ours, on its own task queue.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../../lib/logger';
import { installRuntime } from '../../worker/runtime';
import { ceilingActivities } from '../ceiling/activities';

export interface CeilingResult {
  workflowsPerSecond: number;
  completed: number;
  failed: number;
  seconds: number;
  concurrency: number;
}

export async function measureTemporalCeiling(opts: {
  address: string;
  seconds: number;
  concurrency: number;
  warmupSeconds?: number;
}): Promise<CeilingResult> {
  installRuntime(createLogger({ level: 'warn', name: 'bench-ceiling' }));
  const taskQueue = `bench-ceiling-${process.pid}-${Date.now().toString(36)}`;
  const nativeConnection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: path.join(__dirname, '..', 'ceiling', 'workflows.ts'),
    activities: ceilingActivities,
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 40,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection });
  let completed = 0;
  let failed = 0;
  try {
    // Warm: one workflow all the way through (worker polling, caches) before the clock starts,
    // so a slow cold start on a loaded machine is not counted as throughput.
    await client.workflow.execute('ceilingWorkflow', { taskQueue, workflowId: `ceiling-${randomUUID()}` });
    const warmupEnd = Date.now() + (opts.warmupSeconds ?? 1) * 1000;
    const start = warmupEnd;
    const end = start + opts.seconds * 1000;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (Date.now() < end) {
          try {
            await client.workflow.execute('ceilingWorkflow', { taskQueue, workflowId: `ceiling-${randomUUID()}` });
            if (Date.now() >= start && Date.now() <= end) completed++;
          } catch {
            failed++;
          }
        }
      }),
    );
    return {
      workflowsPerSecond: Math.round((completed / opts.seconds) * 10) / 10,
      completed,
      failed,
      seconds: opts.seconds,
      concurrency: opts.concurrency,
    };
  } finally {
    worker.shutdown();
    await running;
    await Promise.allSettled([connection.close(), nativeConnection.close()]);
  }
}
