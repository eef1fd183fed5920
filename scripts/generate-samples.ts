/**
 * Writes the demo logs the app opens and their ground truth into public/samples, plus a README with
 * the seeds and counts. Deterministic: running it again rewrites identical files.
 *   npx tsx scripts/generate-samples.ts   (or: npm run samples)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ANOMALY_KINDS,
  generateLog,
  lineLabelsCsv,
  sessionLabelsCsv,
  summarizeLog,
  type GenerateOptions,
  type GeneratedLine,
  type LogSummary,
} from '../src/core/generate';

const OUT_DIR = fileURLToPath(new URL('../public/samples/', import.meta.url));
const START = Date.UTC(2026, 2, 14);

interface Sample {
  file: string;
  /** Line-level labels file, when written. */
  lineLabels?: string;
  /** Session-level labels file, when written. */
  sessionLabels?: string;
  what: string;
  options: GenerateOptions;
  /** Try following seeds until the log holds every anomaly kind at a 1-3 % rate. */
  searchSeed?: boolean;
}

const SAMPLES: Sample[] = [
  {
    file: 'demo.log',
    lineLabels: 'demo.labels.csv',
    sessionLabels: 'demo.sessions.csv',
    what: 'The "Open demo log": one day of the platform, ISO-8601 app-log layout.',
    // 0.25 lines/s spreads 20k lines over about a day, so the diurnal curve shows in the timeline.
    options: { seed: 20260314, lines: 20_000, layout: 'iso', anomalyRate: 0.02, start: START, linesPerSecond: 0.25 },
  },
  // Small samples search from their seed for one whose log holds every kind (see holdsEveryKind).
  {
    file: 'demo-syslog.log',
    searchSeed: true,
    lineLabels: 'demo-syslog.labels.csv',
    sessionLabels: 'demo-syslog.sessions.csv',
    what: 'RFC 3164 syslog layout (`Mar 14 09:26:53 host service[pid]: LEVEL message`).',
    options: { seed: 20260315, lines: 3_000, layout: 'syslog', anomalyRate: 0.02, start: START + 8 * 3_600_000 },
  },
  {
    file: 'demo.jsonl',
    searchSeed: true,
    lineLabels: 'demo-jsonl.labels.csv',
    sessionLabels: 'demo-jsonl.sessions.csv',
    what: 'JSON lines with `ts`, `level`, `service`, `host`, `msg`.',
    options: { seed: 20260400, lines: 3_000, layout: 'jsonl', anomalyRate: 0.02, start: START + 14 * 3_600_000 },
  },
  {
    file: 'demo-hdfs.log',
    searchSeed: true,
    lineLabels: 'demo-hdfs.labels.csv',
    sessionLabels: 'demo-hdfs.sessions.csv',
    what: 'Loghub HDFS layout (`260314 092653 143 INFO dfs.DataNode$DataXceiver: message`).',
    options: { seed: 20260500, lines: 3_000, layout: 'hdfs', anomalyRate: 0.02, start: START + 20 * 3_600_000 },
  },
];

function write(name: string, content: string): number {
  writeFileSync(`${OUT_DIR}${name}`, content);
  return Buffer.byteLength(content);
}

function describeSample(sample: Sample, summary: LogSummary, bytes: number): string {
  const o = sample.options;
  const kinds = ANOMALY_KINDS.map((k) => `${k} ${summary.linesByKind[k]}`).join(', ');
  const files = [sample.lineLabels, sample.sessionLabels].filter((f) => f !== undefined).map((f) => `\`${f}\``);
  return [
    `### \`${sample.file}\``,
    '',
    sample.what,
    '',
    `- options: \`${JSON.stringify(o)}\``,
    `- ${summary.lines} lines (${(bytes / 1024).toFixed(0)} KiB), ${new Date(summary.firstTime).toISOString()} to ${new Date(summary.lastTime).toISOString()}`,
    `- anomalous lines: ${summary.anomalousLines} (${((100 * summary.anomalousLines) / summary.lines).toFixed(2)} %): ${kinds}`,
    `- sessions: ${summary.sessions}, anomalous: ${summary.anomalousSessions}`,
    `- labels: ${files.join(', ')}`,
    '',
  ].join('\n');
}

