/**
 * Which evidence moved the score: one bar per named evidence, the score change when it is set to
 * its typical value, on a diverging axis centred on zero (orange raised the score, blue lowered
 * it, grey below the noise floor), with the value in the analyst's words beside it.
 */
import type { EvidenceContribution } from '../../core/analysis/types';
import { formatSigned } from './effects';
import { RAISES, LOWERS } from './effects';

export function EvidenceChart({ evidence, noiseFloor }: { evidence: EvidenceContribution[]; noiseFloor: number }) {
  if (evidence.length === 0) return <p className="hint">This detector reads no named evidence.</p>;
  const largest = Math.max(noiseFloor * 4, ...evidence.map((e) => Math.abs(e.effect)).filter(Number.isFinite));
  return (
    <div className="evidence" data-testid="evidence-chart" role="table" aria-label="Which evidence moved the score">
      {evidence.map((e) => {
        const noise = !(Math.abs(e.effect) >= noiseFloor);
        const width = `${Math.min(50, (Math.abs(e.effect) / largest) * 50)}%`;
        const colour = noise ? 'var(--grid)' : e.effect > 0 ? RAISES : LOWERS;
        return (
          <div
            className={`evidence-row${noise ? ' noise' : ''}`}
            key={e.name}
            role="row"
            title={`${e.label}: ${e.words}\nscore change when set to typical: ${formatSigned(e.effect)}`}
          >
            <span className="evidence-label" role="cell">
              {e.label}
            </span>
            <span className="evidence-bar" role="cell" aria-label={`effect ${formatSigned(e.effect)}`}>
              <span className="evidence-axis" />
              <span
                className="evidence-fill"
                style={{ width, background: colour, ...(e.effect >= 0 ? { left: '50%' } : { right: '50%' }) }}
              />
            </span>
            <span className="evidence-value" role="cell">
              {formatSigned(e.effect)}
            </span>
            <span className="evidence-words" role="cell">
              {e.words}
            </span>
          </div>
        );
      })}
      <div className="legend">
        <span style={{ color: LOWERS }}>◀ lowered the score</span>
        <span className="spacer" />
        <span>
          change when the evidence is set to its typical value · grey: below the noise floor ±{formatSigned(noiseFloor).replace('+', '')}
        </span>
        <span className="spacer" />
        <span style={{ color: RAISES }}>raised it ▶</span>
      </div>
    </div>
  );
}
