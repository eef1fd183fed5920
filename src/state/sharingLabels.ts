/**
 * The sharing store's labels and notes (issues 11, 12): the analyst's verdicts and notes on lines,
 * templates and sessions (content-keyed, written one label at a time), the notes on the analysis,
 * and the learned-score weight. Every label change re-feeds the evaluation and the retraining.
 */
import { isLive, mergeLabels, MAX_NOTE, type AnalystLabel, type LabelTarget } from '../core/labels/labels';
import { messageOf, targetAnalysisKey, type SharingContext } from './sharingContext';
import type { LabelSubject, SharingActions } from './sharingTypes';

type LabelActions = Pick<
  SharingActions,
  'keyOf' | 'labelOf' | 'setVerdict' | 'setNote' | 'currentLabels' | 'setNotes' | 'setNoteOpen' | 'learningScores' | 'setBlendWeight'
>;

export function labelActions(ctx: SharingContext): LabelActions {
  const { deps, set, get, main, keyOf } = ctx;

  async function writeLabel(subject: LabelSubject, change: Partial<Pick<AnalystLabel, 'verdict' | 'note'>>): Promise<void> {
    await ctx.fileKeysNow();
    const key = keyOf(subject);
    if (!key) return;
    const before = get().labels.get(key);
    const summary = main().summary;
    const label: AnalystLabel = {
      key,
      target: subject.target as LabelTarget,
      verdict: before?.verdict ?? null,
      note: before?.note ?? '',
      ...change,
      updatedAt: Math.max(ctx.now(), (before?.updatedAt ?? 0) + 1),
    };
    if (subject.target === 'line') {
      label.file = summary?.files[subject.row.file]?.name;
      label.line = subject.row.lineNumber;
    } else if (subject.target === 'template') label.template = subject.text;
    else label.session = subject.id;
    label.note = label.note.slice(0, MAX_NOTE);
    set({ labels: mergeLabels(get().labels, [label]) });
    ctx.syncEvaluation();
    try {
      await deps.storage.putLabels([label]);
    } catch (error) {
      set({ error: `The label is shown but could not be stored: ${messageOf(error)}` });
    }
  }

  return {
    keyOf,

    labelOf(subject) {
      const key = keyOf(subject);
      return key ? get().labels.get(key) : undefined;
    },

    async setVerdict(subject, verdict) {
      await writeLabel(subject, { verdict });
    },

    async setNote(subject, note) {
      await writeLabel(subject, { note });
    },

    currentLabels() {
      const keys = get().fileKeys;
      const analysis = ctx.analysisKeyNow();
      if (!keys || !analysis) return [];
      const prefixes = [...keys.map((k) => `${k}:L`), `${analysis}:`];
      return [...get().labels.values()].filter((l) => isLive(l) && prefixes.some((p) => l.key.startsWith(p)));
    },

    async setNotes(notes) {
      set({ notes });
      const keys = await ctx.fileKeysNow();
      const summary = main().summary;
      await deps.storage
        .putNote({ id: targetAnalysisKey(keys, summary), text: notes.slice(0, 1 << 20), updatedAt: ctx.now() })
        .catch((error: unknown) => set({ error: `Notes could not be stored: ${messageOf(error)}` }));
    },

    setNoteOpen(open) {
      set({ noteOpen: open });
    },

    async learningScores(unit) {
      return deps
        .api()
        .learningScores?.(unit)
        .catch(() => undefined);
    },

    setBlendWeight(weight) {
      if (weight !== null && !(weight >= 0 && weight <= 1)) return;
      set({ blendWeight: weight });
      ctx.syncEvaluation();
    },
  };
}
