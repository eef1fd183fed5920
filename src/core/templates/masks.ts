/**
 * Variable masking: replaces the parts of a log message that change from record to record (ids,
 * addresses, numbers, paths...) with a placeholder, before template mining and embedding.
 *
 * Masks are compiled into ONE alternation regex (one scan per message instead of one per mask); at a
 * given position the first mask in list order wins, so specific kinds come before general ones.
 * The built-in masks then run word by word with a cache (maskScanner.ts), which gives the same text.
 */
import { WordMasker } from './maskScanner';

/** A named variable pattern. `pattern` is a RegExp or regex source; `replacement` is literal text. */
export interface Mask {
  name: string;
  pattern: RegExp | string;
  replacement: string;
}

/** The placeholder Drain and the templates use for a variable position. */
export const WILDCARD = '<*>';

const HEX4 = '[0-9A-Fa-f]{1,4}';
/** Not glued to a preceding letter/digit: keeps masks off the middle of identifiers like `t761`. */
const START = '(?<![A-Za-z0-9])';
const END = '(?![A-Za-z0-9])';
const DAYS = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';

/**
 * Built-in masks, most specific first. Boundaries are written so that a mask never starts or ends in
 * the middle of a word, which keeps constant identifiers such as `ipv4` or `log4j` intact.
 */
export const DEFAULT_MASKS: readonly Mask[] = Object.freeze(
  (
    [
      { name: 'url', pattern: `${START}[A-Za-z][A-Za-z0-9+.-]*://[^\\s"'<>\\])]+`, replacement: WILDCARD },
      {
        name: 'email',
        pattern: `${START}[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}${END}`,
        replacement: WILDCARD,
      },
      {
        name: 'uuid',
        pattern: `${START}[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}${END}`,
        replacement: WILDCARD,
      },
      { name: 'hdfs-block', pattern: 'blk_-?\\d+', replacement: WILDCARD },
      { name: 'mac', pattern: `${START}(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}${END}`, replacement: WILDCARD },
      {
        // Full form, or a compressed form with `::`; never matches clock times (they have no `::`).
        name: 'ipv6',
        pattern:
          `(?<![A-Za-z0-9:])(?:(?:${HEX4}:){7}${HEX4}|(?:${HEX4}:){1,7}:(?:${HEX4}(?::${HEX4}){0,6})?` +
          `|::${HEX4}(?::${HEX4}){0,6})(?![A-Za-z0-9:])`,
        replacement: WILDCARD,
      },
      { name: 'ipv4', pattern: `(?<![0-9.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?!\\.?[0-9])`, replacement: WILDCARD },
      {
        // A dotted host name with a port, e.g. proxy.example.edu:5070 (bare names stay: they look like
        // Java packages).
        name: 'host-port',
        pattern: `${START}[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+:\\d{1,5}${END}`,
        replacement: WILDCARD,
      },
      {
        // ISO-like date with optional time and zone, e.g. 2016-09-28T04:30:31.455+02:00 or 2016/9/27.
        name: 'datetime',
        pattern:
          `${START}\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?)?` + `(?:Z|[+-]\\d{2}:?\\d{2})?${END}`,
        replacement: WILDCARD,
      },
      {
        // Dates written with words, e.g. `Fri Jun 17 07:07:00 2005` or `Jun 14 15:16:01`.
        name: 'date-words',
        pattern:
          `${START}(?:(?:${DAYS})[a-z]*,? +)?(?:${MONTHS})[a-z]* +\\d{1,2}(?:,? +\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?)?` +
          `(?:,? +\\d{4})?${END}`,
        replacement: WILDCARD,
      },
      { name: 'time', pattern: `${START}\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?${END}`, replacement: WILDCARD },
      {
        // Unix or Windows paths with at least two segments (a lone `/x` is too often prose), with any query.
        name: 'path',
        pattern: `(?<![A-Za-z0-9_.])(?:[A-Za-z]:)?(?:[\\\\/][A-Za-z0-9_.~@+%-]+){2,}[\\\\/]?(?:\\?[^\\s"']*)?`,
        replacement: WILDCARD,
      },
      {
        // 0x-prefixed hex, or a run of 8+ hex digits holding at least one digit (so words are safe).
        name: 'hex',
        pattern: `${START}(?:0[xX][0-9A-Fa-f]+|(?=[A-Fa-f]*[0-9])[0-9A-Fa-f]{8,})${END}`,
        replacement: WILDCARD,
      },
      {
        // Ids made of hex digits only, letters included (`req-befffabe`, `id=deadbeef`, `trace_id=CAFEF00D`):
        // 6+ hex digits in one case, ending the token, glued by -, _ or = to a name before them.
        name: 'hex-id',
        pattern: `(?<=[A-Za-z0-9][-_=])(?:[0-9a-f]{6,}|[0-9A-F]{6,})${END}`,
        replacement: WILDCARD,
      },
      {
        // Compound durations like 1h30m or 2m15.5s; simple ones like 12ms are covered by `number`.
        name: 'duration',
        pattern: `${START}(?:\\d+(?:\\.\\d+)?(?:d|h|m|s|ms|us|ns)){2,}${END}`,
        replacement: WILDCARD,
      },
      {
        // Account names: the word after `user ` / `user=`, or between `for` and `from` (sshd style).
        name: 'user',
        pattern: `(?:(?<=\\b[Uu]ser[ =])|(?<=\\bfor )(?=[A-Za-z0-9_.-]+ from\\b))[A-Za-z0-9_][A-Za-z0-9_.-]*`,
        replacement: WILDCARD,
      },
      {
        // Ints, floats, signed, exponent, dotted versions, with an optional short unit (12ms, 4KB, 99%)
        // or a spaced size unit (`17.5 KB`, so that sizes in B and KB give the same template).
        name: 'number',
        pattern: `(?<![A-Za-z0-9])[-+]?\\d+(?:[.,]\\d+)*(?:[eE][-+]?\\d+)?(?:[A-Za-z]{1,3}|%| (?:[KMGT]i?B|B)(?![A-Za-z0-9-]))?${END}`,
        replacement: WILDCARD,
      },
    ] satisfies Mask[]
  ).map((m) => Object.freeze(m)),
);

