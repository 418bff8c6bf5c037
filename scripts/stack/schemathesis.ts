// Schemathesis (PyPI) for the property-based fuzz of the served OpenAPI document, pinned and
// installed into .tools/ on first use, the way the Temporal CLI is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SCHEMATHESIS_VERSION = '4.32.5';

export interface PythonTool {
  python: string;
  /** PYTHONPATH that makes `python -m schemathesis.cli` work. */
  pythonPath: string;
}

function python(): string {
  const found = spawnSync('sh', ['-c', 'command -v python3 || command -v python'], { encoding: 'utf8' });
  const py = found.stdout.trim().split('\n')[0];
  if (!py) throw new Error('python3 is needed to run schemathesis (the API fuzz)');
  return py;
}

export function ensureSchemathesis(root: string): PythonTool {
  const target = path.join(root, '.tools', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const py = python();
  if (!fs.existsSync(path.join(target, 'schemathesis'))) {
    process.stdout.write(`[stack] installing schemathesis==${SCHEMATHESIS_VERSION} into .tools/ ...\n`);
    const tmp = `${target}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const r = spawnSync(
      py,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-warn-script-location',
        '--target',
        tmp,
        `schemathesis==${SCHEMATHESIS_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('pip install schemathesis failed');
    fs.renameSync(tmp, target);
  }
  return { python: py, pythonPath: target };
}
