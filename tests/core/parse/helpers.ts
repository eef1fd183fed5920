/** Helpers shared by the parse tests. */
import { BUILTIN_LAYOUTS, createRecordParser, type Layout } from '../../../src/core/parse';
import type { ParsedRecord } from '../../../src/core/types';

export function layoutById(id: string): Layout {
  const layout = BUILTIN_LAYOUTS.find((l) => l.id === id);
  if (layout === undefined) throw new Error(id);
  return layout;
}

/** Parses lines in order, folding continuations into the record above, as the pipeline does. */
export function records(layout: Layout, lines: string[], yearHint?: number): ParsedRecord[] {
  const parser = createRecordParser(layout, { yearHint });
  const out: ParsedRecord[] = [];
  for (const line of lines) {
    const record = parser.parse(line);
    if (record === null) parser.fold(out[out.length - 1], line);
    else out.push(record);
  }
  return out;
}
