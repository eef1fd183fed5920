/**
 * Lines that continue the previous record rather than start one: Java and Python stack traces,
 * and indented lines. Checked only for lines the layout could not parse.
 */
const EXCEPTION_LINE = /^(?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*(?:Exception|Error|Throwable|Exit|Interrupt|Warning)(?::|$)/;

export function isContinuationLine(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  // Indented lines: "\tat ...", "  File \"x.py\"", "    foo()", "... 12 more" continuations.
  if (first === 32 || first === 9) return true;
  if (line.startsWith('Caused by:') || line.startsWith('Suppressed:')) return true;
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
