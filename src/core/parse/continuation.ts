/**
 * Lines that continue the previous record rather than start one: Java and Python stack traces,
 * and indented text. Checked only for lines the layout could not parse.
 */
import { levelAtLineStart } from './level';

/** `at name (where)` where `where` is a source position: `File.java:12`, `/app/x.js:3:9`, `Native Method`. */
const STACK_FRAME = /^at (?:async )?\S+ ?\((?:[^()]*:\d+(?::\d+)?|Native Method|Unknown Source|native|index \d+)\)/;
const EXCEPTION_LINE = /^(?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*(?:Exception|Error|Throwable|Exit|Interrupt|Warning)(?::|$)/;

/**
 * A record header at the start of (trimmed) text: a date or clock time, optionally in brackets:
 * `2024-05-01 ...`, `[2024/05/01 ...`, `12:00:01 ...`, `Jun 17 07:07:00`, `Fri Jun 17 ...`,
 * `01/May/2024:...`, `05-01 12:00:00.123` (logcat).
 */
const TIMESTAMP_START = new RegExp(
  String.raw`^\[?(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?![\d])|\d{1,2}:\d{2}:\d{2}(?!\d)|\d{2}[-/.]\d{2}[ T]\d{1,2}:\d{2}` +
    String.raw`|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +\d{1,2},? +\d{1,2}:\d{2}` +
    String.raw`|\d{1,2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4})`,
);

/** Whether text (leading blanks allowed) starts the way a record does: a timestamp or a level word. */
export function startsWithRecordHeader(text: string): boolean {
  const trimmed = text.trimStart();
  return levelAtLineStart(trimmed) !== '' || TIMESTAMP_START.test(trimmed);
}

export function isContinuationLine(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  // Indented lines: "\tat ...", "  File \"x.py\"", "    foo()", "... 12 more" continuations; but an
  // indented line that carries its own level or timestamp is a record of its own.
  if (first === 32 || first === 9) return !startsWithRecordHeader(line);
  if (line.startsWith('Caused by:') || line.startsWith('Suppressed:')) return true;
  // A stack frame some loggers print without an indent: "at com.acme.Main.run(Main.java:7)".
  if (line.startsWith('at ') && STACK_FRAME.test(line)) return true;
  if (line.startsWith('Traceback (most recent call last)')) return true;
  if (line.startsWith('During handling of the above exception')) return true;
  if (line.startsWith('The above exception was the direct cause')) return true;
  if (line.startsWith('...') && /^\.\.\. \d+ (?:more|common frames omitted)/.test(line)) return true;
  // "java.lang.IllegalStateException: boom" / "ValueError: bad value" right after a record.
  if ((line.includes('Exception') || line.includes('Error') || line.includes('Throwable')) && EXCEPTION_LINE.test(line)) {
    return true;
  }
  return false;
}
