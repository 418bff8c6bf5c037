// `npm run cluster` runs docker-compose.yml's topology as local processes; these checks keep the
// two reading the same files and versions (the Go build itself is too slow for the suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  NUM_HISTORY_SHARDS,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
  renderTemplate,
} from '../../scripts/stack/temporal-server';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const template = read('deploy/temporal/server/local-postgres.yaml');
const placeholders = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1] as string))];

test('cluster: the server config renders, with several shards, no archival and compose dynamic config', () => {
  const rendered = renderTemplate(
    template,
    Object.fromEntries(placeholders.map((k) => [k, k === 'DYNAMIC_CONFIG_FILE' ? '/x/production-sql.yaml' : 1234])),
  );
  const config = parse(rendered) as {
    persistence: { numHistoryShards: number; datastores: Record<string, { sql: { pluginName: string } }> };
    archival?: unknown;
    dynamicConfigClient: { filepath: string };
  };
  assert.ok(config.persistence.numHistoryShards > 1);
  assert.equal(String(config.persistence.numHistoryShards), '1234');
  assert.ok(NUM_HISTORY_SHARDS > 1);
  assert.equal(config.archival, undefined, 'a disabled archival block with providers fails validation');
  for (const ds of Object.values(config.persistence.datastores)) assert.equal(ds.sql.pluginName, 'postgres12');
  assert.throws(() => renderTemplate('${NOPE}', {}), /NOPE/);

  const temporal = compose.services.temporal as Service;
  assert.equal(temporal.environment?.DB, 'postgres12');
  const mounted = path.basename(temporal.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '');
  assert.equal(path.basename(config.dynamicConfigClient.filepath), mounted);
  assert.ok(fs.existsSync(path.join(ROOT, 'deploy/temporal/dynamicconfig', mounted)));
  assert.ok(
    temporal.volumes?.some((v) => v.startsWith('./deploy/temporal/dynamicconfig:')),
    'compose mounts the dynamic config the cluster reads',
  );
});

test('cluster: the same Temporal role, setup and namespace scripts as compose', () => {
  const schema = compose.services['temporal-schema'] as Service;
  const ns = compose.services['temporal-namespace'] as Service;
  for (const s of [schema, ns]) assert.ok(s.volumes?.some((v) => v.startsWith('./deploy/temporal:')));
  assert.equal(schema.environment?.POSTGRES_USER, 'temporal');
  const postgres = compose.services.postgres as Service;
  const initScript = 'deploy/postgres/init-temporal-role.sh';
  assert.ok(
    postgres.volumes?.some((v) => v.startsWith(`./${initScript}:`)),
    'compose runs the role script',
  );
  assert.match(read(initScript), /CREATE ROLE temporal\b/);
  assert.match(read('scripts/stack/temporal-server.ts'), /'init-temporal-role\.sh'/, 'the cluster runs it too');
  assert.match(read('deploy/temporal/setup-postgres.sh'), /\$\{SCHEMA_DIR:-/);
});

test('cluster: pinned versions match the images compose runs (same minor for the server)', () => {
  const minor = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).join('.');
  const tag = (svc: string) => (compose.services[svc]?.image ?? '').split(':')[1] ?? '';
  assert.equal(minor(tag('temporal')), minor(TEMPORAL_SERVER_VERSION));
  assert.equal(minor(tag('temporal-schema')), minor(TEMPORAL_SERVER_VERSION));
  assert.equal(tag('temporal-ui'), TEMPORAL_UI_VERSION.replace(/^v/, ''));
});
