/**
 * Drain template mining (He, Zhu, Zheng, Lyu: "Drain: An Online Log Parsing Approach with Fixed
 * Depth Tree", ICWS 2017), streaming.
 *
 * Tree: root → token count → the first `depth - 2` tokens (tokens holding a digit, and overflow past
 * `maxChildren`, go to a `<*>` branch; a message of at most `depth - 2` tokens routes on the kind of
 * its last token, not the token) → a leaf list of templates. A message joins the most similar
 * template in its leaf when similarity ≥ `similarityThreshold`; positions that differ become `<*>`.
 *
 * Ids are the creation order of templates and never change: a template that generalises keeps its id.
 */
import type { Template } from '../types';
import { DEFAULT_MASKS, WILDCARD, compileMasks, applyMasks, type CompiledMasks, type Mask } from './masks';
import { Tokenizer } from './tokenize';

export interface DrainOptions {
  /** Tree depth including the root and leaf layers; `depth - 2` leading tokens route a message. */
  depth: number;
  /** Share of a template's constant tokens a message must equal to join it (0..1). */
  similarityThreshold: number;
  /** Children per inner node before new tokens share the `<*>` branch. */
  maxChildren: number;
  /** Characters that split tokens in addition to whitespace, e.g. `'=,:'`. */
  delimiters: string;
  /** Variable masks applied before tokenising. */
  masks: readonly Mask[];
  /**
   * When true, wildcard positions of a template count as similar (Drain3 behaviour); when false,
   * only equal constant tokens count (the paper's SimSeq).
   */
  wildcardsAreSimilar: boolean;
  /** Merge runs of adjacent `<*>` tokens into one, so variables spanning several tokens align. */
  collapseWildcards: boolean;
  /**
   * When true, a message never joins a template where a constant plain word (letters only, maybe
   * wrapped in punctuation) would have to become `<*>` because the message has another plain word
   * there: such words usually name different events (Begin/End, HTTPS/SOCKS5).
   */
  keepWordsDistinct: boolean;
}

export const DEFAULT_DRAIN_OPTIONS: Readonly<DrainOptions> = Object.freeze({
  depth: 4,
  similarityThreshold: 0.5,
  maxChildren: 100,
  delimiters: '=',
  masks: DEFAULT_MASKS,
  wildcardsAreSimilar: true,
  collapseWildcards: false,
  keepWordsDistinct: true,
});

interface TemplateGroup {
  id: number;
  tokens: string[];
  separators: string[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** Number of `<*>` in `tokens`, for tie-breaking and similarity. */
  wildcards: number;
  text: string | null;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  groups: TemplateGroup[];
  /** Bumped whenever a template of this leaf is added or generalised (see Remembered). */
  version: number;
}

/**
 * What a miner remembers of a masked text: its tokens and leaf, and the template it last joined
 * with the leaf's version then. While the leaf is unchanged the text joins that template again
 * (the best match depends only on the leaf's templates, and joining it changed nothing the
 * second time), so repeated texts skip the similarity scan.
 */
interface Remembered {
  tokens: string[];
  leaf: TreeNode;
  joined: TemplateGroup | null;
  version: number;
}

/**
 * Letters, optionally wrapped in punctuation like `(usable)` or `failures;`, optionally ending in one
 * or two digits (`en0`, `SOCKS5`, `ssh2`: names of things, not counters).
 */
function isPlainWord(token: string): boolean {
  let letters = 0;
  let i = 0;
  let end = token.length;
  while (i < end && !isAlnum(token.charCodeAt(i))) i++;
  while (end > i && !isAlnum(token.charCodeAt(end - 1))) end--;
  for (let k = 0; k < 2 && end > i && isDigit(token.charCodeAt(end - 1)); k++) end--;
  for (; i < end; i++) {
    const c = token.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) letters++;
    else return false;
  }
  return letters > 0;
}

/**
 * Whether two different tokens name different things: both plain words, or both the same key with
 * a plain-word value (`overlap:false` / `overlap:true`, `action=START` / `action=STOP`).
 */
function wordsDiffer(a: string, b: string): boolean {
  if (isPlainWord(a) && isPlainWord(b)) return true;
  // `key:value` or `a.dotted.NAME`: the common prefix up to its last colon or dot is the key.
  const n = Math.min(a.length, b.length);
  let same = 0;
  while (same < n && a.charCodeAt(same) === b.charCodeAt(same)) same++;
  while (same > 0 && a.charCodeAt(same - 1) !== 58 && a.charCodeAt(same - 1) !== 46) same--;
  if (same === 0) return false;
  return isConstantName(a, same) && isConstantName(b, same);
}

