/**
 * Isolation forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics: each tree isolates a
 * random subsample of ψ rows with axis-parallel random splits down to depth ceil(log2 ψ); a row's
 * path length is the depth of the leaf it reaches plus c(leaf size). Trees live in flat typed arrays.
 *
 * Deviations from sklearn: a different PRNG (so individual trees differ; scores agree in rank, see
 * tests/core/forestSklearn.test.ts), and scores are Float32.
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

export type { AnomalyForest, ForestOptions } from './forestCommon';
export { anomalyScore, averagePathLength } from './forestCommon';

/** sklearn treats a feature whose range in a node is at most this as constant (FEATURE_THRESHOLD). */
const CONSTANT_RANGE = 1e-7;

export class IsolationForest extends ForestBase {
  readonly options: ResolvedForestOptions;
  nodes = new NodeArrays(0);

  constructor(opts: ForestOptions = {}) {
    super();
    this.options = resolveForestOptions(opts);
  }

  fit(X: Float32Array, nRows: number, nDims: number): this {
    return this.growTrees(X, nRows, nDims, ({ psi, nFeat, depthLimit, perTree }) => {
      // Trees on ψ = 256 rarely fill: start with a third of the bound and let the arrays grow.
      const nodes = new NodeArrays(Math.ceil((this.options.nEstimators * perTree) / 3));
      const builder = new AxisTreeBuilder(psi, nFeat, depthLimit);
      return {
        grow: (rowPool, featPool, rng) => {
          builder.gather(X, nDims, rowPool, featPool);
          nodes.reserve(perTree);
          return builder.grow(nodes, rng);
        },
        done: () => {
          nodes.trim();
          this.nodes = nodes;
        },
      };
    });
  }

  /** Sum over trees of each row's path length (depth + c(leaf size)). */
  protected pathLengthSums(X: Float32Array, nRows: number): Float64Array {
    checkScoreInput(X, nRows, this.nDims, this.fitted);
    const { feature, threshold, left, right, leafValue } = this.nodes;
    const roots = this.treeRoots;
    const nTrees = roots.length;
    const nDims = this.nDims;
    const sums = new Float64Array(nRows);
    // Blocks of rows walk one tree at a time: the block's rows and the tree stay in cache together
    // (measured ~35% faster than one row through all trees on 100k × 64).
    for (let blockStart = 0; blockStart < nRows; blockStart += SCORING_BLOCK) {
      const blockEnd = Math.min(nRows, blockStart + SCORING_BLOCK);
      for (let t = 0; t < nTrees; t++) {
        const root = roots[t];
        for (let r = blockStart; r < blockEnd; r++) {
          const base = r * nDims;
          let node = root;
          let f = feature[node];
          while (f >= 0) {
            node = X[base + f] <= threshold[node] ? left[node] : right[node];
            f = feature[node];
          }
          sums[r] += leafValue[node];
        }
      }
    }
    return sums;
  }
}

/**
 * Grows one axis-parallel isolation tree on a gathered subsample. Scratch buffers are reused
 * across trees; the tree is written straight into the shared NodeArrays.
 */
class AxisTreeBuilder {
  /** Subsample, column-major over the tree's features: cols[f·ψ + i]. */
  private readonly cols: Float32Array;
  /** Global feature index of each of the tree's features. */
  private readonly treeFeatures: Int32Array;
  /** Subsample positions, partitioned in place as the tree splits. */
  private readonly order: Int32Array;
  /** Per depth: the node's features not known to be constant (children inherit the parent's list). */
  private readonly candidates: Int32Array;
  private readonly candidateCount: Int32Array;
  private readonly stackNode: Int32Array;
  private readonly stackStart: Int32Array;
  private readonly stackEnd: Int32Array;
  private readonly stackDepth: Int32Array;

  constructor(
    private readonly psi: number,
    private readonly nFeat: number,
    private readonly depthLimit: number,
  ) {
    this.cols = new Float32Array(psi * nFeat);
    this.treeFeatures = new Int32Array(nFeat);
    this.order = new Int32Array(psi);
    this.candidates = new Int32Array((depthLimit + 1) * nFeat);
    this.candidateCount = new Int32Array(depthLimit + 1);
    // Depth-first with the right child pushed first: at most one pending sibling per level.
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

  grow(nodes: NodeArrays, rng: SeededRandom): number {
    const { psi, nFeat, depthLimit, cols, order, candidates, candidateCount } = this;
    const { stackNode, stackStart, stackEnd, stackDepth } = this;
    for (let i = 0; i < psi; i++) order[i] = i;
    for (let f = 0; f < nFeat; f++) candidates[f] = f;

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
      // This node's candidate list starts as its parent's (slot depth - 1) minus nothing yet.
      const slot = depth * nFeat;
      let m = depth === 0 ? nFeat : candidateCount[depth - 1];
      if (depth > 0) candidates.copyWithin(slot, slot - nFeat, slot - nFeat + m);

      let split = -1;
      let lo = 0;
      let hi = 0;
      while (m > 0) {
        const j = rng.nextInt(m);
        const f = candidates[slot + j];
        const colBase = f * psi;
        lo = Infinity;
        hi = -Infinity;
        for (let i = start; i < end; i++) {
          const v = cols[colBase + order[i]];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi <= lo + CONSTANT_RANGE) {
          // Constant here, hence in every descendant: drop it from the list.
          candidates[slot + j] = candidates[slot + m - 1];
          candidates[slot + m - 1] = f;
          m--;
          continue;
        }
        split = f;
        break;
      }
      candidateCount[depth] = m;
      if (split < 0) {
        nodes.leafValue[node] = depth + averagePathLength(size);
        continue;
      }

      let threshold = Math.fround(rng.uniform(lo, hi));
      // As sklearn: a threshold equal to the maximum would send every row left.
      if (threshold >= hi) threshold = lo;

      // Partition order[start, end) into values ≤ threshold, then the rest.
      const colBase = split * psi;
      let i = start;
      let k = end - 1;
      while (i <= k) {
        if (cols[colBase + order[i]] <= threshold) {
          i++;
        } else {
          const tmp = order[i];
          order[i] = order[k];
          order[k] = tmp;
          k--;
        }
      }
      const leftChild = nodes.add();
      const rightChild = nodes.add();
      nodes.feature[node] = this.treeFeatures[split];
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
