// docker-compose.yml cannot run here (no Docker engine), so keep it honest with checks that can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../lib/config';
import { SA } from '../../lib/temporal/contract';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

interface Service {
  environment?: Record<string, string>;
  command?: string[] | string;
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };

test('compose: api, worker and migrate get an environment the config module accepts', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  for (const name of ['api', 'worker', 'migrate']) {
    const env = Object.fromEntries(
      Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [
        k,
        String(v).replace(/\$\{[A-Z_]+(:[?-][^}]*)?\}/g, (m) =>
          m.includes('SECRETS') ? key : 'http://localhost:3000',
        ),
      ]),
    );
    const config = parseConfig(env);
    assert.equal(config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false, name);
    assert.match(config.DATABASE_URL, /@postgres:5432\//, name);
    assert.equal(config.TEMPORAL_ADDRESS, 'temporal:7233', name);
  }
});

test('compose: the namespace script registers exactly the search attributes the code uses', () => {
  const script = read('deploy/temporal/create-namespace.sh');
  const keywords = /for attr in ([A-Za-z ]+); do/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
  const bools = [...script.matchAll(/--name (\w+) --type Bool/g)].map((m) => m[1]);
  const expected = Object.values(SA);
  assert.deepEqual(
    [...keywords.map((n) => `${n}:KEYWORD`), ...bools.map((n) => `${n}:BOOL`)].sort(),
    expected.map((k) => `${k.name}:${k.type}`).sort(),
  );
});

test('compose: every mounted file exists and the image copies every source folder', () => {
  for (const svc of Object.values(compose.services)) {
    for (const v of svc.volumes ?? []) {
      const src = v.split(':')[0] as string;
      if (src.startsWith('./')) assert.ok(fs.existsSync(path.join(ROOT, src)), `${src} is mounted but missing`);
    }
  }
  const dockerfile = read('Dockerfile');
  for (const dir of ['lib', 'domain', 'api', 'workflows', 'activities', 'worker', 'migrations', 'cli', 'bin']) {
    assert.match(dockerfile, new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'), `Dockerfile does not copy ${dir}/`);
  }
});
