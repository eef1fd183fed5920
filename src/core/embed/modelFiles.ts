/**
 * Model files for transformers.js, whatever the source. transformers.js fetches every model file
 * through `env.fetch`; Loupe wraps that fetch to (1) serve local sources (a picked folder, a base
 * URL, a directory in Node) from a private host name, (2) check JSON files and name the file at
 * fault, (3) fingerprint the ONNX weights so cached vectors follow the model's content.
 */
import { EncoderError } from './encoder';
import type { EncoderSource, ModelFileMap } from './encoderSettings';
import { BUNDLED_MODEL_NAME } from './encoderSettings';
import { withMaskedHead } from './maskedHead';
import { withoutOutputs } from './onnxGraph';

/** Host that never resolves: requests to it are answered from the local source. */
export const LOCAL_HOST = 'https://loupe-local-model.invalid/';

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Reads one file of a local source; undefined when the file does not exist. */
type LocalReader = (file: string) => Promise<Uint8Array | undefined>;

export interface ResolvedSource {
  /** Id given to transformers.js (`owner/name` form, so it builds Hub-style URLs). */
  repoId: string;
  /** Host transformers.js fetches from. */
  remoteHost: string;
  revision: string;
  /** Human description for error messages. */
  where: string;
  /** Readable model name for `info.modelId` (a content fingerprint is appended later). */
  label: string;
  /** Present for local sources. */
  read?: LocalReader;
}

function isUrlLike(text: string): boolean {
  return /^(https?|blob|file):/i.test(text);
}

function toBytes(value: Blob | ArrayBuffer | Uint8Array): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return Promise.resolve(value);
  if (value instanceof ArrayBuffer) return Promise.resolve(new Uint8Array(value));
  return value.arrayBuffer().then((buffer) => new Uint8Array(buffer));
}

function mapReader(files: ModelFileMap): LocalReader {
  const entries = files instanceof Map ? files : new Map(Object.entries(files));
  // A picked folder may come with its own top directory (`my-model/config.json`): match on the tail.
  return async (file) => {
    const direct = entries.get(file);
    if (direct) return toBytes(direct);
    for (const [name, value] of entries) {
      if (name.replaceAll('\\', '/').endsWith(`/${file}`)) return toBytes(value);
    }
    return undefined;
  };
}

function urlReader(base: string, fetchFn: Fetch): LocalReader {
  const folder = base.endsWith('/') ? base : `${base}/`;
  const readOnce = async (url: string, file: string, init?: RequestInit): Promise<Uint8Array | undefined> => {
    const response = await fetchFn(url, init);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new EncoderError(`Could not fetch ${file} from ${folder}: HTTP ${response.status}`, file);
    return new Uint8Array(await response.arrayBuffer());
  };
  return async (file) => {
    const url = new URL(file, folder).href;
    try {
      return await readOnce(url, file);
    } catch (error) {
      // Chromium fails a download (the fetch or the body) with ERR_CACHE_WRITE_FAILURE when another
      // fetch of the same large file (the service worker precaching the model on a first visit)
      // writes the same HTTP cache entry: once more, around the HTTP cache, before giving up.
      if (!(error instanceof TypeError)) throw error;
      return readOnce(url, file, { cache: 'no-store' });
    }
  };
}

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
}

function directoryReader(directory: string): LocalReader {
  // Node only: reached through process.getBuiltinModule so browser bundles never see `node:fs`.
  const fs = globalThis.process?.getBuiltinModule?.('node:fs/promises') as NodeFs | undefined;
  if (!fs) throw new EncoderError(`Cannot read the model directory ${directory}: no file system here`);
  const folder = directory.endsWith('/') ? directory : `${directory}/`;
  return async (file) => {
    try {
      return await fs.readFile(folder + file);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  };
}

function pathReader(location: string, fetchFn: Fetch): LocalReader {
  if (isUrlLike(location) || globalThis.process?.versions?.node === undefined) {
    const absolute = globalThis.location ? new URL(location, globalThis.location.href).href : location;
    return urlReader(absolute, fetchFn);
  }
  return directoryReader(location);
}

function defaultModelsBase(): string {
  if (globalThis.location) return new URL('models/', globalThis.location.href).href;
  return `${globalThis.process?.cwd?.() ?? '.'}/public/models/`;
}

function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'model'
  );
}

