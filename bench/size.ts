/**
 * `npm run bench:size` (issue 11 §7): the bytes a first visit to the built site transfers (the app,
 * the bundled model, one ONNX Runtime build), raw and gzip-compressed as a static host would send
 * them, and what the service worker precaches (the same list the build writes into it). Target:
 * a first visit under 15 MB gzip. Reads dist/ (run `npm run build` first). Prints JSON and writes
 * bench/results/size.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { getManifest } from 'workbox-build';
import { PRECACHE_GLOBS } from '../scripts/viteOffline';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const TARGET_GZIP_BYTES = 15 * 1e6;

/** The files the bundled encoder fetches (transformers.js asks for these three and the graph). */
const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'].map((f) => `models/loupe-log-bert/${f}`);
/** One runtime per device: the plain SIMD-threaded build (WASM) or the asyncify build (WebGPU). */
const RUNTIMES = {
  wasm: ['ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm'],
  webgpu: ['ort/ort-wasm-simd-threaded.asyncify.mjs', 'ort/ort-wasm-simd-threaded.asyncify.wasm'],
};

interface Sized {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}

const sizes = new Map<string, Omit<Sized, 'files'>>();
function sizeOf(file: string): Omit<Sized, 'files'> {
  let s = sizes.get(file);
  if (!s) {
    const bytes = readFileSync(join(DIST, file));
    s = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 6 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).length,
    };
    sizes.set(file, s);
  }
  return s;
}

function total(files: string[]): Sized {
  return files.reduce(
    (t, f) => {
      const s = sizeOf(f);
      return { files: t.files + 1, raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: t.brotli + s.brotli };
    },
    { files: 0, raw: 0, gzip: 0, brotli: 0 },
  );
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(DIST, path)];
  });
}

const mb = (bytes: number) => Math.round(bytes / 1e4) / 100;

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(1);
  }
  const all = walk(DIST);
  const app = all.filter(
    (f) => f === 'index.html' || f === 'favicon.svg' || f === 'registerSW.js' || f === 'serviceWorker.js' || f.startsWith('assets/'),
  );
  const model = MODEL_FILES.filter((f) => all.includes(f));
  const manifest = await getManifest({
    globDirectory: DIST,
    globPatterns: PRECACHE_GLOBS,
    globIgnores: ['**/README.md', 'serviceWorker.js'],
    maximumFileSizeToCacheInBytes: 32 * 2 ** 20,
  });
  const precached = manifest.manifestEntries?.map((e) => e.url) ?? [];
  const firstVisit = (runtime: string[]) => {
    // The page loads the app, the model and one runtime; the service worker then fetches what it
    // precaches and the page did not already load (the browser's HTTP cache serves the rest).
    const loaded = [...new Set([...app, ...model, ...runtime])];
    const alsoPrecached = precached.filter((f) => !loaded.includes(f));
    return { loaded: total(loaded), precachedAfter: total(alsoPrecached), total: total([...loaded, ...alsoPrecached]) };
  };
  const wasm = firstVisit(RUNTIMES.wasm);
  const webgpu = firstVisit(RUNTIMES.webgpu);
  const result = {
    bench: 'size',
    date: new Date().toISOString(),
    note: 'per file: gzip level 6 (what most static hosts send) and brotli quality 9; float32 model weights compress little',
    parts: { app: total(app), model: total(model), runtimeWasm: total(RUNTIMES.wasm), runtimeWebgpu: total(RUNTIMES.webgpu) },
    firstVisit: { wasmDevice: wasm, webgpuDevice: webgpu },
    precache: { ...total(precached), list: precached, warnings: manifest.warnings },
    dist: total(all),
    targetGzipBytes: TARGET_GZIP_BYTES,
    // The measure: app, bundled model and one wasm; the demo log the worker precaches is listed apart.
    withinTarget: wasm.loaded.gzip <= TARGET_GZIP_BYTES,
    summaryMB: {
      appModelOneWasmGzip: mb(wasm.loaded.gzip),
      appModelOneWasmBrotli: mb(wasm.loaded.brotli),
      firstVisitWasmGzip: mb(wasm.total.gzip),
      firstVisitWasmBrotli: mb(wasm.total.brotli),
      firstVisitWasmRaw: mb(wasm.total.raw),
      firstVisitWebgpuGzip: mb(webgpu.total.gzip),
      precacheGzip: mb(total(precached).gzip),
      precacheRaw: mb(total(precached).raw),
    },
  };
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/size.json'), `${json}\n`);
}

await main();
