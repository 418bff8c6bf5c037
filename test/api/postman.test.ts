// The served Postman collection, run as a dealer would run it: newman, top to bottom, against
// the real API with a fresh dealer's test key and a webhook receiver on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { client } from '../helpers/http';
import { makeListing } from '../helpers/domain';
import { startReceiver, type Receiver } from '../helpers/receiver';
import { createTestDealer, startTestApi, type TestApi } from '../helpers/stack';

type Json = Record<string, any>;

interface NewmanSummary {
  run: {
    stats: { assertions: { total: number; failed: number }; requests: { total: number; failed: number } };
    failures: { error: { name: string; message: string; test?: string }; source?: { name?: string } }[];
    executions: { item: { name: string }; request: { url: { toString(): string } }; requestError?: unknown }[];
  };
}

// newman ships no types; its run() is all this test needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newman = require('newman') as { run(opts: Json, cb: (err: Error | null, summary: NewmanSummary) => void): void };

let api: TestApi;
let receiver: Receiver;

before(async () => {
  api = await startTestApi({ TEMPORAL_TASK_QUEUE: `wth-postman-${process.pid}` });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await api.close();
});

test('the served Postman collection runs top to bottom with newman: every request tested, 0 failures', async (t) => {
  const d = await createTestDealer(api.deps.db, 'Postman');
  await makeListing(api.deps, d.dealer.id);
  const collection = (await client(api.url).get('/openapi/v1.postman.json')).body as Json;

  // Nothing in it points anywhere but the variables the dealer sets.
  const urls = JSON.stringify(collection).match(/https?:\/\/[^"\\\s]+/g) ?? [];
  assert.deepEqual(
    urls.filter((u) => !u.startsWith('https://schema.getpostman.com/') && !u.startsWith('http://127.0.0.1')),
    [],
  );
  for (const item of collection.item as Json[]) {
    assert.ok(
      item.event?.some((e: Json) => e.listen === 'test' && e.script.exec.join('\n').includes('pm.test(')),
      `${item.name} has a test`,
    );
  }

  const summary = await new Promise<NewmanSummary>((resolve, reject) =>
    newman.run(
      {
        collection,
        envVar: [
          { key: 'baseUrl', value: api.url },
          { key: 'apiKey', value: d.keys.test.key },
          { key: 'webhookUrl', value: receiver.url },
        ],
        reporters: [],
        timeoutRequest: 15_000,
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  const { stats, failures, executions } = summary.run;
  t.diagnostic(`${executions.length} requests run, ${stats.assertions.total} assertions, ${failures.length} failures`);
  assert.deepEqual(
    failures.map((f) => `${f.source?.name}: ${f.error.test ?? f.error.name}: ${f.error.message}`),
    [],
  );
  assert.ok(stats.assertions.total > 0);
  // Every v1 operation ran, each against the API under test; only a delivery's own requests may
  // be skipped: no worker runs here, so no delivery exists for them to read.
  const ran = new Set(executions.map((e) => e.item.name));
  const skipped = (collection.item as Json[]).filter((i) => !ran.has(i.name)).map((i) => i.request.url.raw);
  assert.ok(
    skipped.every((u: string) => u.includes('/deliveries/:id')),
    `skipped: ${skipped.join(', ')}`,
  );
  for (const e of executions) assert.ok(e.request.url.toString().startsWith(api.url), e.request.url.toString());
});
