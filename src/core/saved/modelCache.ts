/**
 * Hub models the browser keeps after their first download (transformers.js stores every file it
 * fetches in the Cache API under `transformers-cache`): listed by model with their size, and
 * deletable. The bundled model is part of the app (service worker precache), not listed here.
 */

export const MODEL_CACHE = 'transformers-cache';

export interface CachedModel {
  /** `org/name` on the Hub. */
  modelId: string;
  files: number;
  bytes: number;
  urls: string[];
}

/** `org/name` of a Hub file URL (`…/org/name/resolve/revision/file`), else undefined. */
export function hubModelOf(url: string): string | undefined {
  try {
    const parts = new URL(url).pathname.split('/').filter(Boolean);
    const at = parts.indexOf('resolve');
    return at >= 2 ? `${decodeURIComponent(parts[at - 2])}/${decodeURIComponent(parts[at - 1])}` : undefined;
  } catch {
    return undefined;
  }
}

async function sizeOf(response: Response | undefined): Promise<number> {
  if (!response) return 0;
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > 0) return length;
  return (await response.blob()).size;
}

export async function listCachedModels(): Promise<CachedModel[]> {
  if (typeof caches === 'undefined' || !(await caches.has(MODEL_CACHE))) return [];
  const cache = await caches.open(MODEL_CACHE);
  const byModel = new Map<string, CachedModel>();
  for (const request of await cache.keys()) {
    const modelId = hubModelOf(request.url);
    if (!modelId) continue;
    let entry = byModel.get(modelId);
    if (!entry) byModel.set(modelId, (entry = { modelId, files: 0, bytes: 0, urls: [] }));
    entry.files++;
    entry.bytes += await sizeOf(await cache.match(request));
    entry.urls.push(request.url);
  }
  return [...byModel.values()].sort((a, b) => b.bytes - a.bytes);
}

export async function deleteCachedModel(model: CachedModel): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  await Promise.all(model.urls.map((url) => cache.delete(url)));
}
