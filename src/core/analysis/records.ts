/**
 * Files → records: every input file is read, parsed and its messages mined for templates; the
 * target's records are kept columnar (records.target) with their distinct masked texts.
 */
import { compileMasks, type CompiledMasks } from '../templates/masks';
import { appendFile, createRecordBuilder, type FileRecords, type RecordSource } from './buildRecords';
import { permuteRecords, timestampOrder, type RecordTable } from './recordTable';
import type { TextTable } from './textScores';
import type { AnalysisSettings, StageName } from './types';

export interface PipelineProgress {
  stage: StageName;
  done: number;
  total: number;
  message?: string;
  /** Characters of input read so far (read/parse stages), for estimating time left. */
  charsRead?: number;
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

/**
 * Inputs up to this many bytes keep their lines as strings; larger ones keep only byte ranges and
 * read lines back from the files (memory stays bounded for multi-GB logs).
 */
export const TEXT_IN_MEMORY_LIMIT = 256 * 2 ** 20;

/** Reads every file: references first, so that the target's templates are matched against them. */
export async function buildRecords(
  files: InputFile[], settings: Pick<AnalysisSettings, 'layoutFormat' | 'masks'>,
  onProgress?: (p: PipelineProgress) => void, signal?: AbortSignal, textInMemoryLimit = TEXT_IN_MEMORY_LIMIT,
): Promise<RecordsResult> {
  // Sizes of streams are unknown: they are kept as strings.
  const targetBytes = files.filter((f) => f.role === 'target').reduce((n, f) => n + (f.data instanceof Blob ? f.data.size : 0), 0);
  const keepText = targetBytes <= textInMemoryLimit;
  const options = { layoutFormat: settings.layoutFormat, masks: settings.masks, signal };
  const shared = createRecordBuilder(options);
  const referenceState = createRecordBuilder(options);
  // In input order, whatever order they are read in: records name their file by input index.
  const out: RecordsResult['files'] = new Array(files.length);
  const ordered = [...files.filter((f) => f.role === 'reference'), ...files.filter((f) => f.role === 'target')];
  let linesBefore = 0;
  let charsBefore = 0;
  for (const file of ordered) {
    const state = file.role === 'reference' ? referenceState : shared;
    // Reference and target share one template miner, so the target's templates match the reference's.
    state.miner ??= (state === shared ? referenceState : shared).miner;
    const fileIndex = files.indexOf(file);
    const result = await appendFile(state, file, fileIndex, {
      ...options,
      // The reference only trains the detectors: its lines are never shown, kept as strings always.
      keepText: keepText || file.role === 'reference',
      onLines: (count, chars) => onProgress?.({
        stage: 'parse', done: linesBefore + count, total: Number.NaN, message: file.name, charsRead: charsBefore + chars,
      }),
    });
    linesBefore += result.records;
    charsBefore += file.size ?? 0;
    out[fileIndex] = { ...result, role: file.role };
  }
  let target = shared.builder.finish();
  if (!keepText) {
    target.lazyText = {
      files: out.map((f) => (f?.text ? { blob: f.text, encoding: f.report.encoding, layoutId: f.layout.id, layoutFormat: f.layout.format } : undefined)),
    };
  }
  const targetFiles = files.filter((f) => f.role === 'target').length;
  if (targetFiles > 1) target = permuteRecords(target, timestampOrder(target));
  const reference = files.some((f) => f.role === 'reference')
    ? { records: referenceState.builder.finish(), texts: referenceState.texts.table() }
    : undefined;
  const miner = shared.miner ?? referenceState.miner;
  const templates = miner ? miner.drain.templates().map((t) => ({ id: t.id, text: t.text })) : [];
  return {
    target, targetTexts: shared.texts.table(), reference, files: out, templates, masks: miner?.masks ?? compileMasks([]),
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
