// Schemathesis (PyPI) for the property-based fuzz of the served OpenAPI document, pinned and
// installed into .tools/ on first use, the way the Temporal CLI is.
import fs from 'node:fs';
import path from 'node:path';
import { ensurePipTool, findPython } from './pip-tool';

export const SCHEMATHESIS_VERSION = '4.32.5';

export interface PythonTool {
  python: string;
  /** PYTHONPATH that makes `python -m schemathesis.cli` work. */
  pythonPath: string;
}

export function ensureSchemathesis(root: string): PythonTool {
  const target = ensurePipTool(root, 'schemathesis', SCHEMATHESIS_VERSION, (dir) =>
    fs.existsSync(path.join(dir, 'schemathesis')),
  );
  return { python: findPython('the API fuzz (schemathesis)'), pythonPath: target };
}
