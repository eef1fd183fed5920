/**
 * Growable flat storage for the nodes of many trees: one typed array per node field, no object
 * per node, so scoring walks contiguous memory. Node ids are global across trees.
 */
export class NodeArrays {
  /** Split feature (axis forest) or first weight slot (hyperplane forest); -1 marks a leaf. */
  feature: Int32Array;
  /** Split threshold: a row goes left when its value (or projection) is ≤ threshold. */
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Depth of a leaf plus c(leaf size): the path length a row ending there gets. */
  leafValue: Float32Array;
  /** Training rows that reached the node. */
  size: Int32Array;
  count = 0;

  constructor(initialCapacity: number) {
    const cap = Math.max(16, initialCapacity);
    this.feature = new Int32Array(cap);
    this.threshold = new Float32Array(cap);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.leafValue = new Float32Array(cap);
    this.size = new Int32Array(cap);
  }

  /** Makes room for `extra` more nodes, doubling when needed. */
  reserve(extra: number): void {
    const needed = this.count + extra;
    if (needed <= this.feature.length) return;
    let cap = this.feature.length;
    while (cap < needed) cap *= 2;
    this.feature = grow(this.feature, new Int32Array(cap));
    this.threshold = grow(this.threshold, new Float32Array(cap));
    this.left = grow(this.left, new Int32Array(cap));
    this.right = grow(this.right, new Int32Array(cap));
    this.leafValue = grow(this.leafValue, new Float32Array(cap));
    this.size = grow(this.size, new Int32Array(cap));
  }

  /** Appends a node (call `reserve` first) and returns its id. */
  add(): number {
    const id = this.count++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }

  /** Drops unused capacity once fitting is done. */
  trim(): void {
    const n = this.count;
    this.feature = this.feature.slice(0, n);
    this.threshold = this.threshold.slice(0, n);
    this.left = this.left.slice(0, n);
    this.right = this.right.slice(0, n);
    this.leafValue = this.leafValue.slice(0, n);
    this.size = this.size.slice(0, n);
  }
}

function grow<T extends Int32Array | Float32Array>(old: T, fresh: T): T {
  fresh.set(old);
  return fresh;
}

/** Maximum nodes of one tree grown on ψ rows down to depth limit L: min(2ψ − 1, 2^(L+1) − 1). */
export function maxNodesPerTree(maxSamplesUsed: number, depthLimit: number): number {
  return Math.min(2 * maxSamplesUsed - 1, 2 ** (depthLimit + 1) - 1);
}

/**
 * Copies a tree's subsample into column-major `cols[f·ψ + i]`: node statistics then scan one
 * contiguous column instead of striding through row-major X.
 */
export function gatherColumns(
  X: Float32Array,
  nDims: number,
  rows: Int32Array,
  psi: number,
  features: Int32Array,
  nFeat: number,
  cols: Float32Array,
): void {
  for (let i = 0; i < psi; i++) {
    const base = rows[i] * nDims;
    for (let f = 0; f < nFeat; f++) cols[f * psi + i] = X[base + features[f]];
  }
}
