import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { installRuntime } from './runtime';

// The sources under tsx, the compiled dist/ otherwise (production uses the prebuilt bundle).
export const workflowsPath = require.resolve('../workflows');

/** Shared by worker/main.ts and the tests, so both run exactly the same worker. */
export async function createWorker(deps: ActivityDeps): Promise<{
  worker: Worker;
  connection: NativeConnection;
}> {
  const { config } = deps;
  installRuntime(deps.logger);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(config.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath }),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // Delivery attempts run as local activities: the same bound applies to them.
    maxConcurrentLocalActivityExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    // On SIGTERM, in-flight activities get this long to finish before they are cancelled and
    // left to Temporal's retry on another worker.
    shutdownGraceTime: '15 seconds',
  });
  return { worker, connection };
}
