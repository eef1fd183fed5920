import type { ParsedRecord } from '../types';
import { levelFromSyslogPri } from './level';
import { parseIsoTimestamp } from './isoTimestamp';

// <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...] MSG; structured data may hold escaped "\]".
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;

/** RFC 5424 syslog. The message is MSG (BOM stripped), or the structured data when MSG is empty. */
export function parseSyslog5424Record(line: string): ParsedRecord | null {
  const m = RFC5424.exec(line);
  if (m === null) return null;
  let message = m[8] ?? '';
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  message = message.trim();
  if (message === '' && m[7] !== '-') message = m[7];
  return {
    timestamp: m[2] === '-' ? NaN : parseIsoTimestamp(m[2]),
    level: levelFromSyslogPri(Number(m[1])),
    component: m[4] === '-' ? '' : m[4],
    message,
  };
}
