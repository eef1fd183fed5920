/**
 * What a saved analysis may contain, checked before any of it is used: the JSON part (its meta)
 * against a zod schema here (strict objects, bounded lists and strings, numbers in range); the
 * columns against the counts the meta states in columns.ts.
 */
import { z } from 'zod';
import { defaultEvidenceSchema, learningSchema, valueProfilesSchema } from './evidenceSchema';

// No code generation: the built page's CSP forbids eval, and zod would otherwise try it once.
z.config({ jitless: true });

/** Largest list or column a snapshot may hold (records, texts, members): bounds the allocations. */
export const MAX_ITEMS = 50_000_000;
const MAX_NAME = 4096;
const MAX_TEXT = 1 << 20;

export class SnapshotError extends Error {
  static fromZod(error: z.ZodError): SnapshotError {
    const issue = error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
    return new SnapshotError(`The analysis file is damaged${where}: ${issue?.message ?? 'it does not match the format'}.`);
  }
}

const name = z.string().max(MAX_NAME);
const count = z.number().int().min(0).max(MAX_ITEMS);
const finite = z.number().finite();
/** Scores and thresholds: finite, or NaN where nothing could be scored (JSON writes NaN as null). */
const score = z.union([finite, z.null()]).transform((v) => (v === null ? Number.NaN : v));

const forestSchema = z.strictObject({
  nEstimators: z.number().int().min(1).max(10_000),
  maxSamples: z.number().int().min(2).max(1_000_000),
  contamination: z.union([z.literal('auto'), z.number().gt(0).max(0.5)]),
  extended: z.boolean(),
  pcaComponents: z.number().int().min(0).max(4096),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32),
});

const windowSchema = z.strictObject({
  kind: z.enum(['time', 'count']),
  size: z.number().finite().positive().max(1e15),
  step: z.number().finite().min(0).max(1e15),
});

const unit = z.enum(['line', 'template', 'session', 'window']);
const detector = z.enum(['evidence', 'forest', 'surprise', 'fused']);

export const scoringSettingsSchema = z.strictObject({
  detector,
  unit,
  forest: forestSchema,
  window: windowSchema,
  sessionRegex: name.optional(),
});

export const settingsSchema = z.strictObject({
  layoutFormat: name.optional(),
  masks: z.strictObject({
    add: z.array(z.strictObject({ name, pattern: name })).max(1000),
    remove: z.array(name).max(1000),
  }),
  sessionRegex: name.optional(),
  window: windowSchema,
  detector,
  unit,
  forest: forestSchema,
  model: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('bundled') }),
    z.strictObject({ kind: z.literal('hub'), modelId: name }),
    z.strictObject({ kind: z.literal('local'), name }),
  ]),
  device: z.enum(['auto', 'webgpu', 'wasm']),
});

const reportSchema = z.strictObject({
  fileName: name,
  bytesRead: z.number().int().min(0),
  textBytes: z.number().int().min(0),
  lines: count,
  compression: z.enum(['none', 'gzip']),
  encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be']),
  invalidSequences: z.number().int().min(0),
  truncatedLines: z.number().int().min(0),
  truncatedBytes: z.number().int().min(0),
  nulCharacters: z.number().int().min(0),
  endsWithNewline: z.boolean(),
});

const encoderSchema = z.strictObject({
  modelId: name,
  device: z.enum(['webgpu', 'wasm', 'cpu']),
  fallbackReason: name.optional(),
  threads: z.number().int().min(0).max(1024),
  maxTokens: z.number().int().min(0).max(1_000_000),
  vectorsWithoutHead: z.boolean().optional(),
  surpriseHeadGathered: z.boolean().optional(),
  hasMlmHead: z.boolean(),
});

const verdict = z.union([z.literal(0), z.literal(1)]);
const stage = z.enum(['read', 'parse', 'templates', 'embed', 'score']);

export const snapshotMetaSchema = z.strictObject({
  format: z.literal('loupe-snapshot'),
  version: z.literal(1),
  settings: settingsSchema,
  files: z
    .array(
      z.strictObject({
        name,
        role: z.enum(['target', 'reference']),
        report: reportSchema,
        records: count,
        labelledRecords: count,
        layout: z.strictObject({
          id: name,
          name,
          kind: z.enum(['fields', 'json', 'syslog5424', 'access', 'plain']),
          format: name.optional(),
        }),
      }),
    )
    .min(1)
    .max(65_535),
  minerLayoutId: name,
  templates: z.array(z.strictObject({ id: count, text: z.string().max(MAX_TEXT) })).max(MAX_ITEMS),
  dims: z.number().int().min(1).max(65_536),
  counts: z.strictObject({ records: count.min(1), texts: count, referenceTexts: count, templates: count, sessions: count, windows: count }),
  reference: z.boolean(),
  evidence: z.strictObject({ encoder: encoderSchema.optional(), encoderError: z.string().max(MAX_TEXT).optional(), tfidf: z.boolean() }),
  scoring: z.strictObject({
    settings: scoringSettingsSchema,
    threshold: score,
    lineThreshold: score,
    thresholdExplanation: z.string().max(400).optional(),
    sessionRegexKey: name,
  }),
  labelSet: z
    .strictObject({
      byLine: z.array(z.tuple([z.number().int().min(1), verdict])).max(MAX_ITEMS),
      bySession: z.array(z.tuple([name, verdict])).max(MAX_ITEMS),
    })
    .optional(),
  map: z.array(z.strictObject({ templateId: count, x: finite, y: finite, count, text: z.string().max(MAX_TEXT) })).max(MAX_ITEMS),
  durationsMs: z.partialRecord(stage, z.number().finite().min(0)),
  hasLines: z.boolean(),
  /** The default detector's per-line parts (columns `evidence.line.*`), for explanations and the head. */
  defaultEvidence: defaultEvidenceSchema.optional(),
  /** What each template's wildcards usually hold (the line detail's value profile). */
  valueProfiles: valueProfilesSchema.optional(),
  /** The head trained on the analyst's labels; the scores are then the unsupervised ones it blends. */
  learning: learningSchema.optional(),
});

export type SnapshotMeta = z.input<typeof snapshotMetaSchema>;
export type ParsedMeta = z.output<typeof snapshotMetaSchema>;
