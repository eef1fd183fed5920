/**
 * Ground-truth labels from a CSV `id,label` dropped beside a log: id is a 1-based line number or a
 * session id (HDFS block, OpenStack instance...). Labels read as anomalous: 1, true, anomaly,
 * anomalous, abnormal, yes; as normal: 0, false, normal, no, '-'.
 */

export interface LabelSet {
  /** 1-based line number → 1 anomalous / 0 normal. */
  byLine: Map<number, number>;
  /** Session id → 1 anomalous / 0 normal. */
  bySession: Map<string, number>;
}

const ANOMALOUS = new Set(['1', 'true', 'anomaly', 'anomalous', 'abnormal', 'yes', 'y']);
const NORMAL = new Set(['0', 'false', 'normal', 'no', 'n', '-']);

export class LabelsError extends Error {}

export function parseLabelsCsv(text: string): LabelSet {
  const byLine = new Map<number, number>();
  const bySession = new Map<string, number>();
  const lines = text.split(/\r\n|\n|\r/);
  let parsed = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const comma = line.indexOf(',');
    if (comma < 0) throw new LabelsError(`Labels CSV line ${i + 1} has no comma: expected "id,label".`);
    const id = unquote(line.slice(0, comma));
    const rest = line.slice(comma + 1);
    const nextComma = rest.indexOf(',');
    const value = unquote(nextComma < 0 ? rest : rest.slice(0, nextComma)).toLowerCase();
    let label: number;
    if (ANOMALOUS.has(value)) label = 1;
    else if (NORMAL.has(value)) label = 0;
    else if (parsed === 0 && i === 0) continue; // a header row such as "BlockId,Label"
    else throw new LabelsError(`Labels CSV line ${i + 1}: "${value}" is not a label (use 1/0, anomaly/normal).`);
    parsed++;
    if (/^\d+$/.test(id)) byLine.set(Number(id), label);
    else bySession.set(id, label);
  }
  if (parsed === 0) throw new LabelsError('The labels CSV holds no labels: expected rows of "id,label".');
  return { byLine, bySession };
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}
