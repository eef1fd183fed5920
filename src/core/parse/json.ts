import type { ParsedRecord } from '../types';
import { levelFromNumber, normalizeLevel } from './level';
import { parseIsoTimestamp } from './isoTimestamp';

const MESSAGE_KEYS = ['msg', 'message', '@message', 'log', 'text'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'loglevel', 'log.level', 'levelname'];
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 'datetime', 'date'];
const COMPONENT_KEYS = ['logger', 'component', 'service', 'source', 'logger_name', 'module', 'name'];

/** One JSON object per line (pino, bunyan, logstash, Docker json-file, ...). Null when not JSON. */
export function parseJsonRecord(line: string): ParsedRecord | null {
  const start = line.indexOf('{');
  if (start === -1 || line.slice(0, start).trim() !== '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  const message = firstString(object, MESSAGE_KEYS);
  return {
    timestamp: timeOf(pick(object, TIME_KEYS)),
    level: levelOf(pick(object, LEVEL_KEYS)),
    component: firstString(object, COMPONENT_KEYS) ?? '',
    message: (message ?? line).trim(),
  };
}

function pick(object: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) {
    if (object[key] !== undefined && object[key] !== null) return object[key];
  }
  return undefined;
}

function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function levelOf(value: unknown): string {
  if (typeof value === 'string') return normalizeLevel(value);
  if (typeof value === 'number') return levelFromNumber(value);
  return '';
}

function timeOf(value: unknown): number {
  if (typeof value === 'number') {
    // Seconds (possibly fractional) vs milliseconds: 1e11 s is year 5138, 1e11 ms is 1973.
    return value < 1e11 ? Math.round(value * 1000) : value;
  }
  if (typeof value === 'string') {
    const iso = parseIsoTimestamp(value);
    if (!Number.isNaN(iso)) return iso;
    if (/^\d+(?:\.\d+)?$/.test(value)) return timeOf(Number(value));
    return Date.parse(value);
  }
  return NaN;
}
