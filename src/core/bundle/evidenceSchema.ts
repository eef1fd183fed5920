/**
 * The parts of a saved analysis that explain and re-rank it rather than show it: the default
 * detector's per-line evidence names and thresholds, the templates' value profiles, and the head
 * trained on the analyst's labels (issue 12 §5). All optional: analyses saved before they were
 * kept still open, without them.
 */
import { z } from 'zod';

const MAX_PROFILES = 1_000_000;
const MAX_VALUE = 4096;

const finite = z.number().finite();
const count = z.number().int().min(0).max(50_000_000);
const evidenceName = z.string().min(1).max(64);

/** A threshold of the default detector; JSON writes Infinity ("nothing is flagged") as null. */
const autoThresholdSchema = z.strictObject({
  threshold: z.union([finite, z.null()]).transform((v) => (v === null ? Number.POSITIVE_INFINITY : v)),
  flagged: count,
  share: z.number().min(0).max(1),
  explanation: z.string().max(400),
});

export const defaultEvidenceSchema = z.strictObject({
  /** Column names of `evidence.line.contributions` (lines × names, row-major). */
  names: z.array(evidenceName).min(1).max(32),
  lineThreshold: autoThresholdSchema,
  sessionThreshold: autoThresholdSchema.optional(),
});

const positionProfileSchema = z.strictObject({
  count,
  numeric: z.boolean(),
  centre: finite,
  spread: finite.min(0),
  constant: z.boolean(),
  negative: count,
  quantiles: z.array(finite).max(7),
  top: z.array(z.tuple([z.string().max(MAX_VALUE), count])).max(64),
  other: count,
  distinct: count,
  lowCardinality: z.boolean(),
});

export const valueProfilesSchema = z
  .array(
    z.strictObject({
      templateId: count,
      text: z.string().max(1 << 20),
      positions: z.array(positionProfileSchema).max(1024),
    }),
  )
  .max(MAX_PROFILES);

const weights = z.array(finite).max(50_000_000);

/** The head's layout is checked again against the reopened features (restoreLearning). */
export const learningSchema = z.strictObject({
  version: z.literal(1),
  unit: z.enum(['line', 'template', 'session', 'window']),
  weight: z.number().min(0).max(1),
  weightFrom: z.enum(['labels', 'default', 'analyst', 'no head']),
  head: z.strictObject({
    kind: z.enum(['logistic', 'mlp']),
    hidden: z.number().int().min(0).max(4096),
    dims: z.number().int().min(0).max(65_536),
    evidenceNames: z.array(z.string().max(128)).max(1024),
    anomalous: count,
    normal: count,
    examples: count,
    background: count,
    iterations: count,
    heldOut: count,
    inputWeights: weights,
    hiddenBias: weights,
    outputWeights: weights,
    bias: finite,
  }),
});
