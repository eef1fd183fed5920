import { BUILTIN_LAYOUTS, PLAIN_LAYOUT } from './builtinLayouts';
import { isContinuationLine } from './continuation';
import type { Layout } from './layout';
import { compileLayout } from './recordParser';
import { newestYearIn } from './timestampYear';

/** Lines of a file's start that detection looks at. */
export const DETECTION_SAMPLE_LINES = 200;
/** Below this share of parsed sample lines the file is treated as plain text. */
const MIN_MATCH_SHARE = 0.3;

const compiled = new Map<string, ReturnType<typeof compileLayout>>();

/**
 * Picks the layout that parses the largest share of the sample (first ~200 lines of a file).
 * Stack-trace and blank lines are left out of the share; ties go to the more specific layout
 * (earlier in BUILTIN_LAYOUTS). The result carries `matchShare`, and `sampleYear` when a sample
 * line writes a dated year (year-less timestamps take it unless the caller hints a year); plain
 * text when nothing fits.
 */
export function detectLayout(sample: string[], candidates: readonly Layout[] = BUILTIN_LAYOUTS): Layout {
  const lines: string[] = [];
  for (const line of sample) {
    if (lines.length >= DETECTION_SAMPLE_LINES) break;
    if (line.trim() !== '' && !isContinuationLine(line)) lines.push(line);
  }
  if (lines.length === 0) return { ...PLAIN_LAYOUT, matchShare: 0 };
  const sampleYear = newestYearIn(lines);
  const year = sampleYear === undefined ? {} : { sampleYear };

  let best: Layout = PLAIN_LAYOUT;
  let bestShare = 0;
  for (const layout of candidates) {
    let parse = compiled.get(layout.id);
    if (parse === undefined || candidates !== BUILTIN_LAYOUTS) {
      parse = compileLayout(layout);
      if (candidates === BUILTIN_LAYOUTS) compiled.set(layout.id, parse);
    }
    let parsed = 0;
    for (const line of lines) if (parse(line) !== null) parsed++;
    const share = parsed / lines.length;
    if (share > bestShare) {
      best = layout;
      bestShare = share;
    }
  }
  if (bestShare < MIN_MATCH_SHARE) return { ...PLAIN_LAYOUT, matchShare: 1, ...year };
  return { ...best, matchShare: bestShare, ...year };
}
