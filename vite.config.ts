import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offlinePlugins } from './scripts/viteOffline';

// Cross-origin isolation lets onnxruntime-web use two WASM threads; static hosts without these
// headers still work, single-threaded.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  // offlinePlugins: the service worker (offline use, COOP/COEP on static hosts) and the CSP meta tag.
  plugins: [react(), ...offlinePlugins()],
  worker: { format: 'es' },
  // The encoder loads ORT's wasm from dist/ort/ (scripts/copy-ort-assets.mjs); without this
  // condition the ORT bundle would also emit its own 26 MB copy into assets/.
  resolve: { conditions: [...defaultClientConditions, 'onnxruntime-web-use-extern-wasm'] },
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  // The encoder diagnostics page (harness/) is not shipped: harness/serve.ts builds it for the
  // encoder benchmark and e2e on their own.
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
