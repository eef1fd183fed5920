/**
 * The analyst's verdict and note on a line, template or session: Anomaly / Normal toggles (keys
 * `a` and `x` on the selected line) and a note (`c`). Labels are stored in this browser per label,
 * keyed by the content they are about, and travel in saved analyses, bundles, CSVs and reports.
 */
import { useEffect, useRef, useState } from 'react';
import type { LabelSubject } from '../../state/sharing';
import { useSharing } from '../../state/store';

export function LabelControls({ subject }: { subject: LabelSubject }) {
  const label = useSharing((s) => s.labelOf(subject));
  // Re-render when labels or fingerprints change (labelOf reads both).
  useSharing((s) => s.labels);
  useSharing((s) => s.fileKeys);
  const setVerdict = useSharing((s) => s.setVerdict);
  const setNote = useSharing((s) => s.setNote);
  const noteOpen = useSharing((s) => s.noteOpen);
  const setNoteOpen = useSharing((s) => s.setNoteOpen);
  const [draft, setDraft] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const verdict = label?.verdict ?? null;
  const note = label?.note ?? '';
  const showNote = noteOpen || note !== '' || draft !== null;
  useEffect(() => {
    if (noteOpen) box.current?.focus();
  }, [noteOpen]);
  const saveNote = () => {
    if (draft !== null && draft !== note) void setNote(subject, draft);
    setDraft(null);
    setNoteOpen(false);
  };
  return (
    <div className="label-controls" data-testid={`label-controls-${subject.target}`}>
      <div className="inline">
        <button
          className={`btn small${verdict === 1 ? ' on' : ''}`}
          aria-pressed={verdict === 1}
          data-testid="label-anomaly"
          onClick={() => void setVerdict(subject, verdict === 1 ? null : 1)}
          title="Anomaly (key a)"
        >
          Anomaly
        </button>
        <button
          className={`btn small${verdict === 0 ? ' on' : ''}`}
          aria-pressed={verdict === 0}
          data-testid="label-normal"
          onClick={() => void setVerdict(subject, verdict === 0 ? null : 0)}
          title="Normal: a false positive (key x)"
        >
          Normal
        </button>
        {!showNote && (
          <button className="btn small ghost" onClick={() => setNoteOpen(true)} title="Add a note (key c)">
            Note…
          </button>
        )}
        <span className="muted">{verdict === null ? 'kept in this browser, saved analyses and bundles' : 'click again to clear'}</span>
      </div>
      {showNote && (
        <textarea
          ref={box}
          rows={2}
          value={draft ?? note}
          placeholder="Why: what you checked, what it was"
          data-testid="label-note"
          onChange={(e) => setDraft(e.currentTarget.value)}
          onBlur={saveNote}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) saveNote();
            if (e.key === 'Escape') {
              setDraft(null);
              setNoteOpen(false);
            }
          }}
        />
      )}
    </div>
  );
}

/** A small mark for lists (viewer, tables, top anomalies): the analyst's verdict, if any. */
export function VerdictMark({ subject }: { subject: LabelSubject }) {
  const label = useSharing((s) => s.labelOf(subject));
  useSharing((s) => s.labels);
  if (!label || (label.verdict === null && !label.note)) return null;
  const text = label.verdict === 1 ? 'A' : label.verdict === 0 ? 'N' : '✎';
  const title = `${label.verdict === 1 ? 'You marked this an anomaly' : label.verdict === 0 ? 'You marked this normal' : 'Your note'}${label.note ? `: ${label.note}` : ''}`;
  return (
    <span className={`verdict-mark v${label.verdict ?? 'n'}`} title={title} data-testid="verdict-mark">
      {text}
    </span>
  );
}
