/**
 * The values behind each `<*>` of a line's template, as this log wrote them: top values with their
 * counts (categorical positions) or the ordinary range and quantiles (numbers), with the values the
 * profile finds unusual marked. This is what the "values" evidence compares a line against.
 */
import type { LineDetail } from '../../core/analysis/types';
import { formatCount } from '../format';

const num = (x: number) => (Math.abs(x) >= 1000 || Number.isInteger(x) ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

export function ValueProfile({ values }: { values: LineDetail['values'] }) {
  const shown = values.filter((p) => p.kind !== 'free' || p.topValues.length > 0);
  if (shown.length === 0) return null;
  return (
    <div data-testid="value-profile">
      <div className="section-title">Values behind the wildcards</div>
      <ul className="value-profile">
        {shown.map((p) => (
          <li key={p.position}>
            <span className="muted">&lt;*&gt; #{p.position + 1}</span>{' '}
            {p.kind === 'numeric' && p.ordinary && p.quantiles ? (
              <>
                ordinary {num(p.ordinary[0])} – {num(p.ordinary[1])}; median {num(p.quantiles[3])}, 99% {num(p.quantiles[6])} (
                {formatCount(p.count)} lines)
              </>
            ) : (
              <>
                {p.topValues.map((v, k) => (
                  <span
                    key={k}
                    className={v.unusual ? 'value unusual' : 'value'}
                    title={v.unusual ? 'unusual for this template' : undefined}
                  >
                    {v.value} <span className="muted">×{formatCount(v.count)}</span>
                    {k < p.topValues.length - 1 ? ', ' : ''}
                  </span>
                ))}
                {p.other > 0 && <span className="muted">, other ×{formatCount(p.other)}</span>}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
