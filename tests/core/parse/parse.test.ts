import { describe, expect, it } from 'vitest';
import {
  BUILTIN_LAYOUTS,
  compileTimeFormat,
  createRecordParser,
  detectLayout,
  parseIsoTimestamp,
  parseLayoutFormat,
  type Layout,
} from '../../../src/core/parse';
import { layoutById, records } from './helpers';

describe('extra formats', () => {
  it('syslog RFC 3164 with and without PRI', () => {
    const lines = [
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      'Oct  3 08:00:01 web-1 CRON[1234]: (root) CMD (run-parts /etc/cron.hourly)',
      '<13>Feb 29 23:59:59 host kernel: [ 12.345] usb 1-1: new device',
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('syslog');
    // Year-less stamps take the hinted year (the file's modification year).
    const [a, b, c] = records(layout, lines, 2024);
    expect(a).toMatchObject({ level: 'FATAL', component: 'su', message: "'su root' failed for lonvick on /dev/pts/8" });
    expect(a.timestamp).toBe(Date.UTC(2024, 9, 11, 22, 14, 15));
    expect(b).toMatchObject({ level: '', component: 'CRON', message: '(root) CMD (run-parts /etc/cron.hourly)' });
    expect(c).toMatchObject({ level: 'NOTICE', component: 'kernel', message: '[ 12.345] usb 1-1: new device' });
    expect(c.timestamp).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
  });

  it('syslog RFC 5424', () => {
    const lines = [
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFAn application event',
      "<11>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('syslog5424');
    const [a, b] = records(layout, lines);
    expect(a).toMatchObject({ level: 'NOTICE', component: 'evntslog', message: 'An application event' });
    expect(a.timestamp).toBe(Date.UTC(2003, 9, 11, 22, 14, 15, 3));
    expect(b).toMatchObject({ level: 'ERROR', component: 'myproc', message: "%% It's time to make the do-nuts." });
    expect(b.timestamp).toBe(Date.UTC(2003, 7, 24, 12, 14, 15, 0));
  });

  it('ISO-8601 prefixed application logs', () => {
    const lines = [
      '2024-05-01T12:00:00.123Z ERROR [payment] charge failed for order 17',
      '2024-05-01 12:00:01,456 WARN retry 2 of 5',
      '2024-05-01T14:00:02+02:00 info [api] started',
      '2024-05-01 12:00:03 something without a level',
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('iso');
    const [a, b, c, d] = records(layout, lines);
    expect(a).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 123),
      level: 'ERROR',
      component: 'payment',
      message: 'charge failed for order 17',
    });
    expect(b).toEqual({ timestamp: Date.UTC(2024, 4, 1, 12, 0, 1, 456), level: 'WARN', component: '', message: 'retry 2 of 5' });
    expect(c).toMatchObject({ timestamp: Date.UTC(2024, 4, 1, 12, 0, 2), level: 'INFO', component: 'api', message: 'started' });
    expect(d).toMatchObject({ level: '', message: 'something without a level' });
  });

  it('JSON lines with the usual key spellings', () => {
    const lines = [
      '{"level":30,"time":1714564800000,"msg":"server listening","name":"api"}',
      '{"@timestamp":"2024-05-01T12:00:00.5Z","log.level":"warning","message":"disk 91% full","service":"db"}',
      '{"ts":1714564801.25,"severity":"ERROR","log":"boom\\n","logger":"worker.jobs"}',
      '{"lvl":"debug","timestamp":"2024-05-01 12:00:00","text":"no time zone"}',
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('json');
    const [a, b, c, d] = records(layout, lines);
    expect(a).toEqual({ timestamp: 1714564800000, level: 'INFO', component: 'api', message: 'server listening' });
    expect(b).toEqual({ timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 500), level: 'WARN', component: 'db', message: 'disk 91% full' });
    expect(c).toEqual({ timestamp: 1714564801250, level: 'ERROR', component: 'worker.jobs', message: 'boom' });
    expect(d).toMatchObject({ timestamp: Date.UTC(2024, 4, 1, 12), level: 'DEBUG', message: 'no time zone' });
  });

  it('Apache/Nginx combined access logs: message is METHOD path status, level from status', () => {
    const lines = [
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08"',
      '10.0.0.2 - - [10/Oct/2000:13:55:37 +0000] "POST /api/login HTTP/1.1" 401 12 "-" "curl/8.0"',
      '10.0.0.3 - - [10/Oct/2000:13:55:38 +0000] "GET /api/orders?id=7 HTTP/2.0" 503 0 "-" "-"',
      '10.0.0.4 - - [10/Oct/2000:13:55:39 +0000] "-" 400 0 "-" "-"',
    ];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('access');
    const [a, b, c, d] = records(layout, lines);
    expect(a).toEqual({ timestamp: Date.UTC(2000, 9, 10, 20, 55, 36), level: 'INFO', component: '', message: 'GET /apache_pb.gif 200' });
    expect(b).toMatchObject({ level: 'WARN', message: 'POST /api/login 401' });
    expect(c).toMatchObject({ level: 'ERROR', message: 'GET /api/orders?id=7 503' });
    expect(d).toMatchObject({ level: 'WARN', message: '- 400' });
  });

  it('falls back to plain text: whole line as message', () => {
    const lines = ['hello world', 'another free-form line: with colon', 'third'];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('plain');
    expect(records(layout, lines)).toEqual(lines.map((message) => ({ timestamp: NaN, level: '', component: '', message })));
    expect(detectLayout([]).id).toBe('plain');
  });

  it('reports the share of sample lines the chosen layout parsed', () => {
    const lines = ['2024-05-01T12:00:00Z INFO a', '2024-05-01T12:00:01Z INFO b', '2024-05-01T12:00:02Z INFO c', 'not a record at all'];
    const layout = detectLayout(lines);
    expect(layout.id).toBe('iso');
    expect(layout.matchShare).toBe(0.75);
    const [, , , unparsed] = records(layout, lines);
    expect(unparsed).toEqual({ timestamp: NaN, level: '', component: '', message: 'not a record at all' });
  });
});

