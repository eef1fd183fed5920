/**
 * Loupe's headless command line, on the same core as the app:
 *
 *   npm run loupe -- score <file...> [--labels <csv>] [--reference <normal log>]
 *     [--unit line|template|session|window] [--detector forest|surprise|fused] [--threshold <t>]
 *     [--session-regex <regex>] [--layout <Loghub format>]
 *     [--contamination <fraction>] [--model <dir or hub id>] [--no-encoder] [--top <n>] [--json]
 */
import { countFlaggedSorted } from '../core/detect/threshold';
import { existsSync, statSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { basename, resolve } from 'node:path';
import { AnalysisService, type EncoderFactory } from '../core/analysis/service';
import { DEFAULT_SETTINGS, type AnalysisInput, type AnalysisSettings, type AnalysisSummary, type DetectorKind, type ScoringUnit } from '../core/analysis/types';
import { createTransformersEncoder } from '../core/embed/transformersEncoder';
import { BUNDLED_MODEL_NAME } from '../core/embed/encoderSettings';

const USAGE = `usage: npm run loupe -- score <file...> [--labels <csv>] [--reference <normal log>]
         [--unit line|template|session|window] [--detector forest|surprise|fused]
         [--session-regex <regex>] [--layout <Loghub format>] [--contamination <fraction>] [--threshold <t>] [--model <folder or hub id>] [--no-encoder]
         [--top <n>] [--json]`;

interface CliOptions {
  files: string[];
  labels?: string;
  reference: string[];
  unit: ScoringUnit;
  detector: DetectorKind;
  contamination: 'auto' | number;
  threshold?: number;
  model?: string;
  sessionRegex?: string;
  layout?: string;
  encoder: boolean;
  top: number;
  json: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'score') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const options: CliOptions = {
    files: [], reference: [], unit: 'line', detector: DEFAULT_SETTINGS.detector, contamination: 'auto', encoder: true, top: 20, json: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--labels': options.labels = value(); break;
      case '--reference': options.reference.push(value()); break;
      case '--unit': {
        const unit = value();
        if (!['line', 'template', 'session', 'window'].includes(unit)) throw new UsageError(`--unit must be line, template, session or window, not "${unit}"`);
        options.unit = unit as ScoringUnit;
        break;
      }
      case '--detector': {
        const detector = value();
        if (!['forest', 'surprise', 'fused'].includes(detector)) throw new UsageError(`--detector must be forest, surprise or fused, not "${detector}"`);
        options.detector = detector as DetectorKind;
        break;
      }
      case '--contamination': {
        const c = Number(value());
        if (!(c > 0 && c <= 0.5)) throw new UsageError('--contamination must be a fraction in (0, 0.5]');
        options.contamination = c;
        break;
      }
      case '--threshold': options.threshold = Number(value()); break;
      case '--model': options.model = value(); break;
      case '--session-regex': {
        const regex = value();
        try {
          new RegExp(regex);
        } catch (error) {
          throw new UsageError(`--session-regex is not a valid regular expression: ${(error as Error).message}`);
        }
        options.sessionRegex = regex;
        break;
      }
      case '--layout': options.layout = value(); break;
      case '--no-encoder': options.encoder = false; break;
      case '--top': options.top = Math.max(0, Number(value())); break;
      case '--json': options.json = true; break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        options.files.push(arg);
    }
  }
  if (options.files.length === 0) throw new UsageError('give at least one log file');
  for (const f of [...options.files, ...options.reference, ...(options.labels ? [options.labels] : [])]) {
    if (!existsSync(f) || !statSync(f).isFile()) throw new UsageError(`no such file: ${f}`);
  }
  return options;
}

function nodeEncoderFactory(model: string | undefined): EncoderFactory {
  const modelsDir = resolve(import.meta.dirname, '..', '..', 'public', 'models');
  return async () => {
    if (!model) return createTransformersEncoder({ source: { kind: 'bundled', name: BUNDLED_MODEL_NAME }, device: 'cpu', localModelPath: modelsDir });
    if (existsSync(model)) return createTransformersEncoder({ source: { kind: 'local', name: basename(model), files: resolve(model) }, device: 'cpu' });
    return createTransformersEncoder({ source: { kind: 'hub', modelId: model }, device: 'cpu' });
  };
}

