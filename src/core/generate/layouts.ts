/**
 * Writes one event as a line in a standard layout:
 * - iso:    `2026-03-14T09:26:53.589Z INFO  [orders] message`
 * - syslog: `Mar 14 09:26:53 orders-01 orders[1234]: INFO message` (RFC 3164, level leads the message)
 * - jsonl:  `{"ts":"2026-03-14T09:26:53.589Z","level":"INFO","service":"orders","host":"orders-01","msg":"message"}`
 * - hdfs:   `260314 092653 143 INFO dfs.DataNode$DataXceiver: message` (Loghub HDFS)
 * All times are UTC.
 */
import { mix32 } from './random';
import type { Layout, Level, ServiceName } from './types';
import { HDFS_COMPONENTS } from './world';

export interface LineFields {
  time: number;
  level: Level;
  service: ServiceName;
  host: string;
  pid: number;
  /** HDFS logger name; the service's default when absent. */
  component?: string;
  message: string;
  /** Position in the log, used to vary the HDFS thread id without drawing random numbers. */
  seq: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export type LineFormatter = (fields: LineFields) => string;

/** A formatter for one layout. It caches the date part per second: consecutive lines share it. */
export function lineFormatter(layout: Layout): LineFormatter {
  let cachedSecond = Number.NaN;
  let cachedDate = '';
  const datePart = (time: number, render: (d: Date) => string): string => {
    const second = Math.floor(time / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedDate = render(new Date(second * 1000));
    }
    return cachedDate;
  };
  // ISO-8601 with milliseconds: the part up to the seconds is cached, the milliseconds appended.
  const renderIsoSecond = (d: Date) => d.toISOString().slice(0, 20);
  const iso = (time: number): string => {
    const ms = time - Math.floor(time / 1000) * 1000;
    return `${datePart(time, renderIsoSecond)}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
  switch (layout) {
    case 'iso':
      return (f) => `${iso(f.time)} ${f.level.padEnd(5)} [${f.service}] ${f.message}`;
    case 'jsonl':
      return (f) =>
        `{"ts":"${iso(f.time)}","level":"${f.level}","service":"${f.service}","host":"${f.host}","msg":${JSON.stringify(f.message)}}`;
    case 'syslog': {
      const render = (d: Date) =>
        `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
      return (f) => `${datePart(f.time, render)} ${f.host} ${f.service}[${f.pid}]: ${f.level} ${f.message}`;
    }
    case 'hdfs': {
      const render = (d: Date) =>
        `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
      return (f) => {
        const thread = 1 + (mix32(f.seq ^ f.pid) % 350);
        return `${datePart(f.time, render)} ${thread} ${f.level} ${f.component ?? HDFS_COMPONENTS[f.service]}: ${f.message}`;
      };
    }
    default:
      throw new RangeError(`unknown layout: ${String(layout)}`);
  }
}
