/**
 * The words of a line coloured by what each did to the score, on a diverging scale centred on zero
 * with a noise floor: effects below the floor are drawn neutral, so a line whose words barely
 * matter looks plain instead of saturated. The legend gives the real range of the effects.
 */
import type { WordSaliency } from '../../core/analysis/types';
import { effectTint, formatSigned, LOWERS, RAISES } from './effects';

/** `effect`: the shown score (default); masked: the forest alone; surprise: the model, in nats. */
export type SaliencyMeasure = 'effect' | 'masked' | 'surprise';

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : 'n/a';
}

export function SaliencyHeatmap({ words, measure, noiseFloor }: { words: WordSaliency[]; measure: SaliencyMeasure; noiseFloor: number }) {
  const values = words.map((w) => w[measure]).filter(Number.isFinite);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 0;
  const signed = measure !== 'surprise';
  // Surprise is in nats, unsigned: its floor is 1 nat (a token the model found less likely than e^-1).
  const floor = signed ? noiseFloor : 1;
  const largest = Math.max(floor * 4, Math.abs(lo), Math.abs(hi));
  const meaningful = values.filter((v) => Math.abs(v) >= floor).length;
  return (
    <div>
      <div className="heatmap" data-testid="saliency">
        {words.map((w, i) => (
          <span
            key={`${w.start}-${i}`}
            className={`heat-word${Number.isFinite(w[measure]) ? '' : ' unexplained'}`}
            style={{ background: effectTint(w[measure], floor, largest) }}
            title={`${w.word}\non the score: ${formatSigned(w.effect)} (forest ${formatSigned(w.forestEffect)}, surprise ${formatSigned(w.surpriseEffect)})\nforest score, word masked: ${fmt(w.masked)}\nmodel surprise: ${fmt(w.surprise)} nats`}
          >
            <span>{w.word}</span>
            <small>{signed ? formatSigned(w[measure]) : fmt(w[measure])}</small>
          </span>
        ))}
      </div>
      <div className="legend" style={{ marginTop: 6 }} data-testid="saliency-legend">
        {signed ? (
          <>
            <span style={{ color: LOWERS }}>lowered</span>
            <span
              className="legend-bar"
              style={{
                background: `linear-gradient(to right, ${effectTint(-1, 0, 1)}, transparent 40%, transparent 60%, ${effectTint(1, 0, 1)})`,
              }}
            />
            <span style={{ color: RAISES }}>raised</span>
            <span>
              effects from <b>{formatSigned(lo)}</b> to <b>{formatSigned(hi)}</b>; under ±{fmt(floor)} is noise (uncoloured)
              {meaningful === 0 && ' — no single word moved this score: see the evidence above'}
            </span>
          </>
        ) : (
          <>
            <span>expected</span>
            <span className="legend-bar" style={{ background: `linear-gradient(to right, transparent 20%, ${effectTint(1, 0, 1)})` }} />
            <span>surprising</span>
            <span>
              from <b>{fmt(lo)}</b> to <b>{fmt(hi)}</b> nats per word; under {fmt(floor)} uncoloured
            </span>
          </>
        )}
      </div>
    </div>
  );
}
