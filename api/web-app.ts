import fs from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

/**
 * Where `npm run build:web` (and npm start / npm test, and `npm run build`) put the dashboard
 * bundle: dist/web, whether this file runs from the sources (api/) or compiled (dist/api/).
 */
const up = path.resolve(__dirname, '..');
export const DEFAULT_WEB_BUNDLE_DIR =
  path.basename(up) === 'dist' ? path.join(up, 'web') : path.join(up, 'dist', 'web');

// The page runs only what this origin serves: no inline script or style, no other origin,
// no framing. Playwright's axe scan injects through DevTools, which CSP does not govern.
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The API reference page only: its renderer (Redoc) styles itself with inline <style> elements
 * (styled-components), so `style-src` also allows inline styles there. Scripts stay 'self'
 * only; the reference page is its own document (the SPA reloads into it) so no other page
 * ever runs under this policy.
 */
export const REFERENCE_CSP = DASHBOARD_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
const isReferencePage = (p: string) => p === '/reference' || p.startsWith('/reference/');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// Paths the SPA never owns: unknown ones there stay JSON 404s from the API.
const NOT_THE_APP = /^\/(api|openapi)(\/|$)|^\/(healthz|readyz)$/;

interface Bundle {
  indexMtimeMs: number;
  index: Buffer;
  assets: Map<string, Buffer>;
}

/** Reads the bundle into memory (it is small): no path from a URL ever reaches the filesystem. */
function loadBundle(dir: string): Bundle | null {
  const indexFile = path.join(dir, 'index.html');
  if (!fs.existsSync(indexFile)) return null;
  const assetsDir = path.join(dir, 'assets');
  const assets = new Map<string, Buffer>();
  for (const name of fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir) : []) {
    assets.set(name, fs.readFileSync(path.join(assetsDir, name)));
  }
  return { indexMtimeMs: fs.statSync(indexFile).mtimeMs, index: fs.readFileSync(indexFile), assets };
}

/**
 * Serves the dealer dashboard from the API process (same origin as /api/dashboard, so the
 * session cookie and CSRF token just work): hashed assets cached for a year, and index.html
 * for every other page path, never cached, with a strict Content-Security-Policy. Mounted
 * after the API routers, so it only sees requests they did not answer.
 */
export function webApp(bundleDir: string = DEFAULT_WEB_BUNDLE_DIR): Middleware {
  let bundle: Bundle | null = null;
  const current = (): Bundle | null => {
    // A rebuild (npm run build:web) replaces the directory; pick it up without a restart.
    const indexFile = path.join(bundleDir, 'index.html');
    const mtime = fs.existsSync(indexFile) ? fs.statSync(indexFile).mtimeMs : -1;
    if (!bundle || bundle.indexMtimeMs !== mtime) bundle = loadBundle(bundleDir);
    return bundle;
  };

  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_THE_APP.test(ctx.path)) return;

    ctx.set('X-Content-Type-Options', 'nosniff');
    const app = current();
    if (ctx.path.startsWith('/assets/')) {
      const asset = app?.assets.get(ctx.path.slice('/assets/'.length));
      if (!asset) {
        ctx.status = 404;
        ctx.type = 'text/plain';
        ctx.body = 'Not found';
        return;
      }
      ctx.status = 200;
      ctx.set('Content-Type', TYPES[path.extname(ctx.path)] ?? 'application/octet-stream');
      // Names carry a content hash: a changed file is a new URL.
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.body = asset;
      return;
    }
    // A file-like path that is not an asset (e.g. /favicon.ico) is not a page.
    if (path.extname(ctx.path)) return;

    ctx.set('Content-Security-Policy', isReferencePage(ctx.path) ? REFERENCE_CSP : DASHBOARD_CSP);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    if (!app) {
      ctx.status = 503;
      ctx.body =
        '<!doctype html><html lang="en"><title>Dashboard not built</title>' +
        '<p>The dashboard has not been built. Run <code>npm run build:web</code>.</p></html>';
      return;
    }
    ctx.status = 200;
    ctx.body = app.index;
  };
}
