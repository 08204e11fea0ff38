/**
 * The web page's files: our own from `web/` (shipped with the package) and uPlot from its
 * installed package, so the page works offline with no build step and no CDN.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  path: string;
  contentType: string;
}

// src/feed and dist/feed are both two levels below the package root, where web/ lives.
const webFile = (name: string): string => fileURLToPath(new URL(`../../web/${name}`, import.meta.url));
const packageFile = (specifier: string): string => createRequire(import.meta.url).resolve(specifier);

const ASSETS: ReadonlyMap<string, () => Asset> = new Map([
  ['/', () => ({ path: webFile('index.html'), contentType: 'text/html; charset=utf-8' })],
  ['/app.js', () => ({ path: webFile('app.js'), contentType: 'text/javascript; charset=utf-8' })],
  ['/chart.js', () => ({ path: webFile('chart.js'), contentType: 'text/javascript; charset=utf-8' })],
  ['/table.js', () => ({ path: webFile('table.js'), contentType: 'text/javascript; charset=utf-8' })],
  ['/app.css', () => ({ path: webFile('app.css'), contentType: 'text/css; charset=utf-8' })],
  ['/vendor/uPlot.iife.min.js', () => ({ path: packageFile('uplot/dist/uPlot.iife.min.js'), contentType: 'text/javascript; charset=utf-8' })],
  ['/vendor/uPlot.min.css', () => ({ path: packageFile('uplot/dist/uPlot.min.css'), contentType: 'text/css; charset=utf-8' })],
]);

export function findAsset(pathname: string): Asset | undefined {
  return ASSETS.get(pathname)?.();
}

/**
 * Scripts and styles from this server only, connections back to it only: even if a log line's
 * text ever reached the DOM as HTML, nothing it carried could run or call out.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
