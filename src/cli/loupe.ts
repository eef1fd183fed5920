/**
 * Loupe's headless command line, on the same core as the app:
 *
 *   npm run loupe -- score <file...> [--labels <csv>] [--train-labels <csv>] [--reference <normal log>]
 *     [--unit line|template|session|window] [--detector forest|surprise|fused] [--threshold <t>]
 *     [--session-regex <regex>] [--layout <Loghub format>]
 *     [--contamination <fraction>] [--model <dir or hub id>] [--no-encoder] [--top <n>] [--json]
 *
 * `--train-labels` fits the few-shot head on the analyst's labels (ids as in `--labels`) and scores
 * with the blended score (issue 12), the learned score weighing `--blend-weight` (else chosen by
 * k-fold on the labels); `--labels` still evaluates.
 */
import { existsSync, openAsBlob, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { TEXT_IN_MEMORY_LIMIT } from '../core/analysis/records';
import { AnalysisService, type EncoderFactory } from '../core/analysis/service';
import { describeLearning, type LearningSummary } from '../core/analysis/learning';
import { createFileTextSpool } from '../core/ingest/node';
import { filesNotes, formatBytes } from '../core/ingest/notes';
import { setDefaultTextSpool } from '../core/ingest/textSpool';
import {
  DEFAULT_SETTINGS,
  type AnalysisInput,
  type AnalysisSettings,
  type AnalysisSummary,
  type DetectorKind,
  type ScoringUnit,
} from '../core/analysis/types';
import { createEncoder } from '../core/embed/createEncoder';
import { encoderSourceFromArgument } from '../core/embed/modelFolderNode';
import { printable, printText, report, topLines, type TopLine } from './output';

const USAGE = `usage: npm run loupe -- score <file...> [--labels <csv>] [--train-labels <csv> [--blend-weight <0..1>]] [--reference <normal log>]
         [--unit line|template|session|window] [--detector forest|surprise|fused]
         [--session-regex <regex>] [--layout <Loghub format>] [--contamination <fraction>] [--threshold <t>] [--model <folder or hub id>] [--no-encoder]
         [--top <n>] [--json]`;

interface CliOptions {
  files: string[];
  labels?: string;
  /** Labels the head learns from (issue 12): same ids as --labels. */
  trainLabels?: string;
  /** The learned score's weight in the blend (the app's slider); chosen from the labels when absent. */
  blendWeight?: number;
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
  /** Not a command-line option: tests lower it to take the bounded path on small files. */
  textInMemoryLimit?: number;
}

export class UsageError extends Error {}

/** A number option's value, or a usage error naming the option and what was given. */
function numberArg(option: string, raw: string, rule: 'any' | 'count'): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${option} must be a number, not "${printable(raw)}"`);
  if (rule === 'count' && !(Number.isInteger(value) && value >= 0)) {
    throw new UsageError(`${option} must be a whole number of 0 or more, not "${printable(raw)}"`);
  }
  return value;
}

export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'score') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const options: CliOptions = {
    files: [],
    reference: [],
    unit: 'line',
    detector: DEFAULT_SETTINGS.detector,
    contamination: 'auto',
    encoder: true,
    top: 20,
    json: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--labels':
        options.labels = value();
        break;
      case '--train-labels':
        options.trainLabels = value();
        break;
      case '--blend-weight': {
        const w = numberArg(arg, value(), 'any');
        if (!(w >= 0 && w <= 1)) throw new UsageError(`--blend-weight must lie in [0, 1], not ${w}`);
        options.blendWeight = w;
        break;
      }
      case '--reference':
        options.reference.push(value());
        break;
      case '--unit': {
        const unit = value();
        if (!['line', 'template', 'session', 'window'].includes(unit))
          throw new UsageError(`--unit must be line, template, session or window, not "${unit}"`);
        options.unit = unit as ScoringUnit;
        break;
      }
      case '--detector': {
        const detector = value();
        if (!['forest', 'surprise', 'fused'].includes(detector))
          throw new UsageError(`--detector must be forest, surprise or fused, not "${detector}"`);
        options.detector = detector as DetectorKind;
        break;
      }
      case '--contamination': {
        const c = Number(value());
        if (!(c > 0 && c <= 0.5)) throw new UsageError('--contamination must be a fraction in (0, 0.5]');
        options.contamination = c;
        break;
      }
      case '--threshold':
        options.threshold = numberArg(arg, value(), 'any');
        break;
      case '--model':
        options.model = value();
        break;
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
      case '--layout':
        options.layout = value();
        break;
      case '--no-encoder':
        options.encoder = false;
        break;
      case '--top':
        options.top = numberArg(arg, value(), 'count');
        break;
      case '--json':
        options.json = true;
        break;
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${printable(arg)}`);
        options.files.push(arg);
    }
  }
  if (options.files.length === 0) throw new UsageError('give at least one log file');
  for (const f of [
    ...options.files,
    ...options.reference,
    ...(options.labels ? [options.labels] : []),
    ...(options.trainLabels ? [options.trainLabels] : []),
  ]) {
    if (!existsSync(f) || !statSync(f).isFile()) throw new UsageError(`no such file: ${printable(f)}`);
  }
  return options;
}

