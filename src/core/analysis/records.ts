/**
 * Files → records: every input file is read, parsed and its messages mined for templates; the
 * target's records are kept columnar (records.target) with their distinct masked texts.
 */
import { compileMasks, type CompiledMasks } from '../templates/masks';
import { formatBytes } from '../ingest/notes';
import type { TextSpoolFactory } from '../ingest/textSpool';
import {
  appendFile,
  createRecordBuilder,
  minerFor,
  type FileRecords,
  type FileProgress,
  type RecordSource,
  type TextBudget,
} from './buildRecords';
import { planParallelRead, type ParallelRead } from './mergeShards';
import type { ShardParser } from './parseShard';
import { permuteRecords, timestampOrder, type RecordTable } from './recordTable';
import type { TextTable } from '../types';
import type { AnalysisSettings, StageName } from './types';

export interface PipelineProgress {
  stage: StageName;
  done: number;
  total: number;
  message?: string;
  /**
   * Bytes of the input files read so far (read/parse stages), in the units of the files' sizes:
   * compressed bytes for gzip, so that the share done and the time left hold whatever the file
   * expands to (its expanded size is unknown until the end).
   */
  bytesRead?: number;
  /** Text bytes decoded so far (decompressed), for display. */
  textBytesRead?: number;
}

export interface RecordsResult {
  target: RecordTable;
  targetTexts: TextTable;
  reference?: { records: RecordTable; texts: TextTable };
  files: Array<FileRecords & { role: 'target' | 'reference' }>;
  templates: Array<{ id: number; text: string }>;
  /** Target records per template id (templates seen only in the reference have 0). */
  targetTemplateCounts: Uint32Array;
  referenceTemplateCounts?: Uint32Array;
  /** The variable masks in force: saliency masks its variants the same way. */
  masks: CompiledMasks;
  /** The template a masked text would join (no update), -1 for none: saliency's variants. */
  matchTemplate: (masked: string) => number;
}

export interface InputFile extends RecordSource {
  role: 'target' | 'reference';
  size?: number;
}

export interface RecordsOptions {
  /** Text kept as strings up to this many decompressed bytes of the target (see TextBudget). */
  textInMemoryLimit?: number;
  /** Where gzip text goes when it is kept out of memory; default: the host's (setDefaultTextSpool). */
  textSpool?: TextSpoolFactory;
  /**
   * Parses pieces of plain files on other threads (the browser's worker pool); without it, or for
   * a small input, every file is read on this thread. The records are the same either way.
   */
  shardParser?: ShardParser;
}

/**
 * Targets whose text (decompressed) stays within this many bytes keep their lines as strings;
 * past it, records keep only byte ranges and lines are read back from the files (memory stays
 * bounded for multi-GB logs and for gzip files whatever they expand to).
 */
export const TEXT_IN_MEMORY_LIMIT = 256 * 2 ** 20;

/**
 * Reads every file: references first, so that the target's templates are matched against them.
 * The last argument is the text limit alone (as the service passes it) or the records options.
 */
