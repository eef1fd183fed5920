/**
 * Extended isolation forest (Hariri, Carrasco Kind & Brunner 2019): splits on random hyperplanes
 * instead of single features, which removes the axis-aligned "ghost" regions of the plain forest.
 * A node draws a normal vector with `extensionLevel + 1` non-zero N(0,1) coordinates and an
 * intercept point p uniform in the node's bounding box; a row goes left when x·n ≤ p·n.
 *
 * Same options, score convention and depth limit as IsolationForest. One deliberate difference from
 * the paper's code: hyperplane coordinates are drawn among the features that vary within the node
 * (as sklearn does for axis splits), and a node whose rows are all identical becomes a leaf, so
 * duplicate vectors (common for log templates) are not split into empty children.
 *
 * Cost: each split stores and evaluates extensionLevel + 1 weights, so run it on reduced vectors
 * (e.g. PCA to 16 components), not on raw 768-dimensional embeddings.
 */
import {
  type ForestOptions,
  type ResolvedForestOptions,
  averagePathLength,
  checkScoreInput,
  ForestBase,
  resolveForestOptions,
  SCORING_BLOCK,
} from './forestCommon';
import { NodeArrays, gatherColumns } from './forestStorage';
import { SeededRandom } from './random';

export interface ExtendedForestOptions extends ForestOptions {
  /**
   * Extra dimensions of each hyperplane: 0 = one feature per split (like the plain forest),
   * nDims − 1 = fully extended (default). Clipped to the features available to a tree.
   */
  extensionLevel?: number;
}

export class ExtendedIsolationForest extends ForestBase {
  readonly options: ResolvedForestOptions;
  readonly requestedExtensionLevel: number | undefined;
  /** Non-zero coordinates per hyperplane (extension level + 1, after clipping). */
  planeSize = 0;
  /** `nodes.feature[node]` is the first slot of the node's hyperplane in planeDims/planeWeights, -1 for leaves. */
  nodes = new NodeArrays(0);
  planeDims = new Int32Array(0);
  planeWeights = new Float32Array(0);

  constructor(opts: ExtendedForestOptions = {}) {
    super();
    this.options = resolveForestOptions(opts);
    const level = opts.extensionLevel;
    if (level !== undefined && !(Number.isInteger(level) && level >= 0)) {
      throw new RangeError(`extensionLevel must be a non-negative integer, got ${level}`);
    }
    this.requestedExtensionLevel = level;
  }

  /** Extension level actually used after clipping to the features a tree sees. */
  get extensionLevel(): number {
    return this.planeSize - 1;
  }

  fit(X: Float32Array, nRows: number, nDims: number): this {
    return this.growTrees(X, nRows, nDims, ({ psi, nFeat, depthLimit, perTree }) => {
      const planeSize = Math.min((this.requestedExtensionLevel ?? nFeat - 1) + 1, nFeat);
      this.planeSize = planeSize;
      const nodes = new NodeArrays(Math.ceil((this.options.nEstimators * perTree) / 3));
      const planes = new PlaneArrays(planeSize, Math.ceil((this.options.nEstimators * perTree) / 6));
      const builder = new PlaneTreeBuilder(psi, nFeat, depthLimit, planeSize);
      return {
        grow: (rowPool, featPool, rng) => {
          builder.gather(X, nDims, rowPool, featPool);
          nodes.reserve(perTree);
          planes.reserve(perTree);
          return builder.grow(nodes, planes, rng);
        },
        done: () => {
          nodes.trim();
          this.nodes = nodes;
          this.planeDims = planes.dims.slice(0, planes.count * planeSize);
          this.planeWeights = planes.weights.slice(0, planes.count * planeSize);
        },
      };
    });
  }

  protected pathLengthSums(X: Float32Array, nRows: number): Float64Array {
    checkScoreInput(X, nRows, this.nDims, this.fitted);
    const { feature, threshold, left, right, leafValue } = this.nodes;
    const dims = this.planeDims;
    const weights = this.planeWeights;
    const k = this.planeSize;
    const roots = this.treeRoots;
    const nTrees = roots.length;
    const nDims = this.nDims;
    const sums = new Float64Array(nRows);
    for (let blockStart = 0; blockStart < nRows; blockStart += SCORING_BLOCK) {
      const blockEnd = Math.min(nRows, blockStart + SCORING_BLOCK);
      for (let t = 0; t < nTrees; t++) {
        const root = roots[t];
        for (let r = blockStart; r < blockEnd; r++) {
          const base = r * nDims;
          let node = root;
          let slot = feature[node];
          while (slot >= 0) {
            let projection = 0;
            for (let j = slot; j < slot + k; j++) projection += weights[j] * X[base + dims[j]];
            node = projection <= threshold[node] ? left[node] : right[node];
            slot = feature[node];
          }
          sums[r] += leafValue[node];
        }
      }
    }
    return sums;
  }
}

/** Hyperplanes of all internal nodes, `size` (feature, weight) pairs each, growable. */
class PlaneArrays {
  dims: Int32Array;
  weights: Float32Array;
  count = 0;

  constructor(
    readonly size: number,
    initialPlanes: number,
  ) {
    const cap = Math.max(16, initialPlanes) * size;
    this.dims = new Int32Array(cap);
    this.weights = new Float32Array(cap);
  }