export async function runScore(options: CliOptions, log: (line: string) => void = console.error): Promise<{ summary: AnalysisSummary; threshold: number }> {
  const service = new AnalysisService(options.encoder ? nodeEncoderFactory(options.model) : undefined);
  const files: AnalysisInput['files'] = [];
  for (const f of options.reference) files.push({ name: basename(f), data: await openAsBlob(f), role: 'reference' });
  for (const f of options.files) files.push({ name: basename(f), data: await openAsBlob(f), role: 'target' });
  const input: AnalysisInput = { files, labels: options.labels ? { name: basename(options.labels), data: await openAsBlob(options.labels) } : undefined };
  const settings: AnalysisSettings = {
    ...DEFAULT_SETTINGS,
    detector: options.detector,
    unit: options.unit,
    sessionRegex: options.sessionRegex,
    layoutFormat: options.layout,
    forest: { ...DEFAULT_SETTINGS.forest, contamination: options.contamination },
  };
  let lastStage = '';
  let summary = await service.analyze(input, settings, (p) => {
    if (p.stage !== lastStage) log(`loupe: ${p.stage}…`);
    lastStage = p.stage;
  });
  if (summary.encoder?.fallbackReason && summary.encoder.device === 'none') log(`loupe: ${summary.encoder.fallbackReason}`);
  let threshold = summary.threshold;
  if (options.threshold !== undefined && Number.isFinite(options.threshold)) {
    threshold = options.threshold;
    const view = await service.thresholdView(threshold);
    summary = { ...summary, threshold, metrics: view.metrics };
  }
  return { summary, threshold };
}

function report(summary: AnalysisSummary, options: CliOptions): unknown {
  const m = summary.metrics;
  return {
    files: summary.files.map((f) => ({ name: f.name, role: f.role, layout: f.layoutName, records: f.records, labelled: f.labelledRecords })),
    encoder: summary.encoder,
    records: summary.records,
    unit: summary.settings.unit,
    detector: summary.settings.detector,
    threshold: summary.threshold,
    units: summary.scoreDistribution.length,
    above_threshold: countFlaggedSorted(summary.scoreDistribution, summary.threshold),
    templates: summary.templates.slice(0, options.top * 5).map((t) => ({ id: t.id, text: t.text, count: t.count, score: t.score, level: t.level, novel: t.novel })),
    sessions: summary.sessions.slice(0, options.top).map((s) => ({ id: s.id, lines: s.count, score: s.score, label: s.label })),
    scores: summary.unitRows.slice(0, options.top).map((u) => ({ id: u.id, score: u.score, rank: u.rank, label: u.label })),
    ...(m ? { metrics: { unit: m.unit, detector: m.detector, auroc: m.auroc, ap: m.ap, best_f1: m.bestF1, precision: m.precision, recall: m.recall, f1: m.f1 } } : {}),
  };
}

function printText(summary: AnalysisSummary, options: CliOptions): void {
  const out = report(summary, options) as ReturnType<typeof report> & Record<string, unknown>;
  console.log(`${summary.records} records, ${summary.templates.length} templates, unit ${summary.settings.unit}, detector ${summary.settings.detector}`);
  console.log(`threshold ${summary.threshold.toFixed(4)}: ${String(out.above_threshold)} of ${summary.scoreDistribution.length} units at or above`);
  console.log('\nmost anomalous:');
  for (const u of summary.unitRows.slice(0, options.top)) console.log(`  ${u.score.toFixed(4)}  ${u.id}${u.label === 1 ? '  [labelled anomalous]' : ''}`);
  const m = summary.metrics;
  if (m) console.log(`\nAUROC ${m.auroc.toFixed(4)}  AP ${m.ap.toFixed(4)}  best F1 ${m.bestF1.toFixed(4)}  at threshold: P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)}`);
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`loupe: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  try {
    const { summary } = await runScore(options);
    if (options.json) console.log(JSON.stringify(report(summary, options), null, 2));
    else printText(summary, options);
  } catch (error) {
    console.error(`loupe: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