function nodeEncoderFactory(model: string | undefined): EncoderFactory {
  const modelsBase = resolve(import.meta.dirname, '..', '..', 'public', 'models');
  return () => createEncoder(encoderSourceFromArgument(model), 'cpu', { modelsBase });
}

/**
 * A file on disk as the browser gives a dropped one: a File whose bytes are read from disk on
 * demand (not loaded) and whose lastModified is the file's mtime, the year of year-less timestamps.
 */
export async function openLogFile(path: string): Promise<File> {
  return new File([await openAsBlob(path)], basename(path), { lastModified: statSync(path).mtimeMs });
}

let spoolSet = false;

export async function runScore(
  options: CliOptions,
  log: (line: string) => void = console.error,
): Promise<{ summary: AnalysisSummary; threshold: number; learning?: LearningSummary; top: TopLine[] }> {
  // Text too large to hold (a big log, a gzip expanding to gigabytes) goes to temporary files,
  // not into memory: the bounded path the browser gets from its disk-backed Blobs.
  if (!spoolSet) setDefaultTextSpool(createFileTextSpool());
  spoolSet = true;
  const service = new AnalysisService(options.encoder ? nodeEncoderFactory(options.model) : undefined, {
    textInMemoryLimit: options.textInMemoryLimit,
  });
  const files: AnalysisInput['files'] = [];
  for (const f of options.reference) files.push({ name: basename(f), data: await openLogFile(f), role: 'reference' });
  for (const f of options.files) files.push({ name: basename(f), data: await openLogFile(f), role: 'target' });
  const input: AnalysisInput = {
    files,
    labels: options.labels ? { name: basename(options.labels), data: await openAsBlob(options.labels) } : undefined,
  };
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
  for (const { name, notes } of filesNotes(summary.files)) log(`loupe: ${printable(name)}: ${notes.join('; ')}`);
  const targets = summary.files.filter((f) => f.role === 'target');
  const textBytes = targets.reduce((n, f) => n + f.report.textBytes, 0);
  if (textBytes > (options.textInMemoryLimit ?? TEXT_IN_MEMORY_LIMIT)) {
    const zipped = targets.filter((f) => f.report.compression === 'gzip').reduce((n, f) => n + f.report.bytesRead, 0);
    log(
      `loupe: ${formatBytes(textBytes)} of text${zipped ? ` (from ${formatBytes(zipped)} of gzip)` : ''}: lines are read back from the files, not held in memory`,
    );
  }
  if (summary.encoder?.fallbackReason && summary.encoder.device === 'none') log(`loupe: ${printable(summary.encoder.fallbackReason)}`);
  let learning: LearningSummary | undefined;
  if (options.trainLabels) {
    const view = await service.trainOnLabelFile(await openAsBlob(options.trainLabels), basename(options.trainLabels), {
      weight: options.blendWeight,
    });
    summary = view.summary;
    learning = view.learning;
    log(`loupe: ${describeLearning(learning, summary.settings.unit)}`);
  }
  let threshold = summary.threshold;
  if (options.threshold !== undefined) {
    threshold = options.threshold;
    const view = await service.thresholdView(threshold);
    summary = { ...summary, threshold, metrics: view.metrics };
  }
  return { summary, threshold, learning, top: await topLines(service, summary, options.top) };
}

/** A failure as one line for the terminal: the first line of its message, escaped. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return printable(message.split(/\r?\n/)[0].trim() || 'failed without a message');
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Runs the command line; returns the exit code: 0 done, 1 the input could not be analysed,
 * 2 bad usage. `testing` reaches options a command line does not offer.
 */
export async function main(
  argv: string[],
  io: CliIo = { out: console.log, err: console.error },
  testing: Pick<CliOptions, 'textInMemoryLimit'> = {},
): Promise<number> {
  let options: CliOptions;
  try {
    options = { ...parseArgs(argv), ...testing };
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`loupe: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  try {
    const { summary, learning, top } = await runScore(options, io.err);
    if (options.json) io.out(JSON.stringify(report(summary, options, top, learning), null, 2));
    else printText(summary, top, io.out);
    return 0;
  } catch (error) {
    io.err(`loupe: ${oneLine(error)}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exitCode = await main(process.argv.slice(2));