export function resolveSource(source: EncoderSource, localModelPath: string | undefined, fetchFn: Fetch): ResolvedSource {
  switch (source.kind) {
    case 'bundled': {
      const name = source.name ?? BUNDLED_MODEL_NAME;
      const base = localModelPath ?? defaultModelsBase();
      const folder = `${base.endsWith('/') ? base : `${base}/`}${name}/`;
      return {
        repoId: `bundled/${slug(name)}`,
        remoteHost: LOCAL_HOST,
        revision: 'main',
        where: folder,
        label: `bundled:${name}`,
        read: pathReader(folder, fetchFn),
      };
    }
    case 'hub': {
      const host = source.remoteHost ?? 'https://huggingface.co/';
      return {
        repoId: source.modelId,
        remoteHost: host.endsWith('/') ? host : `${host}/`,
        revision: 'main',
        where: `${host} (${source.modelId})`,
        label: `hub:${source.modelId}`,
      };
    }
    case 'local': {
      const { files } = source;
      if (typeof files === 'string') {
        const name = source.name ?? files;
        return {
          repoId: `local/${slug(name)}`,
          remoteHost: LOCAL_HOST,
          revision: 'main',
          where: files,
          label: `local:${name}`,
          read: pathReader(files, fetchFn),
        };
      }
      const name = source.name ?? 'picked-folder';
      return {
        repoId: `local/${slug(name)}`,
        remoteHost: LOCAL_HOST,
        revision: 'main',
        where: `the picked folder "${name}"`,
        label: `local:${name}`,
        read: mapReader(files),
      };
    }
  }
}

/** What the wrapped fetch saw while a model loaded. */
export interface FileLog {
  /** Files requested that did not exist, in request order. */
  missing: string[];
  /** SHA-256 (hex, first 16 chars) of each ONNX file served. */
  fingerprints: Map<string, string>;
  /** The bytes of `onnx/model.onnx` once served: the vectors-only graph is cut from them. */
  modelBytes?: Uint8Array;
}

export const MODEL_FILE = 'onnx/model.onnx';
/** transformers.js's `model_file_name` for the file below. */
export const VECTORS_MODEL_NAME = 'vectors';
/** Not a real file: `onnx/model.onnx` without its `logits` head, made by `modelFetch` on request. */
export const VECTORS_FILE = `onnx/${VECTORS_MODEL_NAME}.onnx`;
/** transformers.js's `model_file_name` for the file below. */
export const SURPRISE_MODEL_NAME = 'surprise';
/** Not a real file: `onnx/model.onnx` with its head behind a gather of the masked positions (onnxGraph.ts). */
export const SURPRISE_FILE = `onnx/${SURPRISE_MODEL_NAME}.onnx`;

/** The graphs cut from `onnx/model.onnx` at load time, by file name. */
const DERIVED = new Map<string, (model: Uint8Array) => Uint8Array | undefined>([
  [VECTORS_FILE, (model) => withoutOutputs(model, ['logits'])],
  [SURPRISE_FILE, withMaskedHead],
]);

async function fingerprint(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The model file a URL asks for (`…/resolve/<revision>/<file>`), or undefined. */
function fileOf(url: string, source: ResolvedSource): string | undefined {
  const prefix = `${source.remoteHost}${source.repoId}/resolve/${encodeURIComponent(source.revision)}/`;
  return url.startsWith(prefix) ? decodeURIComponent(url.slice(prefix.length).split('?')[0]) : undefined;
}

/** A fetch that serves and checks `source`'s model files and passes everything else to `inner`. */
export function modelFetch(source: ResolvedSource, inner: Fetch, log: FileLog): Fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    const file = fileOf(url, source);
    if (file === undefined) return inner(input, init);
    const derive = DERIVED.get(file);
    if (derive) {
      // Cut from the bytes already loaded: a Hub model is never downloaded twice.
      const derived = log.modelBytes && derive(log.modelBytes);
      if (!derived) return new Response(null, { status: 404, statusText: 'Not Found' });
      return new Response(derived as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-length': String(derived.byteLength) } });
    }
    let bytes: Uint8Array | undefined;
    if (source.read) {
      bytes = await source.read(file);
    } else {
      const response = await inner(input, init);
      if (response.status === 404) bytes = undefined;
      else if (!response.ok) return response;
      else bytes = new Uint8Array(await response.arrayBuffer());
    }
    if (bytes === undefined) {
      log.missing.push(file);
      return new Response(null, { status: 404, statusText: 'Not Found' });
    }
    if (file.endsWith('.json')) {
      try {
        JSON.parse(new TextDecoder().decode(bytes));
      } catch (error) {
        throw new EncoderError(`Model file ${file} in ${source.where} is not valid JSON: ${(error as Error).message}`, file, {
          cause: error,
        });
      }
    }
    if (file.endsWith('.onnx')) log.fingerprints.set(file, await fingerprint(bytes));
    if (file === MODEL_FILE) log.modelBytes = bytes;
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
  };
}
