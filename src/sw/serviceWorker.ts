/// <reference lib="webworker" />
/**
 * The service worker: precaches the app, the bundled model, the ORT runtime and the demo log (the
 * list is written in at build time by vite-plugin-pwa), so that after one visit Loupe loads and
 * analyses with the network off. Every response it serves carries the cross-origin isolation
 * headers, so multi-threaded WASM works on static hosts that cannot set headers (GitHub Pages):
 * from the second load on, the page is served by this worker and is isolated.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The same response with the isolation headers (opaque and redirect responses pass as they are). */
function isolated(response: Response): Response {
  if (response.status === 0 || response.type === 'opaqueredirect' || response.status < 200) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

addPlugins([{ handlerWillRespond: async ({ response }) => isolated(response) }]);
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
// Any page of the app (a shared link with a view in its #hash, a reload offline) is the app.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// The ORT runtime files not precached (the WebGPU build): kept once fetched, for offline use.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /\/ort\/[^/]+\.(wasm|mjs)$/.test(url.pathname),
  new CacheFirst({ cacheName: 'loupe-runtime', plugins: [{ handlerWillRespond: async ({ response }) => isolated(response) }] }),
);

// Same-origin requests the precache does not hold (a new deployment's files, a local model
// folder's blob URLs aside) go to the network, isolated too, so the page stays isolated.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  if (event.request.mode === 'navigate') return;
  event.respondWith(fetch(event.request).then(isolated));
});

// A new version takes over at the next load; the page that installed the worker is not claimed
// mid-session, so a first visit's analysis keeps fetching from the network as it started.
self.addEventListener('install', () => void self.skipWaiting());
