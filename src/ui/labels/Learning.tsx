/**
 * The learning panel and the detail panel's learned scores, connected to the stores: the sharing
 * store trains the head after each label (state/sharing.ts `learn`) and holds what it learned and
 * the "Label next" list; selecting a suggestion selects its line in the viewer, where the verdict
 * keys label it.
 */
import { useEffect, useState } from 'react';
import { useLoupe, useSharing } from '../../state/store';
import { LearnedScores, LearningPanel } from './LearningPanel';

export function LabelNextTab() {
  const unit = useLoupe((s) => s.summary?.settings.unit ?? 'line');
  const selectedRecord = useLoupe((s) => s.selection.record ?? null);
  const selectRecord = useLoupe((s) => s.selectRecord);
  const learning = useSharing((s) => s.learning);
  const weight = useSharing((s) => s.blendWeight);
  const suggestions = useSharing((s) => s.suggestions);
  const setBlendWeight = useSharing((s) => s.setBlendWeight);
  const rescoring = useLoupe((s) => s.rescoring);
  return (
    <div style={{ padding: 6, overflow: 'auto', height: '100%' }}>
      <LearningPanel
        unit={unit}
        learning={learning}
        weight={weight}
        onWeight={setBlendWeight}
        suggestions={suggestions}
        selectedRecord={selectedRecord}
        onSelect={(record) => void selectRecord(record, { jump: true })}
        busy={rescoring}
      />
    </div>
  );
}

/** Blended, learned and unsupervised scores of the selected line (line units, once a head exists). */
export function LearnedScoresOf({ record }: { record: number }) {
  const unit = useLoupe((s) => s.summary?.settings.unit);
  const version = useLoupe((s) => s.summaryVersion);
  const trained = useSharing((s) => s.learning?.trained ?? false);
  const learningScores = useSharing((s) => s.learningScores);
  const wanted = unit === 'line' && trained;
  // Scores with the record and summary they answer: a stale answer is never shown.
  const [answer, setAnswer] = useState<{
    record: number;
    version: number;
    scores?: { unsupervised: number; learned?: number; blended?: number };
  }>();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void learningScores(record).then((scores) => live && setAnswer({ record, version, scores }));
    return () => {
      live = false;
    };
  }, [record, wanted, version, learningScores]);
  const scores = wanted && answer?.record === record && answer.version === version ? answer.scores : undefined;
  return scores ? <LearnedScores scores={scores} /> : null;
}