const README_HEAD = `# Demo logs

Synthetic logs of an imaginary e-commerce platform (api-gateway, auth, orders, payments, inventory,
storage nodes, scheduler), written by \`src/core/generate\` with a fixed seed. Regenerate them with
\`npm run samples\` (\`scripts/generate-samples.ts\`); the same seed always gives the same files.
Nothing here comes from a real system. The small samples use the first seed from a base that gives
every anomaly kind (a burst is due only about every 8,500 lines at a 2 % rate).

Sessions: requests \`req-<hex>\` (received → token accepted → backend steps → response sent), storage
blocks \`blk_<id>\` (allocate → receiving → received → stored → verified) and jobs \`job-<n>\`
(queued → started → progress → finished).

## Labels

- \`*.labels.csv\`: \`id,label\`, one row per line; \`id\` is the 1-based line number, \`label\` 1 = anomalous.
- \`*.sessions.csv\`: \`id,label\`, one row per session id (in order of first appearance); 1 when any
  line of the session is anomalous, which includes broken sequences.

## Anomaly kinds

- \`rare-error\`: an error template normal traffic never writes (disk I/O error, OOM kill, corrupt
  replica...). Inside a request it also labels the request's \`500\` response.
- \`unusual-value\`: a normal template with an absurd value: latency about 100x normal, negative
  size or amount, a status code never seen, a row count in the millions, a disk 8000 % used.
- \`planted-word\`: a normal line with exactly one word swapped for one normal traffic never uses
  (\`connection to db-3 refused\` where normal is \`connection to db-3 established\`; also
  \`revoked\`, \`duplicated\`, \`bypassed\`, \`prematurely\`).
- \`missing-step\`: a session that stops early (a request with no response, a job that never
  finishes); the label is on the last line the session wrote.
- \`out-of-order\`: a session whose steps are logged in the wrong order (a response before the step
  it depends on, a job finished before it started); the label is on the moved line.
- \`burst\`: 25-60 WARN lines of one template within a few seconds (rate-limit flood, exhausted
  database pool, slow block writes). Each line alone also occurs in normal traffic.

## Files

`;

/**
 * At a 2 % rate a burst is due only about every 8,500 lines, so a 3,000-line sample needs a seed
 * that happens to hold one; the seed found is the one written in the README.
 */
function holdsEveryKind(summary: LogSummary): boolean {
  const rate = summary.anomalousLines / summary.lines;
  return ANOMALY_KINDS.every((k) => summary.linesByKind[k] > 0) && rate >= 0.01 && rate <= 0.03;
}

function chooseOptions(sample: Sample): GenerateOptions {
  if (sample.searchSeed !== true) return sample.options;
  for (let seed = sample.options.seed; seed < sample.options.seed + 500; seed++) {
    const options = { ...sample.options, seed };
    if (holdsEveryKind(summarizeLog(generateLog(options)))) return options;
  }
  throw new Error(`no seed near ${sample.options.seed} gives every anomaly kind in ${sample.file}`);
}

mkdirSync(OUT_DIR, { recursive: true });
const sections: string[] = [];
let totalBytes = 0;
for (const sample of SAMPLES) {
  sample.options = chooseOptions(sample);
  const lines: GeneratedLine[] = [...generateLog(sample.options)];
  const bytes = write(sample.file, lines.map((l) => `${l.text}\n`).join(''));
  totalBytes += bytes;
  if (sample.lineLabels !== undefined) totalBytes += write(sample.lineLabels, lineLabelsCsv(lines));
  if (sample.sessionLabels !== undefined) totalBytes += write(sample.sessionLabels, sessionLabelsCsv(lines));
  const summary = summarizeLog(lines);
  sections.push(describeSample(sample, summary, bytes));
  console.log(`${sample.file}: ${summary.lines} lines, ${summary.anomalousLines} anomalous, ${(bytes / 1024).toFixed(0)} KiB`);
}
write('README.md', `${README_HEAD}${sections.join('\n')}`);
console.log(`total ${(totalBytes / 2 ** 20).toFixed(2)} MiB in ${OUT_DIR}`);
