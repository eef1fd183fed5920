import type { Layout } from './layout';

const PLACEHOLDER = /<([A-Za-z_][\w]*)>/g;
const LEVEL_NAMES = ['Level', 'Severity', 'LogLevel', 'Loglevel', 'Priority'];
const COMPONENT_NAMES = ['Component', 'Logger', 'Program', 'Source', 'Service', 'Module', 'Process', 'Class'];
const MESSAGE_NAMES = ['Content', 'Message', 'Msg'];

/**
 * A layout from Loghub notation, e.g. `<Date> <Time> <Level> <Component>: <Content>`.
 * As in Loghub, text between fields is a regular expression (so `\[`, `\|` and `(\[<PID>\])?`
 * work) and runs of spaces match any run of whitespace. Unlike Loghub's lazy `(.*?)` fields,
 * each field stops at the first occurrence of the character that follows it (a space-followed
 * field is one word), which keeps matching linear on lines that do not fit; a field followed by
 * an optional group is lazy. Fields other than the message hold at most FIELD_MAX_CHARS; the
 * message field (Content, Message or Msg, else the last field) takes the rest of the line.
 * Time fields (Timestamp, else Date/Month/Day/Time) are read with auto-detected time patterns.
 */
export function parseLayoutFormat(format: string): Layout {
  const parts = format.split(PLACEHOLDER); // literal, name, literal, name, ..., literal
  const fields: string[] = [];
  for (let i = 1; i < parts.length; i += 2) fields.push(parts[i]);
  if (fields.length === 0) throw new Error(`Layout format has no <Field>: ${format}`);
  const messageField = MESSAGE_NAMES.find((name) => fields.includes(name)) ?? fields[fields.length - 1];

  let pattern = '^';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 0) {
      pattern += toNonCapturing(part).replace(/ +/g, String.raw`\s+`);
      continue;
    }
    const following = parts[i + 1] ?? '';
    pattern += part === messageField || (i === parts.length - 2 && following === '') ? '(.*)' : fieldPattern(following);
  }
  pattern += '$';

  const renamed = fields.map((name) => (name === messageField ? 'Content' : name));
  const timeFields = fields.includes('Timestamp')
    ? ['Timestamp']
    : fields.filter((name) => /^(?:Date|Month|Day|Time|Datetime)$/i.test(name));
  return {
    id: 'custom',
    name: `Custom layout: ${format}`,
    kind: 'fields',
    format,
    pattern,
    fields: renamed,
    timeFields,
    timeFormat: timeFields.length > 0 ? 'auto' : undefined,
    levelField: LEVEL_NAMES.find((name) => fields.includes(name)),
    componentField: COMPONENT_NAMES.find((name) => fields.includes(name)),
    labelField: fields.includes('Label') ? 'Label' : undefined,
  };
}

/**
 * Longest text a non-message field may hold. The bound keeps worst-case matching at
 * O(line length x FIELD_MAX_CHARS) for any user format, however it nests optional parts.
 */
const FIELD_MAX_CHARS = 512;

/** Capture group for a field, bounded by the first character of the literal after it. */
function fieldPattern(following: string): string {
  const lazy = `(.{0,${FIELD_MAX_CHARS}}?)`;
  if (following === '' || following.startsWith('(')) return lazy;
  const first = following[0];
  // One or more: an empty field would let the whitespace around it split in many ways.
  if (first === ' ' || first === '\t') return `(\\S{1,${FIELD_MAX_CHARS}})`;
  // An escaped character (\[ \| \]) or a plain one.
  const bound = first === '\\' && following.length > 1 ? following[1] : first;
  if (/[A-Za-z0-9]/.test(bound) && first === '\\') return lazy; // \s, \d...: no single bound char
  return `([^${escapeForClass(bound)}]{0,${FIELD_MAX_CHARS}})`;
}

function escapeForClass(ch: string): string {
  return /[\]\\^-]/.test(ch) ? `\\${ch}` : ch;
}

/** Groups in the literal text must not capture: capture groups are the fields, in order. */
function toNonCapturing(literal: string): string {
  let out = '';
  for (let i = 0; i < literal.length; i++) {
    const ch = literal[i];
    if (ch === '\\') {
      out += literal.slice(i, i + 2);
      i++;
    } else if (ch === '(' && literal[i + 1] !== '?') out += '(?:';
    else out += ch;
  }
  return out;
}
