/**
 * Builds the encoder diagnostics page on its own (never part of the app's build) and serves it,
 * cross-origin isolated like the app, for bench/encoder.ts and e2e/encoder.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build, defaultClientConditions, preview } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, 'node_modules/.cache/loupe-harness');
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Builds harness/encoder.html (with public/: bundled models and ORT's runtime files) into node_modules/.cache. */
export async function buildHarness(): Promise<string> {
  // ORT's runtime files come from node_modules into public/ort/, as before the app's own build.
  execFileSync(process.execPath, [join(ROOT, 'scripts/copy-ort-assets.mjs')], { stdio: 'ignore' });
  await build({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    base: './',
    worker: { format: 'es' },
    resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'] },
    build: {
      target: 'es2022',
      outDir: OUT_DIR,
      emptyOutDir: true,
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: { encoder: join(ROOT, 'harness/encoder.html') } },
    },
  });
  return OUT_DIR;
}

/** Builds and serves the harness; `url` is the page's address. */
export async function serveHarness(): Promise<{ url: string; close(): Promise<void> }> {
  const outDir = await buildHarness();
  const server = await preview({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', headers: ISOLATION },
  });
  const base = server.resolvedUrls?.local[0] ?? '';
  return {
    url: `${base}harness/encoder.html`,
    close: () => new Promise<void>((done) => server.httpServer.close(() => done())),
  };
}