describe('layout override in Loghub notation', () => {
  it('parses a user-supplied format and takes it over detection', () => {
    const layout = parseLayoutFormat('<Date> <Time> <Level> <Component>: <Content>');
    expect(layout).toMatchObject({ id: 'custom', format: '<Date> <Time> <Level> <Component>: <Content>' });
    const [a] = records(layout, ['2024-05-01 12:00:00.250 WARNING cache.Store: evicted 12 entries: too big']);
    expect(a).toEqual({
      timestamp: Date.UTC(2024, 4, 1, 12, 0, 0, 250),
      level: 'WARN',
      component: 'cache.Store',
      message: 'evicted 12 entries: too big',
    });
    // JSON-serialisable: survives a round trip to a worker.
    const copy = JSON.parse(JSON.stringify(layout)) as Layout;
    expect(records(copy, ['2024-05-01 12:00:00 INFO x: y'])[0].message).toBe('y');
  });

  it('handles bracketed, piped and optional parts, and Label fields', () => {
    const piped = parseLayoutFormat(String.raw`<Time>\|<Component>\|<Pid>\|<Content>`);
    expect(records(piped, ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579'])[0]).toMatchObject({
      component: 'Step_LSC',
      message: 'onStandStepChanged 3579',
      timestamp: Date.UTC(2017, 11, 23, 22, 15, 29, 606),
    });
    const optional = parseLayoutFormat(String.raw`<Host> <Component>(\[<Pid>\])?: <Content>`);
    const [x, y] = records(optional, ['h1 sshd[42]: accepted', 'h1 kernel: oops: bad']);
    expect(x).toMatchObject({ component: 'sshd', message: 'accepted' });
    expect(y).toMatchObject({ component: 'kernel', message: 'oops: bad' });
    const labelled = parseLayoutFormat('<Label> <Content>');
    expect(records(labelled, ['APPSEV something broke'])[0]).toMatchObject({ label: 'APPSEV', message: 'something broke' });
  });

  it('rejects a format without fields', () => {
    expect(() => parseLayoutFormat('just text')).toThrow(/no <Field>/);
  });
});

describe('multi-line records', () => {
  it('folds a Java stack trace into the record that logged it', () => {
    const lines = [
      '2024-05-01 12:00:00,001 ERROR [main] request failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.acme.Service.handle(Service.java:42)',
      '\tat com.acme.Main.main(Main.java:7)',
      'Caused by: java.io.IOException: disk gone',
      '\t... 2 more',
      '2024-05-01 12:00:01,000 INFO [main] recovered',
    ];
    const out = records(detectLayout(lines), lines);
    expect(out.length).toBe(2);
    expect(out[0].message).toBe(['request failed', ...lines.slice(1, 6)].join('\n'));
    expect(out[1].message).toBe('recovered');
  });

  it('folds a Python traceback, including its final exception line', () => {
    const lines = [
      '2024-05-01T12:00:00Z ERROR [worker] job 7 crashed',
      'Traceback (most recent call last):',
      '  File "/app/job.py", line 12, in run',
      '    result = compute(x)',
      'ValueError: bad value 3',
      '2024-05-01T12:00:05Z INFO [worker] job 8 done',
    ];
    const out = records(detectLayout(lines), lines);
    expect(out.map((r) => r.message.split('\n').length)).toEqual([5, 1]);
    expect(out[0].message.endsWith('ValueError: bad value 3')).toBe(true);
  });

  it('folds stack traces under plain layouts too, but a first continuation line is a record', () => {
    const parser = createRecordParser(detectLayout(['free text']));
    expect(parser.parse('\tat first.Line(X.java:1)')).not.toBeNull();
    expect(parser.parse('\tat second.Line(X.java:2)')).toBeNull();
    parser.reset();
    expect(parser.parse('    indented start of a new file')).not.toBeNull();
  });

  it('caps a runaway folded message', () => {
    const parser = createRecordParser(layoutById('iso'));
    const record = parser.parse('2024-05-01T12:00:00Z ERROR x');
    expect(record).not.toBeNull();
    if (record === null) return;
    for (let i = 0; i < 10000; i++) {
      const frame = `\tat frame${i}(X.java:${i})`;
      expect(parser.parse(frame)).toBeNull();
      parser.fold(record, frame);
    }
    expect(record.message.length).toBe(65536);
  });
});