/** Adds user masks (they take priority over the defaults) and drops default masks by name. */
export function buildMasks(
  options: {
    add?: { name: string; pattern: RegExp | string; replacement?: string }[];
    remove?: string[];
  } = {},
): Mask[] {
  const removed = new Set(options.remove ?? []);
  const added = (options.add ?? []).map((m) => ({ name: m.name, pattern: m.pattern, replacement: m.replacement ?? WILDCARD }));
  for (const m of added) sourceOf(m); // fail early on a bad user regex, naming the mask
  return [...added, ...DEFAULT_MASKS.filter((m) => !removed.has(m.name))];
}

function sourceOf(mask: Mask): string {
  const source = typeof mask.pattern === 'string' ? mask.pattern : mask.pattern.source;
  try {
    new RegExp(source, 'u');
  } catch {
    try {
      new RegExp(source);
    } catch (e) {
      throw new Error(`Mask "${mask.name}" has an invalid pattern: ${(e as Error).message}`, { cause: e });
    }
  }
  return source;
}

function flagsOf(mask: Mask): string {
  // Only flags that change what matches are kept; g is added by the compiler.
  const flags = typeof mask.pattern === 'string' ? '' : mask.pattern.flags;
  return [...flags]
    .filter((f) => 'imsu'.includes(f))
    .sort()
    .join('');
}

function captureCount(source: string, flags: string): number {
  return (new RegExp(`${source}|`, flags).exec('') as RegExpExecArray).length - 1;
}

/** One combined regex over consecutive masks that share flags. */
interface MaskPass {
  regex: RegExp;
  /** When every mask in the pass has the same replacement, a plain string replace is enough. */
  uniformReplacement: string | null;
  /** Index of the capture group that marks each mask, and its replacement (non-uniform passes). */
  groupIndex: number[];
  replacements: string[];
}

export interface CompiledMasks {
  readonly masks: readonly Mask[];
  /** User masks: whole-message passes, applied first. */
  readonly passes: readonly MaskPass[];
  /** Built-in masks: one pass with the word-start masks grouped (see compileBuiltinPass), or null. */
  readonly builtinPass: MaskPass | null;
  /** The same pass applied word by word with a cache (the fast path; see maskScanner.ts). */
  readonly builtinWords: WordMasker | null;
}

function compilePass(masks: Mask[], flags: string): MaskPass {
  const sources = masks.map(sourceOf);
  const uniform = masks.every((m) => m.replacement === masks[0].replacement) ? masks[0].replacement : null;
  const groupIndex: number[] = [];
  let group = 1;
  const parts = sources.map((s) => {
    groupIndex.push(group);
    group += 1 + captureCount(s, flags);
    return `(${s})`;
  });
  return {
    regex: new RegExp(parts.join('|'), `g${flags}`),
    uniformReplacement: uniform === null ? null : uniform.replace(/\$/g, '$$$$'),
    groupIndex,
    replacements: masks.map((m) => m.replacement),
  };
}

const BUILTIN = new Set<Mask>(DEFAULT_MASKS);

/**
 * Built-in masks that can only start where a word starts. Compiled under one shared lookbehind so
 * that, inside a word (most positions), the regex engine rejects them all with a single check.
 */