export async function buildRecords(
  files: InputFile[],
  settings: Pick<AnalysisSettings, 'layoutFormat' | 'masks'>,
  onProgress?: (p: PipelineProgress) => void,
  signal?: AbortSignal,
  limitOrOptions: number | RecordsOptions = {},
): Promise<RecordsResult> {
  const recordsOptions = typeof limitOrOptions === 'number' ? { textInMemoryLimit: limitOrOptions } : limitOrOptions;
  const limit = recordsOptions.textInMemoryLimit ?? TEXT_IN_MEMORY_LIMIT;
  // Files whose size alone passes the limit skip the strings from the start (a gzip's text is larger
  // still); otherwise the text is measured as it streams and expands.
  const plainTargetBytes = files.filter((f) => f.role === 'target').reduce((n, f) => n + (f.data instanceof Blob ? f.data.size : 0), 0);
  const budget: TextBudget = { limit, used: 0, kept: plainTargetBytes <= limit };
  const options = { layoutFormat: settings.layoutFormat, masks: settings.masks, signal, textSpool: recordsOptions.textSpool };
  const shared = createRecordBuilder(options);
  const referenceState = createRecordBuilder(options);
  // In input order, whatever order they are read in: records name their file by input index.
  const out: RecordsResult['files'] = new Array(files.length);
  const ordered = [...files.filter((f) => f.role === 'reference'), ...files.filter((f) => f.role === 'target')];
  let linesBefore = 0;
  let bytesBefore = 0;
  let textBefore = 0;
  let parallel: ParallelRead | undefined;
  try {
    if (recordsOptions.shardParser) {
      const planned = await planParallelRead(
        files,
        ordered,
        settings.layoutFormat,
        settings.masks,
        recordsOptions.shardParser,
        budget,
        signal,
      );
      if (planned) {
        parallel = planned.read;
        // The miner the one-thread path would make at the first file with a line, made now: the
        // pieces are masked with its masks while they parse.
        if (planned.minerLayout !== undefined) minerFor(ordered[0].role === 'reference' ? referenceState : shared, planned.minerLayout);
        parallel.start();
      }
    }
    for (const file of ordered) {
      const state = file.role === 'reference' ? referenceState : shared;
      // Reference and target share one template miner, so the target's templates match the reference's.
      state.miner ??= (state === shared ? referenceState : shared).miner;
      const fileIndex = files.indexOf(file);
      // `count` below is the builder's running total: earlier files of this role are in linesBefore already.
      const countBefore = state.builder.count;
      const fileOptions = {
        ...options,
        // The reference only trains the detectors: its lines are never shown, so never kept.
        textBudget: file.role === 'reference' ? (false as const) : budget,
        onLines: (count: number, read: FileProgress) =>
          onProgress?.({
            stage: 'parse',
            done: linesBefore + count - countBefore,
            total: Number.NaN,
            // A gzip file's own size says little: say how much text it has given so far.
            message: read.gzip ? `${file.name} (${formatBytes(read.textBytes)} of text so far)` : file.name,
            bytesRead: bytesBefore + read.sourceBytes,
            textBytesRead: textBefore + read.textBytes,
          }),
      };
      const result = parallel?.has(file)
        ? await parallel.appendFile(state, file, fileIndex, fileOptions)
        : await appendFile(state, file, fileIndex, fileOptions);
      linesBefore += result.records;
      bytesBefore += result.report.bytesRead;
      textBefore += result.report.textBytes;
      out[fileIndex] = { ...result, role: file.role };
    }
  } catch (error) {
    for (const f of out) f?.discardText?.();
    throw error;
  } finally {
    parallel?.stop();
  }
  let target = shared.builder.finish();
  if (budget.kept) {
    for (const f of out) {
      f?.discardText?.();
      if (f) f.text = undefined;
    }
  } else {
    target.lazyText = {
      files: out.map((f) =>
        f?.text ? { blob: f.text, encoding: f.report.encoding, layoutId: f.layout.id, layoutFormat: f.layout.format } : undefined,
      ),
    };
  }
  for (const f of out) if (f) delete f.discardText;
  const targetFiles = files.filter((f) => f.role === 'target').length;
  if (targetFiles > 1) target = permuteRecords(target, timestampOrder(target));
  const reference = files.some((f) => f.role === 'reference')
    ? { records: referenceState.builder.finish(), texts: referenceState.texts.table() }
    : undefined;
  const miner = shared.miner ?? referenceState.miner;
  const templates = miner ? miner.drain.templates().map((t) => ({ id: t.id, text: t.text })) : [];
  return {
    target,
    targetTexts: shared.texts.table(),
    reference,
    files: out,
    templates,
    masks: miner?.masks ?? compileMasks([]),
    matchTemplate: (masked) => (miner ? miner.drain.matchMasked(masked) : -1),
    targetTemplateCounts: countTemplates(target, templates.length),
    referenceTemplateCounts: reference ? countTemplates(reference.records, templates.length) : undefined,
  };
}

function countTemplates(records: RecordTable, templateCount: number): Uint32Array {
  const counts = new Uint32Array(templateCount);
  for (let i = 0; i < records.count; i++) counts[records.templateId[i]]++;
  return counts;
}
