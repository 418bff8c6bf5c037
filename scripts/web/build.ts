// Builds the dealer dashboard (web/) into dist/web: hashed, minified ES modules under assets/
// and an index.html that references them (no inline script, so the CSP can forbid inline).
//   npm run build:web         build now and report the initial JavaScript size
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');
export const WEB_SRC = path.join(ROOT, 'web');
export const WEB_OUT = path.join(ROOT, 'dist', 'web');
/** The budget the issue sets for JavaScript the first page load needs, gzipped. */
export const INITIAL_JS_BUDGET_BYTES = 150 * 1024;

export interface WebBuildReport {
  outDir: string;
  initialJs: { file: string; gzipBytes: number }[];
  initialJsGzipBytes: number;
  lazyJsGzipBytes: number;
  referenceRendererGzipBytes: number;
}

/** Inputs whose change makes the bundle stale: the sources, this script, the lockfile. */
function newestInputMtime(): number {
  const walk = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? walk(p) : fs.statSync(p).mtimeMs);
    }, 0);
  return Math.max(
    walk(WEB_SRC),
    fs.statSync(__filename).mtimeMs,
    fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs,
  );
}

export function webBundleIsStale(outDir = WEB_OUT): boolean {
  const index = path.join(outDir, 'index.html');
  return !fs.existsSync(index) || fs.statSync(index).mtimeMs < newestInputMtime();
}

const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

export async function buildWeb(outDir = WEB_OUT): Promise<WebBuildReport> {
  // Built next to the target and renamed into place, so a running server never sees half a bundle.
  const tmp = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: path.join(WEB_SRC, 'src', 'main.tsx') },
    outdir: path.join(tmp, 'assets'),
    publicPath: '/assets',
    bundle: true,
    splitting: true, // pages loaded with import() become their own chunks
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(WEB_SRC, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });

  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((o) => outputs[o]?.entryPoint && o.endsWith('.js'));
  if (!entry) throw new Error('esbuild produced no entry chunk');
  const css = outputs[entry]?.cssBundle;

  // Initial JS: the entry and every chunk it imports statically (transitively).
  const initial = new Set<string>();
  const visit = (o: string) => {
    if (initial.has(o)) return;
    initial.add(o);
    for (const imp of outputs[o]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
  };
  visit(entry);
  const allJs = Object.keys(outputs).filter((o) => o.endsWith('.js'));
  const abs = (o: string) => path.join(ROOT, o);
  const initialJs = [...initial].map((o) => ({ file: path.basename(o), gzipBytes: gzipSize(abs(o)) }));
  const lazyJsGzipBytes = allJs.filter((o) => !initial.has(o)).reduce((n, o) => n + gzipSize(abs(o)), 0);

  const url = (o: string) => `/assets/${path.basename(o)}`;
  const renderer = copyReferenceRenderer(path.join(tmp, 'assets'));
  const template = fs.readFileSync(path.join(WEB_SRC, 'index.html'), 'utf8');
  const head = [
    ...(css ? [`<link rel="stylesheet" href="${url(css)}">`] : []),
    ...[...initial].filter((o) => o !== entry).map((o) => `<link rel="modulepreload" href="${url(o)}">`),
    `<script type="module" src="${url(entry)}"></script>`,
    `<meta name="wth-reference-renderer" content="/assets/${renderer.file}">`,
  ].join('\n    ');
  if (!template.includes('<!--assets-->')) throw new Error('web/index.html lacks the <!--assets--> marker');
  fs.writeFileSync(path.join(tmp, 'index.html'), template.replace('<!--assets-->', head));

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(tmp, outDir);
  return {
    outDir,
    initialJs,
    initialJsGzipBytes: initialJs.reduce((n, f) => n + f.gzipBytes, 0),
    lazyJsGzipBytes,
    referenceRendererGzipBytes: renderer.gzipBytes,
  };
}

/**
 * The API reference's renderer: Redoc's own prebuilt standalone bundle, copied (content-hashed)
 * into the assets. Loaded by the reference page only, so it never counts toward the app's
 * initial JavaScript; re-bundling it through esbuild would gain nothing.
 */
function copyReferenceRenderer(assetsDir: string): { file: string; gzipBytes: number } {
  const src = require.resolve('redoc/bundles/redoc.standalone.js');
  // Its attribution logo is the one thing it would fetch from another origin (Redocly's CDN);
  // the copy points it at an empty data: URL, which fails quietly and shows no logo.
  const bytes = Buffer.from(
    fs.readFileSync(src, 'utf8').replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', 'data:,'),
    'utf8',
  );
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();
  const file = `redoc.standalone-${hash}.js`;
  fs.mkdirSync(assetsDir, { recursive: true });
  fs.writeFileSync(path.join(assetsDir, file), bytes);
  return { file, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Builds, prints the sizes, and throws when the initial JavaScript is over budget. */
export async function buildWebAndReport(log: (msg: string) => void, outDir = WEB_OUT): Promise<WebBuildReport> {
  const started = Date.now();
  const report = await buildWeb(outDir);
  log(
    `dashboard built in ${Date.now() - started} ms: initial JS ${kb(report.initialJsGzipBytes)} gzipped ` +
      `(budget ${kb(INITIAL_JS_BUDGET_BYTES)}; ${report.initialJs.map((f) => `${f.file} ${kb(f.gzipBytes)}`).join(', ')}), ` +
      `lazy chunks ${kb(report.lazyJsGzipBytes)} gzipped, API reference renderer ${kb(report.referenceRendererGzipBytes)} gzipped (its page only)`,
  );
  if (report.initialJsGzipBytes > INITIAL_JS_BUDGET_BYTES) {
    throw new Error(
      `initial JavaScript is ${kb(report.initialJsGzipBytes)} gzipped, over the ${kb(INITIAL_JS_BUDGET_BYTES)} budget: ` +
        'load big pages with import() so they become lazy chunks',
    );
  }
  return report;
}

/** For npm start / npm test: rebuild only when a source is newer than the bundle. */
export async function ensureWebBundle(log: (msg: string) => void, outDir = WEB_OUT): Promise<void> {
  if (!webBundleIsStale(outDir)) {
    log('dashboard bundle is up to date');
    return;
  }
  await buildWebAndReport(log, outDir);
}

if (require.main === module) {
  buildWebAndReport((msg) => process.stdout.write(`[web] ${msg}\n`)).catch((err) => {
    process.stderr.write(`[web] build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
