// Deliveries wait on timers for days: a workflow code change that would not replay the
// histories already recorded breaks every delivery in flight. These histories were recorded
// from real runs (retry-after, a manual wake, a deferral, a 410, an event fan-out); changing
// the workflows incompatibly fails here (use `patched()` then). The `delivery-local-*` ones are
// the shape since attempts became local activities; the others, recorded before, must keep
// replaying for deliveries that were already running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { testConfig } from '../helpers/stack';
import { createLogger } from '../../lib/logger';
import { installRuntime } from '../../worker/runtime';

const config = testConfig();
installRuntime(createLogger({ level: config.LOG_LEVEL, name: 'replay-test' }));
const dir = path.join(__dirname, 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('recorded histories exist for both workflows', () => {
  assert.ok(files.some((f) => f.startsWith('event-')));
  assert.ok(files.filter((f) => f.startsWith('delivery-')).length >= 3);
  assert.ok(files.filter((f) => f.startsWith('delivery-local-')).length >= 2, 'attempts as local activities');
});

for (const file of files) {
  test(`replays ${file} without non-determinism`, async () => {
    const codePath = config.WORKFLOW_BUNDLE_PATH;
    assert.ok(codePath, 'tests run with a prebuilt workflow bundle');
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath } }, history, file);
  });
}
