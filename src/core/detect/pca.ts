/**
 * PCA (optionally whitened) for the forest's input: covariance of the centred rows, then a full
 * symmetric eigendecomposition (Householder tridiagonalisation + implicit QR with Wilkinson
 * shifts), so results are exact and deterministic rather than iteration-count dependent.
 *
 * Conventions match scikit-learn's PCA: variance with n − 1, whitened components have unit
 * variance on the training rows. Signs are fixed so each component's largest-magnitude
 * coefficient is positive (the same rule tests apply to numpy's eigh).
 */

export interface PcaOptions {
  /** Number of leading components to keep (clipped to nDims). */
  components: number;
  /** Divide each component by its standard deviation. Default false. */
  whiten?: boolean;
}

export interface Pca {
  /** Number of components kept (the width of `transform`'s output). */
  readonly components: number;
  readonly nDims: number;
  readonly whiten: boolean;
  /** Column means of the training rows. */
  readonly mean: Float64Array;
  /** Unit eigenvectors, row-major `components × nDims`, by decreasing variance. */
  readonly basis: Float64Array;
  /** Variance along each component (eigenvalues of the covariance, n − 1 denominator). */
  readonly explainedVariance: Float64Array;
  /** Projects row-major rows onto the components: `nRows × components`, row-major. */
  transform(X: Float32Array, nRows: number): Float32Array;
}

/** A whitened component whose variance is below this share of the largest is zeroed, not blown up. */
const WHITEN_RELATIVE_FLOOR = 1e-10;

export function fitPca(X: Float32Array, nRows: number, nDims: number, opts: PcaOptions): Pca {
  if (!Number.isInteger(nRows) || nRows < 2) throw new RangeError(`PCA needs at least 2 rows, got ${nRows}`);
  if (!Number.isInteger(nDims) || nDims < 1) throw new RangeError(`nDims must be a positive integer, got ${nDims}`);
  if (X.length < nRows * nDims) throw new RangeError(`X holds ${X.length} values, fewer than nRows·nDims`);
  if (!Number.isInteger(opts.components) || opts.components < 1) {
    throw new RangeError(`components must be a positive integer, got ${opts.components}`);
  }
  const k = Math.min(opts.components, nDims);
  const whiten = opts.whiten ?? false;

  const mean = columnMeans(X, nRows, nDims);
  const cov = covariance(X, nRows, nDims, mean);
  const { values, vectors } = symmetricEigen(cov, nDims);

  // symmetricEigen returns ascending order: take the last k, largest first.
  const basis = new Float64Array(k * nDims);
  const explainedVariance = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const col = nDims - 1 - c;
    explainedVariance[c] = Math.max(values[col], 0);
    let largest = 0;
    let largestAbs = -1;
    for (let j = 0; j < nDims; j++) {
      const v = vectors[j * nDims + col];
      if (Math.abs(v) > largestAbs + 1e-12) {
        largestAbs = Math.abs(v);
        largest = v;
      }
    }
    const sign = largest < 0 ? -1 : 1;
    for (let j = 0; j < nDims; j++) basis[c * nDims + j] = sign * vectors[j * nDims + col];
  }
  return new FittedPca(k, nDims, whiten, mean, basis, explainedVariance);
}

class FittedPca implements Pca {
  /** basis rows pre-multiplied by the whitening scale, and the projection of the mean. */
  private readonly weights: Float64Array;
  private readonly shift: Float64Array;

  constructor(
    readonly components: number,
    readonly nDims: number,
    readonly whiten: boolean,
    readonly mean: Float64Array,
    readonly basis: Float64Array,
    readonly explainedVariance: Float64Array,
  ) {
    const floor = WHITEN_RELATIVE_FLOOR * (explainedVariance[0] ?? 0);
    this.weights = new Float64Array(basis.length);
    this.shift = new Float64Array(components);
    for (let c = 0; c < components; c++) {
      const variance = explainedVariance[c];
      const scale = !whiten ? 1 : variance > floor && variance > 0 ? 1 / Math.sqrt(variance) : 0;
      let shift = 0;
      for (let j = 0; j < nDims; j++) {
        const w = basis[c * nDims + j] * scale;
        this.weights[c * nDims + j] = w;
        shift += w * mean[j];
      }
      this.shift[c] = shift;
    }
  }

