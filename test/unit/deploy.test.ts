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
  ports?: string[];
  healthcheck?: { test?: string[] | string };
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };

const SUBSTITUTE: Record<string, string> = {
  SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  PUBLIC_BASE_URL: 'https://api.example.com',
  POSTGRES_PASSWORD: 'pw',
  TEMPORAL_DB_PASSWORD: 'pw2',
};
const interpolate = (v: string) =>
  v.replace(/\$\{([A-Z_]+)(:[?-][^}]*)?\}/g, (_, name: string) => SUBSTITUTE[name] ?? `<unset ${name}>`);

test('compose: api, worker and migrate get an environment the config module accepts', () => {
  for (const name of ['api', 'worker', 'migrate']) {
    const env = Object.fromEntries(
      Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
    );
    const config = parseConfig(env);
    assert.equal(config.WTH_ENV, 'production', name);
    assert.equal(config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false, name);
    assert.equal(config.DATABASE_URL, 'postgres://wth:pw@postgres:5432/wth', name);
    assert.equal(config.TEMPORAL_ADDRESS, 'temporal:7233', name);
    assert.equal(config.PUBLIC_BASE_URL, 'https://api.example.com', name);
  }
});

test('compose: passwords, the key and the public URL come from the environment, without defaults', () => {
  const text = read('docker-compose.yml');
  for (const name of ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'SECRETS_ENCRYPTION_KEY', 'PUBLIC_BASE_URL']) {
    assert.match(text, new RegExp(`\\$\\{${name}:\\?`), `${name} is required`);
    assert.doesNotMatch(text, new RegExp(`\\$\\{${name}:-`), `${name} has no default`);
  }
  assert.doesNotMatch(text, /wth:wth|PASSWORD: (wth|temporal)\b|PWD: temporal\b/);
  assert.doesNotMatch(read('deploy/postgres/init-temporal-role.sh'), /PASSWORD '[^']/);
  // Every service reading a password gets it from an interpolated variable.
  for (const [name, svc] of Object.entries(compose.services)) {
    for (const [k, v] of Object.entries(svc.environment ?? {})) {
      if (/PASSWORD|PWD/.test(k)) assert.match(String(v), /^\$\{[A-Z_]+:\?/, `${name}.${k}`);
    }
  }
});

test('compose: Temporal is not published on the host by default; the ops override binds loopback only', () => {
  for (const name of ['temporal', 'temporal-ui', 'postgres']) {
    assert.equal(compose.services[name]?.ports, undefined, `${name} publishes ports`);
  }
  const ops = parse(read('deploy/compose.ops.yml')) as { services: Record<string, Service> };
  for (const svc of Object.values(ops.services)) {
    for (const p of svc.ports ?? []) assert.match(p, /^127\.0\.0\.1:/);
  }
});

test('compose: api and worker run the compiled build as PID 1, with health checks', () => {
  assert.deepEqual(compose.services.api?.command, ['node', '--enable-source-maps', 'dist/api/server.js']);
  assert.deepEqual(compose.services.worker?.command, ['node', '--enable-source-maps', 'dist/worker/main.js']);
  assert.ok(compose.services.api?.healthcheck?.test, 'api health check');
  const workerCheck = JSON.stringify(compose.services.worker?.healthcheck?.test ?? '');
  assert.match(workerCheck, /dist\/worker\/main\.js/, 'worker health check names the worker process');
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

test('compose: every mounted file exists', () => {
  for (const svc of Object.values(compose.services)) {
    for (const v of svc.volumes ?? []) {
      const src = v.split(':')[0] as string;
      if (src.startsWith('./')) assert.ok(fs.existsSync(path.join(ROOT, src)), `${src} is mounted but missing`);
    }
  }
});

test('Dockerfile: a build stage compiles every source folder; the runtime has dist/ and prod deps only', () => {
  const [build = '', runtime = ''] = read('Dockerfile')
    .split(/^FROM /m)
    .slice(1);
  assert.match(build, /^node:24[.\d]*-/, 'build on Node 24');
  assert.match(runtime, /^node:24[.\d]*-/, 'run on Node 24');
  for (const dir of ['lib', 'domain', 'api', 'workflows', 'activities', 'worker', 'migrations', 'cli', 'web']) {
    assert.match(build, new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'), `the build stage does not copy ${dir}/`);
  }
  assert.match(build, /scripts\/build\.ts/);
  assert.match(runtime, /npm ci --omit=dev/);
  assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
  assert.doesNotMatch(runtime, /^COPY (?!--from=build|package)/m, 'the runtime copies sources');
  assert.doesNotMatch(runtime, /tsx/);
  assert.match(runtime, /^HEALTHCHECK /m);
  assert.match(runtime, /^CMD \["node", "--enable-source-maps", "dist\/api\/server\.js"\]$/m);
  const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
  assert.equal(pkg.dependencies.tsx, undefined, 'tsx is for development only');
});
