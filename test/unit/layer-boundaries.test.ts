// The lint rule that keeps layers pointing one way (eslint.config.mjs), run through ESLint's
// API on small sources placed at the paths they would have in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = 1;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message);
}

const refused = async (filePath: string, code: string) => {
  const messages = await restrictedImports(filePath, code);
  assert.ok(messages.length > 0, `${filePath}: ${code} should be refused`);
  return messages[0] as string;
};
const allowed = async (filePath: string, code: string) =>
  assert.deepEqual(await restrictedImports(filePath, code), [], `${filePath}: ${code} should be allowed`);

test('domain/ never imports api/, at any depth, even for an error class', async () => {
  const message = await refused(
    'domain/orders-x.ts',
    "import { NotFoundError } from '../api/errors';\nvoid NotFoundError;",
  );
  assert.match(message, /domain errors/);
  await refused('domain/webhooks/x.ts', "import { ApiError } from '../../api/errors';\nvoid ApiError;");
  await refused(
    'domain/webhooks/x.ts',
    "import type { AppDeps } from '../../api/deps';\nlet d: AppDeps | undefined;\nvoid d;",
  );
  await allowed('domain/webhooks/x.ts', "import { NotFoundError } from '../errors';\nvoid NotFoundError;");
  await allowed('domain/accounts/x.ts', "import { hashApiKey } from './api-keys';\nvoid hashApiKey;");
});

test('lib/, activities/ and worker/ never import api/; lib/ never imports domain/', async () => {
  await refused('lib/x.ts', "import { ApiError } from '../api/errors';\nvoid ApiError;");
  await refused('lib/temporal/x.ts', "import { NotFoundError } from '../../domain/errors';\nvoid NotFoundError;");
  await refused('activities/x.ts', "import { createApp } from '../api/app';\nvoid createApp;");
  await refused('worker/x.ts', "import { createApp } from '../api/app';\nvoid createApp;");
  await allowed(
    'worker/x.ts',
    "import { dispatchUnstartedEvents } from '../domain/events/outbox-relay';\nvoid dispatchUnstartedEvents;",
  );
  // The API is the top layer: it may import everything below it.
  await allowed('api/x.ts', "import { NotFoundError } from '../domain/errors';\nvoid NotFoundError;");
});

test('domain/ and lib/ import workflows, activities and worker code as types only', async () => {
  await refused(
    'domain/events/x.ts',
    "import { eventWorkflow } from '../../workflows/event-workflow';\nvoid eventWorkflow;",
  );
  await refused('lib/x.ts', "import { createActivities } from '../activities';\nvoid createActivities;");
  await allowed(
    'lib/temporal/x.ts',
    "import type { eventWorkflow } from '../../workflows/event-workflow';\nlet w: typeof eventWorkflow | undefined;\nvoid w;",
  );
});

test('workflows import values only from the workflow SDK and pure modules', async () => {
  await refused('workflows/x-workflow.ts', "import { createDb } from '../lib/db';\nvoid createDb;");
  await refused('workflows/x-workflow.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;");
  await refused('workflows/x-workflow.ts', "import { createActivities } from '../activities';\nvoid createActivities;");
  await refused('workflows/x-workflow.ts', "import { Client } from '@temporalio/client';\nvoid Client;");
  await allowed(
    'workflows/x-workflow.ts',
    [
      "import { sleep } from '@temporalio/workflow';",
      "import { SA } from '../lib/temporal/contract';",
      "import { jittered } from '../lib/delivery-policy';",
      "import type { createActivities } from '../activities';",
      "import { deliveryWorkflow } from './delivery-workflow';",
      'void sleep; void SA; void jittered; void deliveryWorkflow;',
      'let a: typeof createActivities | undefined;\nvoid a;',
    ].join('\n'),
  );
});