  reserve(extraPlanes: number): void {
    const needed = (this.count + extraPlanes) * this.size;
    if (needed <= this.dims.length) return;
    let cap = this.dims.length;
    while (cap < needed) cap *= 2;
    const dims = new Int32Array(cap);
    dims.set(this.dims);
    const weights = new Float32Array(cap);
    weights.set(this.weights);
    this.dims = dims;
    this.weights = weights;
  }

  /** Returns the first slot of a new plane. */
  add(): number {
    return this.count++ * this.size;
  }
}

class PlaneTreeBuilder {
  private readonly cols: Float32Array;
  private readonly treeFeatures: Int32Array;
  private readonly order: Int32Array;
  /** Projection of each subsample row on the current node's hyperplane. */
  private readonly projection: Float64Array;
  /** Scratch: the node's varying features (tree-local indices) and their ranges. */
  private readonly varying: Int32Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly stackNode: Int32Array;
  private readonly stackStart: Int32Array;
  private readonly stackEnd: Int32Array;
  private readonly stackDepth: Int32Array;

  constructor(
    private readonly psi: number,
    private readonly nFeat: number,
    private readonly depthLimit: number,
    private readonly planeSize: number,
  ) {
    this.cols = new Float32Array(psi * nFeat);
    this.treeFeatures = new Int32Array(nFeat);
    this.order = new Int32Array(psi);
    this.projection = new Float64Array(psi);
    this.varying = new Int32Array(nFeat);
    this.low = new Float64Array(nFeat);
    this.high = new Float64Array(nFeat);
    const stackSize = depthLimit + 2;
    this.stackNode = new Int32Array(stackSize);
    this.stackStart = new Int32Array(stackSize);
    this.stackEnd = new Int32Array(stackSize);
    this.stackDepth = new Int32Array(stackSize);
  }

  gather(X: Float32Array, nDims: number, rows: Int32Array, features: Int32Array): void {
    for (let f = 0; f < this.nFeat; f++) this.treeFeatures[f] = features[f];
    gatherColumns(X, nDims, rows, this.psi, features, this.nFeat, this.cols);
  }

  grow(nodes: NodeArrays, planes: PlaneArrays, rng: SeededRandom): number {
    const { psi, nFeat, depthLimit, cols, order, projection, varying, low, high } = this;
    const { stackNode, stackStart, stackEnd, stackDepth } = this;
    for (let i = 0; i < psi; i++) order[i] = i;

    const root = nodes.add();
    stackNode[0] = root;
    stackStart[0] = 0;
    stackEnd[0] = psi;
    stackDepth[0] = 0;
    let top = 1;
    while (top > 0) {
      top--;
      const node = stackNode[top];
      const start = stackStart[top];
      const end = stackEnd[top];
      const depth = stackDepth[top];
      const size = end - start;
      nodes.size[node] = size;
      if (depth >= depthLimit || size < 2) {
        nodes.leafValue[node] = depth + averagePathLength(size);
        continue;
      }
      // Bounding box of the node's rows; keep the features that vary.
      let nVarying = 0;
      for (let f = 0; f < nFeat; f++) {
        const colBase = f * psi;
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = start; i < end; i++) {
          const v = cols[colBase + order[i]];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi > lo) {
          varying[nVarying] = f;
          low[nVarying] = lo;
          high[nVarying] = hi;
          nVarying++;
        }
      }
      if (nVarying === 0) {
        nodes.leafValue[node] = depth + averagePathLength(size);
        continue;
      }

      const k = Math.min(this.planeSize, nVarying);
      const slot = planes.add();
      // Partial Fisher–Yates over the varying features (ranges move along with them).
      let intercept = 0;
      for (let j = 0; j < k; j++) {
        const pick = j + rng.nextInt(nVarying - j);
        swap(varying, j, pick);
        swapF(low, j, pick);
        swapF(high, j, pick);
        const weight = Math.fround(rng.nextGaussian());
        planes.dims[slot + j] = varying[j];
        planes.weights[slot + j] = weight;
        intercept += weight * rng.uniform(low[j], high[j]);
      }
      // Unused slots (fewer varying features than planeSize) get weight 0 so scoring stays branch-free.
      for (let j = k; j < this.planeSize; j++) {
        planes.dims[slot + j] = varying[0];
        planes.weights[slot + j] = 0;
      }
      const threshold = Math.fround(intercept);

      // Project with the same float32 weights and accumulation order that scoring uses.
      for (let i = start; i < end; i++) {
        const row = order[i];
        let p = 0;
        for (let j = 0; j < this.planeSize; j++) {
          p += planes.weights[slot + j] * cols[planes.dims[slot + j] * psi + row];
        }
        projection[row] = p;
      }
      let i = start;
      let e = end - 1;
      while (i <= e) {
        if (projection[order[i]] <= threshold) {
          i++;
        } else {
          swap(order, i, e);
          e--;
        }
      }
      // Translate tree-local features to global ones now that the split is fixed.
      for (let j = 0; j < this.planeSize; j++) planes.dims[slot + j] = this.treeFeatures[planes.dims[slot + j]];

      const leftChild = nodes.add();
      const rightChild = nodes.add();
      nodes.feature[node] = slot;
      nodes.threshold[node] = threshold;
      nodes.left[node] = leftChild;
      nodes.right[node] = rightChild;
      stackNode[top] = rightChild;
      stackStart[top] = i;
      stackEnd[top] = end;
      stackDepth[top] = depth + 1;
      top++;
      stackNode[top] = leftChild;
      stackStart[top] = start;
      stackEnd[top] = i;
      stackDepth[top] = depth + 1;
      top++;
    }
    return root;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function swapF(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
