import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets onnxruntime-web use two WASM threads; static hosts without these
// headers still work, single-threaded.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const root = import.meta.dirname;
const pages: Record<string, string> = { main: resolve(root, 'index.html') };
// The encoder diagnostics page (device, backend, parity checks) ships beside the app.
if (existsSync(resolve(root, 'harness/encoder.html'))) pages.encoder = resolve(root, 'harness/encoder.html');

export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  // The encoder loads ORT's wasm from dist/ort/ (scripts/copy-ort-assets.mjs); without this
  // condition the ORT bundle would also emit its own 26 MB copy into assets/.
  resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'] },
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000, rollupOptions: { input: pages } },
});