const WORD_START = new Set([
  'url',
  'email',
  'uuid',
  'mac',
  'ipv6',
  'host-port',
  'datetime',
  'date-words',
  'time',
  'path',
  'hex',
  'hex-id',
  'duration',
  'number',
]);

/**
 * One regex for the built-in masks (all replace with `<*>`). Order: block ids and IPv4 first (they
 * may follow a letter), then the word-start group in list order, then the rest. Where masks compete
 * at one position they cover the same text, so the result equals trying them in list order.
 */
function compileBuiltinPass(builtins: Mask[]): MaskPass {
  const early = builtins.filter((m) => m.name === 'hdfs-block' || m.name === 'ipv4').map(sourceOf);
  const wordStart = builtins.filter((m) => WORD_START.has(m.name)).map(sourceOf);
  const late = builtins.filter((m) => !WORD_START.has(m.name) && m.name !== 'hdfs-block' && m.name !== 'ipv4').map(sourceOf);
  const parts = [...early];
  // The lookahead lists every character a word-start mask can begin with: a cheap early exit.
  if (wordStart.length > 0) parts.push(`(?<![A-Za-z0-9])(?=[A-Za-z0-9:\\\\/+._%-])(?:${wordStart.join('|')})`);
  parts.push(...late);
  return { regex: new RegExp(parts.join('|'), 'g'), uniformReplacement: WILDCARD, groupIndex: [], replacements: [] };
}

/**
 * Compiles masks once; reuse the result for every message. User masks run first over the whole
 * message (so they win over built-ins); built-in masks then run as one pass.
 */
export function compileMasks(masks: readonly Mask[]): CompiledMasks {
  const passes: MaskPass[] = [];
  let run: Mask[] = [];
  let runFlags = '';
  for (const m of masks) {
    if (BUILTIN.has(m)) continue;
    const f = flagsOf(m);
    if (run.length > 0 && f !== runFlags) {
      passes.push(compilePass(run, runFlags));
      run = [];
    }
    run.push(m);
    runFlags = f;
  }
  if (run.length > 0) passes.push(compilePass(run, runFlags));
  const builtins = masks.filter((m) => BUILTIN.has(m));
  const builtinPass = builtins.length > 0 ? compileBuiltinPass(builtins) : null;
  const builtinWords =
    builtinPass === null
      ? null
      : new WordMasker(
          builtinPass.regex,
          WILDCARD,
          builtins.some((m) => m.name === 'user'),
        );
  return { masks, passes, builtinPass, builtinWords };
}

function applyPass(text: string, pass: MaskPass): string {
  pass.regex.lastIndex = 0;
  if (pass.uniformReplacement !== null) return text.replace(pass.regex, pass.uniformReplacement);
  return text.replace(pass.regex, (...args: unknown[]) => {
    for (let i = 0; i < pass.groupIndex.length; i++) {
      if (args[pass.groupIndex[i]] !== undefined) return pass.replacements[i];
    }
    return String(args[0]);
  });
}

/** Applies already compiled masks (the fast path for streams). */
export function applyMasks(message: string, compiled: CompiledMasks): string {
  let out = message;
  for (const pass of compiled.passes) out = applyPass(out, pass);
  return compiled.builtinWords === null ? out : compiled.builtinWords.mask(out);
}

/** `applyMasks` with the built-in masks run as one regex over the whole message (the reference for the fast path). */
export function applyMasksWholeLine(message: string, compiled: CompiledMasks): string {
  let out = message;
  for (const pass of compiled.passes) out = applyPass(out, pass);
  return compiled.builtinPass === null ? out : applyPass(out, compiled.builtinPass);
}

/**
 * The built-in masks as a plain alternation in list order, without the word-start grouping of
 * `compileMasks`: the reference the tests compare the fast regex against.
 */
export function applyBuiltinMasksInListOrder(message: string, masks: readonly Mask[]): string {
  let pass = listOrderCache.get(masks);
  if (pass === undefined) {
    const builtins = masks.filter((m) => BUILTIN.has(m));
    pass = builtins.length === 0 ? null : compilePass(builtins, '');
    listOrderCache.set(masks, pass);
  }
  return pass === null ? message : applyPass(message, pass);
}

const listOrderCache = new WeakMap<readonly Mask[], MaskPass | null>();

const compiledCache = new WeakMap<readonly Mask[], CompiledMasks>();

/** Replaces every variable part of `message` found by `masks` with that mask's replacement. */
export function maskVariables(message: string, masks: readonly Mask[]): string {
  let compiled = compiledCache.get(masks);
  if (compiled === undefined) {
    compiled = compileMasks(masks);
    compiledCache.set(masks, compiled);
  }
  return applyMasks(message, compiled);
}
