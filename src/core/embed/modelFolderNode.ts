/** Node-only helpers (CLI, tests, benchmarks) for model folders. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { EncoderSource } from './encoderSettings';

/** A model folder as { relative path → base64 }, the form in which a page receives "a local folder picked by the analyst" through Playwright. */
export function modelFolderAsBase64(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(folder, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(folder);
  return files;
}

/** A command-line model argument: none = the bundled model, an existing folder, else a Hub model id. */
export function encoderSourceFromArgument(model: string | undefined): EncoderSource {
  if (!model) return { kind: 'bundled' };
  if (existsSync(model)) return { kind: 'local', name: basename(model), files: resolve(model) };
  return { kind: 'hub', modelId: model };
}
