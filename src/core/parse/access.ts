import type { ParsedRecord } from '../types';
import { compileTimeFormat } from './timeFormat';

// host ident user [time] "request" status bytes ["referer" "agent"] (common and combined formats)
const ACCESS = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\S+)/;
const parseAccessTime = compileTimeFormat('dd/MMM/yyyy:HH:mm:ss X');

/**
 * Apache/Nginx access logs. The message is "METHOD path status" (e.g. "GET /api/users 404"):
 * what was asked and how it ended, which is what templates should group on. The level follows
 * the status: 5xx ERROR, 4xx WARN, else INFO.
 */
export function parseAccessRecord(line: string): ParsedRecord | null {
  const m = ACCESS.exec(line);
  if (m === null) return null;
  const request = m[5];
  const firstSpace = request.indexOf(' ');
  const method = firstSpace === -1 ? request : request.slice(0, firstSpace);
  let path = '';
  if (firstSpace !== -1) {
    const secondSpace = request.indexOf(' ', firstSpace + 1);
    path = secondSpace === -1 ? request.slice(firstSpace + 1) : request.slice(firstSpace + 1, secondSpace);
  }
  const status = m[6];
  const statusClass = status.charCodeAt(0);
  return {
    timestamp: parseAccessTime(m[4]),
    level: statusClass === 53 ? 'ERROR' : statusClass === 52 ? 'WARN' : 'INFO',
    component: '',
    message: path === '' ? `${method} ${status}` : `${method} ${path} ${status}`,
  };
}
