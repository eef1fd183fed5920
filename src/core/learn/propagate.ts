/**
 * From the analyst's labels to labels per unit. Labels are Int8Array: 1 anomalous, 0 normal,
 * -1 unlabelled.
 *   - A label on a line may apply to every line of its template (default on for "normal": noise
 *     is usually a whole template; off for "anomalous": an incident is usually one line).
 *   - A label on a template applies to all its lines.
 *   - A label on a session applies to its session unit; a session without one may take it from its
 *     lines (any anomalous line makes it anomalous; all lines normal make it normal).
 * The analyst's own label on a unit always wins over one propagated to it.
 */
import type { RecordGroups } from '../sessions/groups';
import { FeatureError } from './features';

export type UnitLabel = 0 | 1;

export interface TemplatePropagation {
  /** A line labelled normal labels its template's other lines normal. */
  normal: boolean;
  /** A line labelled anomalous labels its template's other lines anomalous. */
  anomalous: boolean;
}

export const DEFAULT_PROPAGATION: TemplatePropagation = { normal: true, anomalous: false };

function checkLabels(labels: ArrayLike<number>, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v !== 0 && v !== 1 && v !== -1) throw new FeatureError(`${what} ${i} has label ${v}: use 1 anomalous, 0 normal, -1 unlabelled`);
  }
}

/**
 * Line labels with template labels applied: the analyst's line labels, then explicit template labels,
 * then line labels spread to their template as `propagation` allows. A template whose lines the
 * analyst labelled both ways spreads nothing.
 */
export function lineLabelsWithTemplates(
  templateId: ArrayLike<number>,
  lineLabels: ArrayLike<number>,
  propagation: TemplatePropagation = DEFAULT_PROPAGATION,
  templateLabels?: ReadonlyMap<number, UnitLabel>,
): Int8Array {
  if (templateId.length !== lineLabels.length) throw new FeatureError(`${lineLabels.length} line labels for ${templateId.length} lines`);
  checkLabels(lineLabels, 'line');
  // Per template: bit 1 = has an anomalous line label, bit 0 = has a normal one.
  const seen = new Map<number, number>();
  for (let i = 0; i < lineLabels.length; i++) {
    const v = lineLabels[i];
    if (v < 0) continue;
    const t = templateId[i];
    seen.set(t, (seen.get(t) ?? 0) | (v === 1 ? 2 : 1));
  }
  const out = Int8Array.from(lineLabels);
  for (let i = 0; i < out.length; i++) {
    if (out[i] >= 0) continue;
    const t = templateId[i];
    const explicit = templateLabels?.get(t);
    if (explicit !== undefined) {
      out[i] = explicit;
      continue;
    }
    const mask = seen.get(t);
    if (mask === 1 && propagation.normal) out[i] = 0;
    else if (mask === 2 && propagation.anomalous) out[i] = 1;
  }
  return out;
}

export interface GroupLabelOptions {
  /** A session without its own label takes one from its member lines (default true). */
  fromLines?: boolean;
}

/**
 * Labels per group (session or window): the analyst's label on the group by key, else (when
 * `fromLines`) anomalous if any member line is labelled anomalous, normal if all are labelled normal.
 */
export function groupLabels(
  groups: RecordGroups,
  labelsByKey: ReadonlyMap<string, UnitLabel>,
  lineLabels?: ArrayLike<number>,
  options: GroupLabelOptions = {},
): Int8Array {
  const n = groups.keys.length;
  if (groups.starts.length !== n + 1)
    throw new FeatureError(`groups have ${groups.starts.length} starts for ${n} keys (expected ${n + 1})`);
  if (lineLabels) checkLabels(lineLabels, 'line');
  const fromLines = options.fromLines ?? true;
  const out = new Int8Array(n).fill(-1);
  for (let g = 0; g < n; g++) {
    const own = labelsByKey.get(groups.keys[g]);
    if (own !== undefined) {
      out[g] = own;
      continue;
    }
    if (!fromLines || !lineLabels) continue;
    const from = groups.starts[g];
    const to = groups.starts[g + 1];
    if (to === from) continue;
    let normal = 0;
    let anomalous = false;
    for (let k = from; k < to; k++) {
      const v = lineLabels[groups.members[k]];
      if (v === 1) {
        anomalous = true;
        break;
      }
      if (v === 0) normal++;
    }
    if (anomalous) out[g] = 1;
    else if (normal === to - from) out[g] = 0;
  }
  return out;
}

/** Every unit's label from a map of unit index → label (the analyst's clicks), -1 elsewhere. */
export function labelsOfUnits(count: number, labelled: ReadonlyMap<number, UnitLabel>): Int8Array {
  const out = new Int8Array(count).fill(-1);
  for (const [u, label] of labelled) {
    if (!Number.isInteger(u) || u < 0 || u >= count) throw new FeatureError(`unit ${u} is outside 0..${count - 1}`);
    if (label !== 0 && label !== 1) throw new FeatureError(`unit ${u} has label ${String(label)}: use 1 anomalous or 0 normal`);
    out[u] = label;
  }
  return out;
}
