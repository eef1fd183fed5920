/**
 * A layout says how to cut a file's lines into records. It is plain data (JSON-serialisable),
 * so it can cross to workers, go into exported bundles and be picked by the analyst.
 */
export type LayoutKind = 'fields' | 'json' | 'syslog5424' | 'access' | 'plain';

export interface Layout {
  /** Stable id, e.g. "loghub-bgl", "syslog", "iso", "json", "access", "plain", "custom". */
  id: string;
  /** Human readable, e.g. "BGL (Loghub)". */
  name: string;
  kind: LayoutKind;
  /** Loghub notation (`<Date> <Time> <Level> <Component>: <Content>`) when the layout has one. */
  format?: string;
  /** kind 'fields': regular expression (source) matching a whole line, one capture group per field. */
  pattern?: string;
  /** kind 'fields': RegExp flags for `pattern` (e.g. 'i'); 's' is always added. */
  patternFlags?: string;
  /** kind 'fields': field names, in capture-group order. `Content` is the message. */
  fields?: string[];
  /** Fields joined with a space to form the timestamp text, and its pattern (see timestamp.ts; 'iso' = any ISO-8601). */
  timeFields?: string[];
  timeFormat?: string;
  /** Field holding the level / component; a `Pri` field (syslog) also gives the level. */
  levelField?: string;
  componentField?: string;
  /** Field holding a BGL/Thunderbird-style label ('-' normal, else the alert category). */
  labelField?: string;
  /** Set by detectLayout: share of sample lines (continuations aside) this layout parsed. */
  matchShare?: number;
  /** Set by detectLayout: the newest year written in a date of the sample lines, if any. */
  sampleYear?: number;
}
