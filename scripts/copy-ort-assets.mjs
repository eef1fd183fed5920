#!/usr/bin/env node
// Copies the onnxruntime-web runtime files the encoder loads (the asyncify SIMD-threaded build
// for WebGPU, the plain SIMD-threaded build for WASM) into public/ort/,
// so the app serves them from its own origin (never a CDN) and `vite build` ships them in dist/ort/.
// Run before `vite` and `vite build` (predev/prebuild). Idempotent: skips files already up to date.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
// The one onnxruntime-web copy (package.json `overrides` keeps transformers.js on it).
const ortDist = join(root, 'node_modules', 'onnxruntime-web', 'dist');
const target = join(root, 'public', 'ort');
// asyncify: the build with WebGPU; plain: CPU-only, ~2x faster on the WASM device.
const files = [
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
];

mkdirSync(target, { recursive: true });
for (const file of files) {
  const from = join(ortDist, file);
  const to = join(target, file);
  const source = statSync(from);
  let current;
  try {
    current = statSync(to);
  } catch {
    current = undefined;
  }
  if (current && current.size === source.size && current.mtimeMs >= source.mtimeMs) continue;
  copyFileSync(from, to);
  console.log(`copied ${file} → public/ort/`);
}