describe('timestamps', () => {
  it('compiles the pattern tokens', () => {
    expect(compileTimeFormat('yyMMdd HHmmss')('081109 203615')).toBe(Date.UTC(2008, 10, 9, 20, 36, 15));
    expect(compileTimeFormat('MMM dd HH:mm:ss', 2016)('Jul  1 09:00:55')).toBe(Date.UTC(2016, 6, 1, 9, 0, 55));
    expect(compileTimeFormat('MMM dd HH:mm:ss')('Jul  1 09:00:55')).toBe(Date.UTC(new Date().getUTCFullYear(), 6, 1, 9, 0, 55));
    expect(compileTimeFormat('yyyy-MM-dd-HH.mm.ssSSS')('2005-06-03-15.42.50.675872')).toBe(Date.UTC(2005, 5, 3, 15, 42, 50, 675));
    expect(compileTimeFormat('dd/MMM/yyyy:HH:mm:ss X')('10/Oct/2000:13:55:36 -0700')).toBe(Date.UTC(2000, 9, 10, 20, 55, 36));
    expect(compileTimeFormat('epoch')('1117838570')).toBe(1117838570000);
  });

  it('gives NaN for text that does not fit, never a wrong date', () => {
    const parse = compileTimeFormat('yyyy-MM-dd HH:mm:ss');
    expect(parse('2024-13-01 00:00:00')).toBeNaN();
    expect(parse('2024-05-01 12:00:00 trailing')).toBeNaN();
    expect(parse('garbage')).toBeNaN();
    expect(parseIsoTimestamp('2024-05-01x12:00:00')).toBeNaN();
    expect(parseIsoTimestamp('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
  });
});

describe('bad input', () => {
  it('does not backtrack badly on long hostile lines', () => {
    const hostile = [
      ' :'.repeat(32768),
      'Jan 1 00:00:00 host ' + 'a['.repeat(20000),
      '[10.30 16:49:06] ' + 'x - '.repeat(10000).replace(/ - $/, ''),
      '2024-05-01 12:00:00,000 - INFO  [' + ':'.repeat(30000),
      '- 1117838570 2005.06.03 ' + 'x '.repeat(30000),
      'Jan 1 00:00:00 host ' + 'a (b'.repeat(15000),
      'Jan 1 00:00:00 host ' + 'a ['.repeat(20000),
      '1 2 3 4 ' + ' '.repeat(60000),
    ];
    const custom = [
      parseLayoutFormat(String.raw`<Month> <Date> <Time> <Level> <Component>(\[<PID>\])?: <Content>`),
      parseLayoutFormat('<A> <B> <C> <D> <E>: <Content>'),
    ];
    const start = performance.now();
    for (const layout of [...BUILTIN_LAYOUTS, ...custom]) {
      const parser = createRecordParser(layout);
      for (const line of hostile) parser.parse(line);
    }
    detectLayout(hostile);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('never throws on odd lines and keeps their text', () => {
    const odd = ['', '\uFFFD\uFFFD', '{"not": "closed"', '{}', '[]', '<999>1 x', '\u0000\u0001', '😀'.repeat(100)];
    for (const layout of BUILTIN_LAYOUTS) {
      const parser = createRecordParser(layout);
      for (const line of odd) {
        const record = parser.parse(line);
        if (record !== null) expect(typeof record.message).toBe('string');
      }
    }
    const json = createRecordParser(layoutById('json'));
    expect(json.parse('{"not": "closed"')?.message).toBe('{"not": "closed"');
    expect(json.parse('{}')?.message).toBe('{}');
  });
});
