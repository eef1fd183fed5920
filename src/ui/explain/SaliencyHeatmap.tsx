/**
 * The words of a line coloured by how much each moved the score, with the number under each word
 * and all three measures on hover. Orange raised the score, blue lowered it (Okabe-Ito pair).
 */
import type { WordSaliency } from '../../core/analysis/types';
import { LEVEL_COLORS } from '../charts/palette';

export type SaliencyMeasure = 'masked' | 'deleted' | 'surprise';

const RAISES = LEVEL_COLORS.ERROR;
const LOWERS = LEVEL_COLORS.INFO;

function tint(value: number, scale: number): string {
  if (!Number.isFinite(value) || scale === 0) return 'transparent';
  const strength = Math.min(Math.abs(value) / scale, 1);
  const colour = value >= 0 ? RAISES : LOWERS;
  // Up to ~70% opacity keeps the word readable on both themes.
  return `color-mix(in srgb, ${colour} ${Math.round(strength * 70)}%, transparent)`;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : 'n/a';
}

export function SaliencyHeatmap({ words, measure }: { words: WordSaliency[]; measure: SaliencyMeasure }) {
  const scale = words.reduce((m, w) => (Number.isFinite(w[measure]) ? Math.max(m, Math.abs(w[measure])) : m), 0);
  const signed = measure !== 'surprise';
  return (
    <div>
      <div className="heatmap" data-testid="saliency">
        {words.map((w, i) => (
          <span
            key={`${w.start}-${i}`}
            className="heat-word"
            style={{ background: tint(w[measure], scale) }}
            title={`${w.word}\nmasked: ${fmt(w.masked)}\ndeleted: ${fmt(w.deleted)}\nsurprise: ${fmt(w.surprise)}`}
          >
            <span>{w.word}</span>
            <small>{fmt(w[measure])}</small>
          </span>
        ))}
      </div>
      <div className="legend" style={{ marginTop: 6 }}>
        {signed ? (
          <>
            <span>lowered the score −{fmt(scale)}</span>
            <span className="legend-bar" style={{ background: `linear-gradient(to right, ${tint(-1, 1)}, transparent, ${tint(1, 1)})` }} />
            <span>+{fmt(scale)} raised it</span>
          </>
        ) : (
          <>
            <span>expected 0</span>
            <span className="legend-bar" style={{ background: `linear-gradient(to right, transparent, ${tint(1, 1)})` }} />
            <span>{fmt(scale)} surprising (nats)</span>
          </>
        )}
      </div>
    </div>
  );
}