  transform(X: Float32Array, nRows: number): Float32Array {
    const { nDims, components, weights, shift } = this;
    if (X.length < nRows * nDims) throw new RangeError(`X holds ${X.length} values, fewer than nRows·nDims`);
    const out = new Float32Array(nRows * components);
    for (let r = 0; r < nRows; r++) {
      const base = r * nDims;
      for (let c = 0; c < components; c++) {
        const wBase = c * nDims;
        let acc = 0;
        for (let j = 0; j < nDims; j++) acc += X[base + j] * weights[wBase + j];
        out[r * components + c] = acc - shift[c];
      }
    }
    return out;
  }
}

function columnMeans(X: Float32Array, nRows: number, nDims: number): Float64Array {
  const mean = new Float64Array(nDims);
  for (let r = 0; r < nRows; r++) {
    const base = r * nDims;
    for (let j = 0; j < nDims; j++) mean[j] += X[base + j];
  }
  for (let j = 0; j < nDims; j++) mean[j] /= nRows;
  return mean;
}

/** Sample covariance (n − 1), row-major nDims × nDims; the upper triangle is accumulated, then mirrored. */
function covariance(X: Float32Array, nRows: number, nDims: number, mean: Float64Array): Float64Array {
  const cov = new Float64Array(nDims * nDims);
  const centred = new Float64Array(nDims);
  for (let r = 0; r < nRows; r++) {
    const base = r * nDims;
    for (let j = 0; j < nDims; j++) centred[j] = X[base + j] - mean[j];
    for (let i = 0; i < nDims; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const rowBase = i * nDims;
      for (let j = i; j < nDims; j++) cov[rowBase + j] += ci * centred[j];
    }
  }
  const denom = nRows - 1;
  for (let i = 0; i < nDims; i++) {
    for (let j = i; j < nDims; j++) {
      const v = cov[i * nDims + j] / denom;
      cov[i * nDims + j] = v;
      cov[j * nDims + i] = v;
    }
  }
  return cov;
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major, not modified). Returns eigenvalues in
 * ascending order and eigenvectors as the columns of `vectors` (row-major n × n).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(matrix.subarray(0, n * n));
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(n - 1, 0));
  tridiagonalize(A, Q, n, diag, off);
  // The QR sweeps rotate pairs of eigenvectors: keep them as contiguous rows (Qᵀ) for the cache.
  const Qt = A;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) Qt[c * n + r] = Q[r * n + c];
  tridiagonalQr(diag, off, Qt, n);

  // Sort ascending, moving eigenvectors along.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => diag[a] - diag[b]);
  const values = new Float64Array(n);
  const vectors = Q;
  for (let c = 0; c < n; c++) {
    const src = order[c];
    values[c] = diag[src];
    for (let r = 0; r < n; r++) vectors[r * n + c] = Qt[src * n + r];
  }
  return { values, vectors };
}

/**
 * Householder reduction A = Q T Qᵀ with T tridiagonal. A is overwritten; Q must start as the
 * identity and accumulates the reflections.
 */