/** Letters and underscores from `start` to the end (`SCREEN_ON`, `false`): a named value, not a number or id. */
function isConstantName(token: string, start: number): boolean {
  if (start >= token.length) return false;
  for (let i = start; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c !== 95 && ((c | 32) < 97 || (c | 32) > 122)) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** Drops each `<*>` that follows another; `kept(i)` hears the index of every token kept. */
function collapseRuns(tokens: string[], kept: ((i: number) => void) | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === WILDCARD && out.length > 0 && out[out.length - 1] === WILDCARD) continue;
    out.push(tokens[i]);
    kept?.(i);
  }
  return out;
}

/** Masked texts whose tokens and leaf a miner remembers (under 20 MB); past this it starts over. */
const MAX_REMEMBERED_TEXTS = 1 << 15;

/** Branch of a short message's last token when it is a word (tokens never hold a space). */
const WORD_BRANCH = ' word';

function newNode(): TreeNode {
  return { children: new Map(), groups: [], version: 0 };
}

/** Tokens holding a digit or a masked part are likely variables: they route to the `<*>` branch. */
function looksVariable(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return token.includes(WILDCARD);
}

export class Drain {
  readonly options: Readonly<DrainOptions>;
  private readonly compiledMasks: CompiledMasks;
  private readonly tokenizer: Tokenizer;
  private readonly byLength = new Map<number, TreeNode>();
  private readonly groups: TemplateGroup[] = [];
  private recordsSeen = 0;
  /**
   * Tokens and leaf of masked texts met before: logs repeat their masked texts, so most records
   * skip tokenising and the tree walk, and their tokens are the same strings each time (hashed
   * once, compared by identity). A leaf found by `add` never changes for a text.
   */
  private seen = new Map<string, Remembered>();

