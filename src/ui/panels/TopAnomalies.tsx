/**
 * The flagged units of the current unit, most anomalous first: score, count, first time, the
 * line's text and a one-line reason (the evidence that raised its score most). A click opens the
 * unit's worst line in the viewer and the detail panel.
 */
import type { TopAnomaly } from '../../core/analysis/types';
import { useLoupe } from '../../state/store';
import { UNIT_NAMES } from '../derived';
import { formatCount, formatDateTime, formatScore } from '../format';
import { TemplateText } from '../tables/TemplateText';
import { VerdictMark } from '../labels/LabelControls';

function firstSeen(t: TopAnomaly, timed: boolean): string {
  if (timed && Number.isFinite(t.start)) return formatDateTime(t.start);
  return `line ${formatCount(t.record + 1)}`;
}

export function TopAnomalies() {
  const top = useLoupe((s) => s.topAnomalies);
  const unit = useLoupe((s) => s.summary?.settings.unit ?? 'line');
  const timed = useLoupe((s) => s.summary?.timed ?? false);
  const selectedRecord = useLoupe((s) => s.selection.record);
  // A line's label needs its file: known here when the analysis has one target file.
  const singleFile = useLoupe((s) => {
    const targets = (s.summary?.files ?? []).flatMap((f, i) => (f.role === 'target' ? [i] : []));
    return targets.length === 1 ? targets[0] : -1;
  });
  const selectRecord = useLoupe((s) => s.selectRecord);
  const selectTemplate = useLoupe((s) => s.selectTemplate);
  const selectSession = useLoupe((s) => s.selectSession);
  const open = (t: TopAnomaly) => {
    if (t.unit === 'template') void selectTemplate(t.index);
    else if (t.unit === 'session') selectSession(t.id);
    else void selectRecord(t.record, { jump: true });
  };
  if (top === null)
    return (
      <p className="hint" style={{ padding: 8 }}>
        Listing the top anomalies…
      </p>
    );
  if (top.length === 0) {
    return (
      <p className="hint" style={{ padding: 8 }}>
        No {UNIT_NAMES[unit]} are flagged at this threshold: lower it in the histogram to list some.
      </p>
    );
  }
  return (
    <div className="table-wrap" data-testid="top-anomalies">
      <ol className="top-list">
        {top.map((t) => (
          <li
            key={`${t.unit}:${t.index}`}
            className={t.record === selectedRecord ? 'selected' : undefined}
            onClick={() => open(t)}
            onKeyDown={(e) => e.key === 'Enter' && open(t)}
            tabIndex={0}
            title={t.unit === 'line' ? t.text : t.id}
          >
            <div className="top-line">
              <span className="top-rank">#{t.rank}</span>
              {t.unit === 'template' && <VerdictMark subject={{ target: 'template', templateId: t.index, text: t.id }} />}
              {t.unit === 'session' && <VerdictMark subject={{ target: 'session', id: t.id }} />}
              {t.unit === 'line' && singleFile >= 0 && (
                <VerdictMark subject={{ target: 'line', row: { file: singleFile, lineNumber: Number(t.id) } }} />
              )}
              <b className="flagged top-score">{formatScore(t.score)}</b>
              <span className="top-what mono">
                {t.unit === 'line' ? (
                  <TemplateText text={t.text} />
                ) : t.unit === 'template' ? (
                  <TemplateText text={t.id} />
                ) : (
                  <>
                    {t.unit} {t.id}
                  </>
                )}
              </span>
            </div>
            <div className="top-meta">
              <span className="top-reason">{t.reason}</span>
              <span className="muted top-facts">
                {t.unit !== 'line' && <>{formatCount(t.count)} lines · </>}
                {t.unit === 'line' && t.count > 1 && <>{formatCount(t.count)} flagged lines with this text · </>}
                {firstSeen(t, timed)}
              </span>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