function tridiagonalize(A: Float64Array, Q: Float64Array, n: number, diag: Float64Array, off: Float64Array): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // Reflect x = A[k+1.., k] onto alpha·e1.
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += A[i * n + k] * A[i * n + k];
    const x0 = A[(k + 1) * n + k];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    let vNorm2 = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = A[i * n + k];
      if (i === k + 1) v[i] -= alpha;
      vNorm2 += v[i] * v[i];
    }
    if (vNorm2 === 0) continue;
    const vNorm = Math.sqrt(vNorm2);
    for (let i = k + 1; i < n; i++) v[i] /= vNorm;

    // Trailing block B ← H B H with H = I − 2vvᵀ: p = Bv, w = p − (vᵀp)v, B −= 2(vwᵀ + wvᵀ).
    let vp = 0;
    for (let i = k + 1; i < n; i++) {
      let acc = 0;
      const row = i * n;
      for (let j = k + 1; j < n; j++) acc += A[row + j] * v[j];
      p[i] = acc;
      vp += v[i] * acc;
    }
    for (let i = k + 1; i < n; i++) p[i] -= vp * v[i];
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i];
      const wi = p[i];
      for (let j = k + 1; j < n; j++) A[row + j] -= 2 * (vi * p[j] + wi * v[j]);
    }
    A[(k + 1) * n + k] = alpha;
    A[k * n + k + 1] = alpha;
    for (let i = k + 2; i < n; i++) {
      A[i * n + k] = 0;
      A[k * n + i] = 0;
    }
    // Q ← Q H: each row q of Q becomes q − 2(q·v)vᵀ.
    for (let r = 0; r < n; r++) {
      const row = r * n;
      let dot = 0;
      for (let j = k + 1; j < n; j++) dot += Q[row + j] * v[j];
      if (dot === 0) continue;
      dot *= 2;
      for (let j = k + 1; j < n; j++) Q[row + j] -= dot * v[j];
    }
  }
  for (let i = 0; i < n; i++) diag[i] = A[i * n + i];
  for (let i = 0; i < n - 1; i++) off[i] = A[(i + 1) * n + i];
}

/**
 * Implicit symmetric QR on a tridiagonal matrix (Golub & Van Loan 8.3), Wilkinson shift, with the
 * Givens rotations applied to the rows of Qt (eigenvectors as rows). On return `diag` holds the eigenvalues.
 */
function tridiagonalQr(diag: Float64Array, off: Float64Array, Qt: Float64Array, n: number): void {
  const eps = 2.220446049250313e-16;
  let hi = n - 1;
  let iterations = 0;
  const maxIterations = 60 * Math.max(n, 1);
  while (hi > 0) {
    if (Math.abs(off[hi - 1]) <= eps * (Math.abs(diag[hi - 1]) + Math.abs(diag[hi]))) {
      off[hi - 1] = 0;
      hi--;
      continue;
    }
    let lo = hi - 1;
    while (lo > 0 && Math.abs(off[lo - 1]) > eps * (Math.abs(diag[lo - 1]) + Math.abs(diag[lo]))) lo--;
    if (lo > 0) off[lo - 1] = 0;
    if (++iterations > maxIterations) throw new Error('symmetricEigen: QR iteration did not converge');

    // Wilkinson shift from the trailing 2 × 2 block.
    const d = (diag[hi - 1] - diag[hi]) / 2;
    const b = off[hi - 1];
    const mu = diag[hi] - (b * b) / (d + (d >= 0 ? 1 : -1) * Math.hypot(d, b));
    let x = diag[lo] - mu;
    let z = off[lo];
    for (let k = lo; k < hi; k++) {
      const r = Math.hypot(x, z);
      const c = r === 0 ? 1 : x / r;
      const s = r === 0 ? 0 : z / r;
      if (k > lo) off[k - 1] = r;
      const ak = diag[k];
      const ak1 = diag[k + 1];
      const bk = off[k];
      diag[k] = c * c * ak + 2 * c * s * bk + s * s * ak1;
      diag[k + 1] = s * s * ak - 2 * c * s * bk + c * c * ak1;
      off[k] = c * s * (ak1 - ak) + (c * c - s * s) * bk;
      if (k < hi - 1) {
        x = off[k];
        z = s * off[k + 1];
        off[k + 1] *= c;
      }
      const rowK = k * n;
      const rowK1 = rowK + n;
      for (let j = 0; j < n; j++) {
        const qk = Qt[rowK + j];
        const qk1 = Qt[rowK1 + j];
        Qt[rowK + j] = c * qk + s * qk1;
        Qt[rowK1 + j] = c * qk1 - s * qk;
      }
    }
  }
}
