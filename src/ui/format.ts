/** Number and time formatting shared by the views. */

const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return Number.isFinite(n) ? integer.format(n) : '–';
}

export function formatScore(s: number, digits = 3): string {
  return Number.isFinite(s) ? s.toFixed(digits) : '–';
}

export function formatShare(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const pct = x * 100;
  return `${pct < 1 && pct > 0 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}

export function formatDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 1) return 'under a second left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** Compact count for chart ticks: 950, 1.2k, 34k, 1.5M. */
export function formatCompactCount(count: number): string {
  if (!Number.isFinite(count)) return '—';
  const abs = Math.abs(count);
  if (abs < 1000) return String(Math.round(count));
  if (abs < 1e6) return `${trim(count / 1e3)}k`;
  if (abs < 1e9) return `${trim(count / 1e6)}M`;
  return `${trim(count / 1e9)}G`;
}

function trim(v: number): string {
  return Math.abs(v) < 10 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v));
}

/** Score with three significant digits (chart ticks), no exponent for ordinary magnitudes. */
export function formatScoreShort(score: number): string {
  if (!Number.isFinite(score)) return '—';
  if (score === 0) return '0';
  const abs = Math.abs(score);
  if (abs >= 1e5 || abs < 1e-3) return score.toExponential(2);
  return String(Number(score.toPrecision(3)));
}
