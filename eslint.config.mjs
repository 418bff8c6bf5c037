import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noApi = {
  regex: '(^|/)api(/|$)',
  message: 'Only api/ may import api/: services throw domain errors (domain/errors) and never see HTTP.',
};
const noRuntime = {
  regex: '(^|/)(activities|workflows|worker)(/|$)',
  allowTypeImports: true,
  message: 'domain/ and lib/ never import the worker, activities or workflows at runtime (types only).',
};
const noDomain = {
  regex: '(^|/)domain(/|$)',
  message: 'lib/ is below domain/: it never imports it.',
};
/** Modules whose values workflow code may import (sandbox-safe, no I/O). */
const WORKFLOW_SAFE = [
  '@temporalio/workflow',
  '@temporalio/common',
  String.raw`\./[a-z-]+-workflow`,
  String.raw`\.\./lib/temporal/contract`,
  String.raw`\.\./lib/delivery-policy`,
];

export default tseslint.config(
  { ignores: ['node_modules', '.data', '.tools', 'dist', 'bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Layers point one way: api → domain → lib; worker and activities use domain and lib;
  // workflows see only types and pure constant/builder modules. Checked on the import string
  // (`regex` over relative paths), so each rule names the folder wherever it sits.
  {
    files: ['activities/**/*.ts', 'worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApi] }] },
  },
  {
    // Services and data access serve the API and the activities; they never reach back into
    // the runtime that runs them (types are fine).
    files: ['domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApi, noRuntime] }] },
  },
  {
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApi, noRuntime, noDomain] }] },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, nothing with
    // I/O. Values may come only from the workflow SDK, the SDK's shared types, sibling
    // workflows and the pure modules listed here; anything else is type-only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Node built-ins are not allowed in workflow code.' })),
          patterns: [
            noApi,
            {
              regex: `^(?!(${WORKFLOW_SAFE.join('|')})$)`,
              allowTypeImports: true,
              message:
                'Workflows import values only from @temporalio/workflow, @temporalio/common and pure modules (' +
                'lib/temporal/contract, lib/delivery-policy); use `import type` for anything else.',
            },
          ],
        },
      ],
    },
  },
);
