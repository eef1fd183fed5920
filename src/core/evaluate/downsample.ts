/**
 * Thins a curve to at most `maxPoints` for charts while keeping its shape: points are kept each
 * time the path has travelled another 1/(maxPoints − 1) of its total length, plus both ends. Index
 * spacing would drop the steep high-precision start of a PR curve, which has few points.
 */
export function downsampleCurve<T>(points: T[], x: (p: T) => number, y: (p: T) => number, maxPoints = 200): T[] {
  if (points.length <= maxPoints) return points.slice();
  if (maxPoints < 2) return points.slice(0, Math.max(0, maxPoints));
  const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    total += Math.hypot(finite(x(points[i])) - finite(x(points[i - 1])), finite(y(points[i])) - finite(y(points[i - 1])));
  }
  const step = total / (maxPoints - 1);
  const out: T[] = [points[0]];
  let travelled = 0;
  let nextMark = step;
  for (let i = 1; i < points.length - 1 && out.length < maxPoints - 1; i++) {
    travelled += Math.hypot(finite(x(points[i])) - finite(x(points[i - 1])), finite(y(points[i])) - finite(y(points[i - 1])));
    if (travelled >= nextMark) {
      out.push(points[i]);
      nextMark = travelled + step;
    }
  }
  out.push(points[points.length - 1]);
  return out;
}
