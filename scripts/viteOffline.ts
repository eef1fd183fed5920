/**
 * The build's offline and privacy parts (issue 11), kept out of vite.config.ts: the service worker
 * (vite-plugin-pwa, injectManifest: src/sw/serviceWorker.ts) with what it precaches, and the
 * Content-Security-Policy meta tag of the built page (not in dev: Vite's dev server injects inline
 * scripts a strict policy would block).
 */
import type { PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Hosts a Hub model is fetched from, the one exception to "this origin only" (chosen by the analyst). */
export const HUB_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // WebAssembly (ONNX Runtime) needs wasm-unsafe-eval; no other script than the app's own files.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  `connect-src 'self' blob: data: ${HUB_HOSTS.join(' ')}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/**
 * Files the service worker precaches: the app, the bundled model, the demo log, and the ORT build
 * that runs on every machine (SIMD-threaded WASM). The WebGPU build (asyncify, 27 MB) is cached by
 * the worker the first time a WebGPU machine loads it, so a first visit fetches one runtime.
 */
export const PRECACHE_GLOBS = [
  '*.{js,html,svg}',
  'assets/**/*.{js,css,svg}',
  'ort/ort-wasm-simd-threaded.{mjs,wasm}',
  'models/**/{config,tokenizer,tokenizer_config}.json',
  'models/**/*.onnx',
  'samples/demo.log',
  'samples/demo.labels.csv',
];

function contentSecurityPolicy(): PluginOption {
  return {
    name: 'loupe-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(
          /(<meta charset="[^"]*" \/>)/i,
          `$1\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
        ),
    },
  };
}

export function offlinePlugins(): PluginOption[] {
  return [
    contentSecurityPolicy(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'serviceWorker.ts',
      // registerSW.js, a file of this origin: the CSP allows it where an inline script would not be.
      injectRegister: 'script',
      registerType: 'autoUpdate',
      manifest: false,
      injectManifest: {
        globPatterns: PRECACHE_GLOBS,
        globIgnores: ['**/README.md'],
        // The model (12 MB) and the runtime (14 MB) are single files.
        maximumFileSizeToCacheInBytes: 32 * 2 ** 20,
      },
      devOptions: { enabled: false },
    }),
  ];
}
