// util-linux logger(1) sending to Vigil's syslog listeners over real sockets: RFC 5424 and RFC 3164
// headers, LF and RFC 6587 octet-counted TCP framing, UDP, tags, pids, priorities, structured data.
// Needs `logger` (bsdutils/util-linux >= 2.29); scripts/system-setup.sh installs it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { startVigil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { run, uniqueWord, exactly, assertTimeBetween, reapWithProcess } from './util.js';

const READ = TOKENS.acme.read;
// logger puts gethostname() in RFC 5424 headers, and only its first label in RFC 3164 ones.
const HOST = hostname();
const SHORT_HOST = HOST.split('.')[0]!;

describe('util-linux logger → Vigil syslog listeners', { timeout: 120_000 }, () => {
  let v: VigilProcess;
  let unreap: (() => void) | undefined;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
    unreap = reapWithProcess(v.child);
    assert.ok(v.syslog.tcp && v.syslog.udp, `syslog ports missing from the banner: ${JSON.stringify(v.syslog)}`);
  });
  after(async () => {
    unreap?.();
    await v?.stop();
  });

  /** logger with TZ=UTC (RFC 3164 stamps carry no zone; Vigil reads zone-less stamps as UTC). */
  async function logger(transport: 'tcp' | 'udp', args: string[], opts: { input?: string; tz?: string } = {}) {
    const port = transport === 'tcp' ? v.syslog.tcp! : v.syslog.udp!;
    await run('logger', [`--${transport}`, '--server', '127.0.0.1', '--port', String(port), ...args], {
      ...(opts.input !== undefined ? { input: opts.input } : {}),
      env: { TZ: opts.tz ?? 'UTC' },
    });
  }

  test('RFC 5424 over TCP (LF framing): tag, --id, -p auth.warning, --msgid, structured data', async () => {
    const word = uniqueWord('lg5424tcp');
    const t0 = Date.now();
    await logger('tcp', [
      '--rfc5424',
      '-t', 'vigil-app',
      '--id=4242',
      '-p', 'auth.warning',
      '--msgid', 'LOGIN',
      '--sd-id', 'exampleSDID@32473',
      '--sd-param', 'iut="3"',
      '--sd-param', 'eventSource="Application"',
      '--sd-id', 'meta@32473',
      '--sd-param', 'note="say \\"hi\\" [x\\]"',
      `${word} user=alice läuft über TCP`,
    ]);
    const [e] = await exactly(v, READ, word, 1);
    const t1 = Date.now();
    assert.equal(e.host.name, HOST);
    assert.equal(e.host.hostname, HOST);
    assert.equal(e.process.name, 'vigil-app');
    assert.equal(e.process.pid, 4242);
    assert.equal(e.log.syslog.appname, 'vigil-app');
    assert.equal(e.log.syslog.procid, '4242');
    assert.equal(e.log.syslog.msgid, 'LOGIN');
    assert.equal(e.log.syslog.version, '1');
    assert.equal(e.log.syslog.priority, 36);
    assert.equal(e.log.syslog.facility.code, 4);
    assert.equal(e.log.syslog.facility.name, 'auth');
    assert.equal(e.log.syslog.severity.code, 4);
    assert.equal(e.log.syslog.severity.name, 'warning');
    const sd = e.log.syslog.structured_data;
    assert.deepEqual(Object.keys(sd).sort(), ['exampleSDID@32473', 'meta@32473', 'timeQuality']);
    assert.deepEqual(sd['exampleSDID@32473'], { iut: '3', eventSource: 'Application' });
    assert.deepEqual(sd['meta@32473'], { note: 'say "hi" [x]' }, 'RFC 5424 escapes \\" and \\] are undone');
    assert.equal(sd.timeQuality.tzKnown, '1');
    assert.ok(['0', '1'].includes(sd.timeQuality.isSynced));
    assert.equal(e.message, `${word} user=alice läuft über TCP`);
    // logger stamps with microseconds; Vigil keeps milliseconds.
    assertTimeBetween(e['@timestamp'], t0, t1, 1000);
    assert.equal(e.vigil.input, 'syslog-tcp');
    assert.equal(e.vigil.tenant, 'acme');
    assert.match(e.event.original, /^<36>1 \d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d /);
    assert.ok(!e.event.original.endsWith('\n'), 'the LF frame delimiter is not part of the event');
    assert.match(e.log.source.address, /^127\.0\.0\.1:\d+$/);
  });

  test('RFC 5424 stamps with a zone offset are converted to UTC; notime/nohost NILVALUEs', async () => {
    const word = uniqueWord('lg5424tz');
    const t0 = Date.now();
    // +05:30 from a POSIX TZ string (needs no tzdata): the stamp must still land near now in UTC.
    await logger('tcp', ['--rfc5424=notq', '-t', 'tzapp', '-p', 'local4.notice', `${word} kolkata`], { tz: 'IST-5:30' });
    await logger('tcp', ['--rfc5424=notime,nohost', '-t', 'nilapp', '-p', 'local4.debug', `${word} nil`]);
    const t1 = Date.now();
    const hits = await exactly(v, READ, word, 2);
    const tz = hits.find((h) => h.process?.name === 'tzapp');
    const nil = hits.find((h) => h.process?.name === 'nilapp');
    assert.ok(tz && nil, JSON.stringify(hits));
    assert.match(tz.event.original, /^<165>1 \S+\+05:30 /);
    assertTimeBetween(tz['@timestamp'], t0, t1, 1000);
    assert.ok(tz['@timestamp'].endsWith('Z'));
    assert.equal(tz.host.name, HOST);
    assert.equal(tz.log.syslog.structured_data, undefined, 'notq: no timeQuality element');
    assert.equal(tz.message, `${word} kolkata`);
    assert.equal(tz.log.syslog.facility.code, 20);
    assert.equal(tz.log.syslog.severity.code, 5);

    assert.match(nil.event.original, /^<167>1 - - nilapp /);
    assert.equal(nil.host?.name, undefined, 'a NILVALUE host is no host');
    assert.equal(nil.log.syslog.severity.code, 7);
    assert.equal(nil.message, `${word} nil`);
    // No stamp in the message: the receive time stands in.
    assertTimeBetween(nil['@timestamp'], t0, t1, 1000);
    assertTimeBetween(nil.event.ingested, t0, t1, 1000, 'event.ingested');
  });

  test('RFC 3164 over TCP: host, tag[pid], -p authpriv.err', async () => {
    const word = uniqueWord('lg3164tcp');
    const t0 = Date.now();
    await logger('tcp', ['--rfc3164', '-t', 'sshd', '--id=77', '-p', 'authpriv.err', `${word} Failed password for root from 203.0.113.9 port 22 ssh2`]);
    const t1 = Date.now();
    const [e] = await exactly(v, READ, word, 1);
    assert.match(e.event.original, /^<83>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sshd\[77\]: /);
    assert.equal(e.host.name, SHORT_HOST);
    assert.equal(e.process.name, 'sshd');
    assert.equal(e.process.pid, 77);
    assert.equal(e.log.syslog.facility.code, 10);
    assert.equal(e.log.syslog.facility.name, 'authpriv');
    assert.equal(e.log.syslog.severity.code, 3);
    assert.equal(e.log.syslog.severity.name, 'error');
    assert.equal(e.log.syslog.version, undefined);
    assert.equal(e.message, `${word} Failed password for root from 203.0.113.9 port 22 ssh2`);
    // Whole seconds, no year, no zone (logger ran with TZ=UTC).
    assertTimeBetween(e['@timestamp'], t0, t1, 1000);
  });

  test('LF-framed TCP: several lines on one connection, per-line priorities with --prio-prefix', async () => {
    const word = uniqueWord('lglines');
    const lines = [`<38>${word} one`, `<165>${word} two`, `<11>${word} three`, `<14>${word} four ünïcödé`];
    await logger('tcp', ['--rfc3164', '--prio-prefix', '-t', 'multi', '--id=9'], { input: lines.join('\n') + '\n' });
    const hits = await exactly(v, READ, word, 4);
    const by = (suffix: string) => hits.find((h) => h.message === `${word} ${suffix}`);
    const expected: Array<[string, number, number]> = [['one', 4, 6], ['two', 20, 5], ['three', 1, 3], ['four ünïcödé', 1, 6]];
    for (const [suffix, fac, sev] of expected) {
      const e = by(suffix);
      assert.ok(e, `no event with message "${word} ${suffix}": ${JSON.stringify(hits.map((h) => h.message))}`);
      assert.equal(e.log.syslog.facility.code, fac, suffix);
      assert.equal(e.log.syslog.severity.code, sev, suffix);
      assert.equal(e.process.name, 'multi');
      assert.equal(e.process.pid, 9);
      assert.equal(e.host.name, SHORT_HOST);
    }
  });

  test('RFC 6587 octet counting over TCP: several frames on one connection, a 6 KiB one, no duplicates', async () => {
    const word = uniqueWord('lgoctet');
    const long = `${word} long ` + 'x'.repeat(6000);
    const msgs = [`${word} first`, `${word} second with [brackets] and "quotes"`, long, `${word} fourth`, `${word} fifth`];
    const t0 = Date.now();
    await logger('tcp', ['--octet-count', '--rfc5424', '-S', '16384', '-t', 'octapp', '--id=31337', '-p', 'daemon.info'], {
      input: msgs.join('\n') + '\n',
    });
    const t1 = Date.now();
    const hits = await exactly(v, READ, word, msgs.length);
    assert.deepEqual(hits.map((h) => h.message).sort(), [...msgs].sort());
    for (const e of hits) {
      assert.equal(e.process.name, 'octapp');
      assert.equal(e.process.pid, 31337);
      assert.equal(e.log.syslog.facility.code, 3);
      assert.equal(e.log.syslog.severity.code, 6);
      assert.equal(e.host.name, HOST);
      assert.equal(e.vigil.input, 'syslog-tcp');
      assert.equal(e.vigil.parse?.truncated, undefined);
      assert.ok(!/^\d+ </.test(e.event.original), `the octet count is not part of the event: ${e.event.original.slice(0, 60)}`);
      assertTimeBetween(e['@timestamp'], t0, t1, 1000);
    }
  });

  test('UDP: an RFC 5424 and an RFC 3164 datagram', async () => {
    const word = uniqueWord('lgudp');
    const t0 = Date.now();
    await logger('udp', ['--rfc5424', '-t', 'udp5424', '--id=501', '-p', 'local7.err', '--sd-id', 'origin', '--sd-param', 'software="logger"', `${word} rfc5424`]);
    await logger('udp', ['--rfc3164', '-t', 'udp3164', '--id=502', '-p', 'mail.crit', `${word} rfc3164`]);
    const t1 = Date.now();
    const hits = await exactly(v, READ, word, 2);
    const a = hits.find((h) => h.message === `${word} rfc5424`);
    const b = hits.find((h) => h.message === `${word} rfc3164`);
    assert.ok(a && b, JSON.stringify(hits.map((h) => h.event.original)));
    for (const e of [a, b]) {
      assert.equal(e.vigil.input, 'syslog-udp');
      assertTimeBetween(e['@timestamp'], t0, t1, 1000);
    }
    assert.equal(a.host.name, HOST);
    assert.equal(a.process.name, 'udp5424');
    assert.equal(a.process.pid, 501);
    assert.equal(a.log.syslog.facility.code, 23);
    assert.equal(a.log.syslog.severity.code, 3);
    assert.deepEqual(a.log.syslog.structured_data.origin, { software: 'logger' });
    assert.equal(b.host.name, SHORT_HOST);
    assert.equal(b.process.name, 'udp3164');
    assert.equal(b.process.pid, 502);
    assert.equal(b.log.syslog.facility.code, 2);
    assert.equal(b.log.syslog.facility.name, 'mail');
    assert.equal(b.log.syslog.severity.code, 2);
    assert.equal(b.log.syslog.severity.name, 'critical');
  });
});
