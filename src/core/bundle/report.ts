/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no external request; a
 * Content-Security-Policy that forbids loading anything) with the summary, the score histogram
 * and timeline, the top anomalies with their evidence and word saliency, and the analyst's labels
 * and notes. It opens offline in any browser. Every piece of log text goes through `escapeHtml`.
 */
import type { AnalysisSummary, LineDetail, TopAnomaly } from '../analysis/types';
import type { AnalystLabel } from '../labels/labels';

export function escapeHtml(text: string | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface ReportInput {
  title: string;
  createdAt: Date;
  summary: AnalysisSummary;
  threshold: number;
  linesAbove: number;
  top: Array<{ anomaly: TopAnomaly; detail?: LineDetail }>;
  labels: AnalystLabel[];
  notes: string;
  /** What the head learned from the analyst's labels, when it ranks this analysis (describeLearning). */
  learning?: string;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const count = (v: number) => v.toLocaleString('en-US');

/** Histogram of the unit's scores with the threshold, as an SVG string. */
export function histogramSvg(sorted: ArrayLike<number>, threshold: number, width = 560, height = 140): string {
  const n = sorted.length;
  if (!n) return '<p class="muted">No scores.</p>';
  const lo = sorted[0];
  const hi = sorted[n - 1];
  const bins = 40;
  const span = hi - lo || 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor(((sorted[i] - lo) / span) * bins))]++;
  const max = Math.max(...counts);
  const w = width / bins;
  const bars = counts
    .map((c, b) => {
      // Log height: the few anomalous units stay visible beside the many normal ones.
      const h = c ? Math.max(1, (Math.log1p(c) / Math.log1p(max)) * (height - 20)) : 0;
      const flagged = lo + ((b + 0.5) / bins) * span >= threshold;
      return `<rect x="${(b * w).toFixed(1)}" y="${(height - 16 - h).toFixed(1)}" width="${(w - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${flagged ? '#d9480f' : '#74809a'}"><title>${count(c)}</title></rect>`;
    })
    .join('');
  const tx = Math.min(width, Math.max(0, ((threshold - lo) / span) * width));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="Score histogram">${bars}` +
    `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="0" y2="${height - 16}" stroke="#c92a2a" stroke-dasharray="4 3"/>` +
    `<text x="0" y="${height - 2}" font-size="11">${fmt(lo)}</text><text x="${width}" y="${height - 2}" font-size="11" text-anchor="end">${fmt(hi)}</text>` +
    `<text x="${Math.min(width - 60, tx + 4).toFixed(1)}" y="12" font-size="11" fill="#c92a2a">threshold ${fmt(threshold)}</text></svg>`
  );
}

/** Max score per timeline bucket, flagged buckets in colour. */
export function timelineSvg(summary: AnalysisSummary, width = 560, height = 120): string {
  const buckets = summary.timeline;
  if (!buckets.length) return '';
  const finite = buckets.map((b) => b.maxScore).filter(Number.isFinite);
  const max = Math.max(...finite, 1e-9);
  const min = Math.min(...finite, 0);
  const w = width / buckets.length;
  const bars = buckets
    .map((b, i) => {
      const h = Number.isFinite(b.maxScore) ? Math.max(1, ((b.maxScore - min) / (max - min || 1)) * (height - 16)) : 0;
      return `<rect x="${(i * w).toFixed(2)}" y="${(height - 14 - h).toFixed(1)}" width="${Math.max(0.5, w - 0.5).toFixed(2)}" height="${h.toFixed(1)}" fill="${b.countAbove ? '#d9480f' : '#9aa5b8'}"><title>${count(b.countAbove)} flagged</title></rect>`;
    })
    .join('');
  const label = (v: number) =>
    summary.timed ? new Date(v).toISOString().replace('T', ' ').slice(0, 19) : `line ${count(Math.round(v) + 1)}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="Score timeline">${bars}` +
    `<text x="0" y="${height - 2}" font-size="11">${escapeHtml(label(buckets[0].start))}</text>` +
    `<text x="${width}" y="${height - 2}" font-size="11" text-anchor="end">${escapeHtml(label(buckets[buckets.length - 1].end))}</text></svg>`
  );
}

function saliencyHtml(detail: LineDetail | undefined): string {
  const words = detail?.words?.words ?? detail?.saliency ?? [];
  if (!words.length) return '';
  const scale = Math.max(...words.map((w) => Math.abs(Number.isFinite(w.effect) ? w.effect : 0)), 1e-9);
  return `<p class="words">${words
    .map((w) => {
      const e = Number.isFinite(w.effect) ? w.effect / scale : 0;
      const colour =
        e >= 0 ? `rgba(217,72,15,${Math.min(0.85, Math.abs(e)).toFixed(2)})` : `rgba(47,158,68,${Math.min(0.85, Math.abs(e)).toFixed(2)})`;
      return `<span style="background:${colour}" title="effect ${fmt(w.effect)}">${escapeHtml(w.word)}</span>`;
    })
    .join(' ')}</p>`;
}

function evidenceHtml(detail: LineDetail | undefined): string {
  if (!detail?.evidence.length) return '';
  return `<table class="evidence"><tr><th>evidence</th><th>value</th><th>typical</th><th>effect</th></tr>${detail.evidence
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.label)}</td><td>${escapeHtml(e.words || fmt(e.value))}</td><td>${fmt(e.typical)}</td><td>${fmt(e.effect)}</td></tr>`,
    )
    .join('')}</table>`;
}