  constructor(options: Partial<DrainOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_DRAIN_OPTIONS, ...options });
    this.compiledMasks = compileMasks(this.options.masks);
    this.tokenizer = new Tokenizer(this.options.delimiters);
  }

  /** Number of templates mined so far (ids are 0..size-1). */
  get size(): number {
    return this.groups.length;
  }

  /**
   * Adds a message and returns its template id. `recordIndex` defaults to the number of messages
   * added before this one; pass the record's index in the file when it differs.
   */
  add(message: string, recordIndex: number = this.recordsSeen): number {
    return this.addMasked(applyMasks(message, this.compiledMasks), recordIndex);
  }

  /**
   * Like `add` for a message already masked with this miner's masks (`applyMasks(message,
   * compileMasks(options.masks))`): callers that keep the masked text too mask only once.
   */
  addMasked(masked: string, recordIndex: number = this.recordsSeen): number {
    this.recordsSeen++;
    let seen = this.seen.get(masked);
    if (seen === undefined) {
      const tokens = this.tokensOf(masked);
      seen = { tokens, leaf: this.leafFor(tokens, true) as TreeNode, joined: null, version: -1 };
      if (this.seen.size >= MAX_REMEMBERED_TEXTS) this.seen = new Map();
      this.seen.set(masked, seen);
    }
    const { tokens, leaf } = seen;
    let best = seen.version === leaf.version ? seen.joined : null;
    if (best === null) {
      best = this.bestMatch(leaf.groups, tokens);
      if (best !== null) {
        if (this.generalise(best, tokens)) leaf.version++;
        seen.joined = best;
        seen.version = leaf.version;
      }
    }
    if (best !== null) {
      best.count++;
      if (recordIndex < best.firstSeen) best.firstSeen = recordIndex;
      if (recordIndex > best.lastSeen) best.lastSeen = recordIndex;
      return best.id;
    }
    const group: TemplateGroup = {
      id: this.groups.length,
      // A copy: `generalise` rewrites a template's tokens, and these are remembered for the text.
      tokens: tokens.slice(),
      separators: this.separatorsOf(masked),
      count: 1,
      firstSeen: recordIndex,
      lastSeen: recordIndex,
      wildcards: tokens.reduce((n, t) => (t === WILDCARD ? n + 1 : n), 0),
      text: null,
    };
    this.groups.push(group);
    leaf.groups.push(group);
    leaf.version++;
    return group.id;
  }

  /** The id of the template `message` would join, or -1; changes nothing (reference mode). */
  match(message: string): number {
    return this.matchMasked(applyMasks(message, this.compiledMasks));
  }

  /** `match` for a message already masked with this miner's masks. */
  matchMasked(masked: string): number {
    const seen = this.seen.get(masked);
    const tokens = seen?.tokens ?? this.tokensOf(masked);
    const leaf = seen?.leaf ?? this.leafFor(tokens, false);
    if (leaf === null) return -1;
    const best = this.bestMatch(leaf.groups, tokens);
    return best === null ? -1 : best.id;
  }

  /** Template text of one id (with `<*>` for variables). */
  templateText(id: number): string {
    const g = this.groups[id];
    if (g === undefined) throw new RangeError(`No template ${id}`);
    if (g.text === null) {
      let text = '';
      for (let i = 0; i < g.tokens.length; i++) text += g.separators[i] + g.tokens[i];
      g.text = text;
    }
    return g.text;
  }

  /** All templates, by id. */
  templates(): Template[] {
    return this.groups.map((g) => ({
      id: g.id,
      text: this.templateText(g.id),
      count: g.count,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
    }));
  }

  /** Tokens for matching (the hot path: no separators). */
  private tokensOf(masked: string): string[] {
    const tokens = this.tokenizer.tokens(masked);
    return this.options.collapseWildcards ? collapseRuns(tokens, null) : tokens;
  }

  /** Separators before each token, only needed when a template is created. */
  private separatorsOf(masked: string): string[] {
    const split = this.tokenizer.split(masked);
    if (!this.options.collapseWildcards) return split.separators;
    const separators: string[] = [];
    collapseRuns(split.tokens, (i) => separators.push(split.separators[i]));
    return separators;
  }

  /**
   * Walks (and with `create`, grows) the tree to the leaf for `tokens`. Lookup and growth take the
   * same branch at every node, so `match` answers exactly what `add` would join: a word with no
   * branch of its own goes to `<*>` only once the node is full; before that `add` opens a branch
   * for it, so `match` finds no template (-1).
   *
   * A message of at most `depth - 2` tokens routes on all its tokens but the last, then on
   * the last one's kind only (variable-looking or a word): routing on the last token itself kept
   * `Deleting fileA.txt` and `Deleting fileB.txt` apart forever while their three-token versions
   * merge; its kind still keeps `flush success` apart from `flush <*>`.
   */
  private leafFor(tokens: string[], create: boolean): TreeNode | null {
    let root = this.byLength.get(tokens.length);
    if (root === undefined) {
      if (!create) return null;
      root = newNode();
      this.byLength.set(tokens.length, root);
    }
    let node: TreeNode = root;
    const short = tokens.length <= this.options.depth - 2;
    const steps = short ? tokens.length : this.options.depth - 2;
    for (let i = 0; i < steps; i++) {
      const token = tokens[i];
      const variable = looksVariable(token);
      const key = variable ? WILDCARD : short && i === steps - 1 ? WORD_BRANCH : token;
      let next: TreeNode | undefined = node.children.get(key);
      if (next === undefined) {
        const full = key !== WILDCARD && node.children.size >= this.options.maxChildren;
        const branch = full ? WILDCARD : key;
        next = full ? node.children.get(WILDCARD) : undefined;
        if (next === undefined) {
          if (!create) return null;
          next = newNode();
          node.children.set(branch, next);
        }
      }
      node = next;
    }
    return node;
  }

  private bestMatch(groups: TemplateGroup[], tokens: string[]): TemplateGroup | null {
    if (groups.length === 0) return null;
    const n = tokens.length;
    const countWildcards = this.options.wildcardsAreSimilar;
    const keepWords = this.options.keepWordsDistinct;
    let best: TemplateGroup | null = null;
    let bestSim = -1;
    groups: for (const g of groups) {
      let same = 0;
      const t = g.tokens;
      for (let i = 0; i < n; i++) {
        const tt = t[i];
        if (tt === WILDCARD) {
          if (countWildcards) same++;
        } else if (tt === tokens[i]) {
          same++;
        } else if (keepWords && wordsDiffer(tt, tokens[i])) {
          continue groups;
        }
      }
      const sim = n === 0 ? 1 : same / n;
      if (sim > bestSim || (sim === bestSim && best !== null && g.wildcards > best.wildcards)) {
        best = g;
        bestSim = sim;
      }
    }
    return bestSim >= this.options.similarityThreshold ? best : null;
  }

  /** Turns the template's tokens that differ from `tokens` into `<*>`; whether any did. */
  private generalise(group: TemplateGroup, tokens: string[]): boolean {
    const t = group.tokens;
    let changed = false;
    for (let i = 0; i < t.length; i++) {
      if (t[i] !== WILDCARD && t[i] !== tokens[i]) {
        t[i] = WILDCARD;
        group.wildcards++;
        group.text = null;
        changed = true;
      }
    }
    return changed;
  }
}