const VERDICT = { 1: 'anomaly', 0: 'normal' } as const;

function labelsHtml(labels: AnalystLabel[]): string {
  const live = labels.filter((l) => l.verdict !== null || l.note.trim());
  if (!live.length) return '<p class="muted">No labels yet.</p>';
  return `<table><tr><th>on</th><th>verdict</th><th>note</th><th>when</th></tr>${live
    .map((l) => {
      const what =
        l.target === 'line'
          ? `${l.file ?? ''} line ${l.line ?? '?'}`
          : l.target === 'template'
            ? `template ${l.template ?? ''}`
            : `session ${l.session ?? ''}`;
      return `<tr><td class="mono">${escapeHtml(what)}</td><td>${l.verdict === null ? '' : VERDICT[l.verdict]}</td><td>${escapeHtml(l.note)}</td><td>${new Date(l.updatedAt).toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`;
    })
    .join('')}</table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;padding:0 1em;color:#1d2330}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #dde;padding:3px 6px;text-align:left;vertical-align:top}
.mono,.raw{font-family:ui-monospace,Consolas,monospace;font-size:12.5px}.raw{white-space:pre-wrap;word-break:break-all;background:#f5f6f8;padding:6px}
.muted{color:#667}.words span{padding:0 2px;border-radius:3px;font-family:ui-monospace,monospace}
.anomaly{border-left:3px solid #d9480f;padding-left:10px;margin:1em 0}`;

/** The report as one HTML string. */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const files = summary.files
    .map((f) => `${escapeHtml(f.name)} (${escapeHtml(f.role)}, ${escapeHtml(f.layoutName)}, ${count(f.records)} records)`)
    .join('<br>');
  const metrics = summary.metrics
    ? `<tr><th>against ground truth</th><td>AUROC ${fmt(summary.metrics.auroc)} · AP ${fmt(summary.metrics.ap)} · F1 at threshold ${fmt(summary.metrics.f1)}</td></tr>`
    : '';
  const anomalies = input.top
    .map(
      ({ anomaly, detail }, i) => `<div class="anomaly">
<h3>${i + 1}. ${escapeHtml(anomaly.unit)} ${escapeHtml(anomaly.id)} · score ${fmt(anomaly.score)}</h3>
<p class="muted">${escapeHtml(anomaly.reason)}</p>
${detail ? `<div class="raw">${escapeHtml(detail.row.raw)}</div><p>template: <span class="mono">${escapeHtml(detail.template)}</span></p>` : `<div class="raw">${escapeHtml(anomaly.text)}</div>`}
${evidenceHtml(detail)}${saliencyHtml(detail)}
</div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="muted">Loupe report, ${escapeHtml(input.createdAt.toISOString().replace('T', ' ').slice(0, 19))} UTC. Everything here was computed in the analyst's browser.</p>
<h2>Summary</h2>
<table>
<tr><th>files</th><td>${files}</td></tr>
<tr><th>records</th><td>${count(summary.records)}</td></tr>
<tr><th>model</th><td>${escapeHtml(summary.encoder?.modelId ?? 'none')}</td></tr>
<tr><th>scored by</th><td>${escapeHtml(summary.settings.detector)} detector, per ${escapeHtml(summary.settings.unit)}</td></tr>
${input.learning ? `<tr><th>taught by labels</th><td>${escapeHtml(input.learning)}</td></tr>` : ''}
<tr><th>threshold</th><td>${fmt(input.threshold)}: ${count(input.linesAbove)} lines flagged</td></tr>
<tr><th>templates</th><td>${count(summary.templates.length)}</td></tr>
${metrics}
</table>
<h2>Scores</h2>
${histogramSvg(summary.scoreDistribution, input.threshold)}
${timelineSvg(summary)}
<h2>Top anomalies</h2>
${anomalies || '<p class="muted">Nothing is flagged at this threshold.</p>'}
<h2>Labels</h2>
${labelsHtml(input.labels)}
<h2>Notes</h2>
${input.notes.trim() ? `<div class="raw">${escapeHtml(input.notes)}</div>` : '<p class="muted">No notes.</p>'}
</body></html>
`;
}
