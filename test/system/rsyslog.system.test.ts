// A private rsyslogd relaying to Vigil, as a customer's existing syslog relay would: rsyslog receives
// lines (imtcp inputs the test writes to, and imfile on a file the test appends to) and forwards them
// with omfwd over TCP, once as RFC 5424 (RSYSLOG_SyslogProtocol23Format) with RFC 6587 octet-counted
// framing, once as LF-framed RSYSLOG_ForwardFormat and RSYSLOG_TraditionalForwardFormat (RFC 3164 style).
// Needs rsyslogd (Debian package rsyslog); scripts/system-setup.sh installs it. The system rsyslog
// daemon is not used: this instance has its own config, work directory and pid file, no imuxsock/imklog.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, tempDir, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { run, uniqueWord, exactly, assertTimeBetween, sleep, reapWithProcess, spawnDaemon, waitForDaemon, portInFile, sendLines, bsd } from './util.js';

const READ = TOKENS.acme.read;
const RELAY_HOST = 'rsyslog-relay'; // rsyslog's localHostName: the host of events it makes itself (imfile)
const PATHS = ['octet', 'lf', 'trad'] as const;
type Path = (typeof PATHS)[number];

/** The rsyslog configuration: one imtcp input per forwarding path, plus imfile into the octet path. */
function rsyslogConf(dir: string, vigilPort: number): string {
  const fwd = (template: string, framing: string) =>
    `action(type="omfwd" target="127.0.0.1" port="${vigilPort}" protocol="tcp" ${framing} template="${template}"
           action.resumeRetryCount="-1" action.resumeInterval="1")`;
  return `
global(workDirectory="${dir}/work" localHostName="${RELAY_HOST}" maxMessageSize="64k")
module(load="imtcp")
module(load="imfile" mode="inotify")
input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${dir}/port-octet" ruleset="octet")
input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${dir}/port-lf" ruleset="lf")
input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${dir}/port-trad" ruleset="trad")
input(type="imfile" file="${dir}/app.log" tag="fileapp" facility="local3" severity="warning" ruleset="octet")
ruleset(name="octet") {
  ${fwd('RSYSLOG_SyslogProtocol23Format', 'TCP_Framing="octet-counted"')}
}
ruleset(name="lf") {
  ${fwd('RSYSLOG_ForwardFormat', 'TCP_Framing="traditional"')}
}
ruleset(name="trad") {
  ${fwd('RSYSLOG_TraditionalForwardFormat', 'TCP_Framing="traditional"')}
}
`;
}

interface Rsyslog {
  child: ChildProcess;
  ports: Record<Path, number>;
  logFile: string;
  stderr: () => string;
  stop(): Promise<void>;
}

async function startRsyslog(vigilPort: number): Promise<Rsyslog> {
  const dir = tempDir('vigil-rsyslog-');
  mkdirSync(join(dir, 'work'));
  const conf = join(dir, 'rsyslog.conf');
  const logFile = join(dir, 'app.log');
  writeFileSync(conf, rsyslogConf(dir, vigilPort));
  writeFileSync(logFile, '');
  // Fail with rsyslog's own words when the config does not validate.
  await run('rsyslogd', ['-N1', '-f', conf], { timeoutMs: 15_000 });
  // -n: stay in the foreground (our child, killable by pid); -i: a private pid file. TZ=UTC: RFC 3164
  // stamps carry no zone, and Vigil reads zone-less stamps as UTC.
  const d = spawnDaemon('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { TZ: 'UTC' });
  const stop = async () => {
    await d.halt();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = {} as Record<Path, number>;
    for (const p of PATHS) {
      const file = join(dir, `port-${p}`);
      ports[p] = await waitForDaemon(d, 'rsyslogd', `write ${file}`, () => portInFile(file));
    }
    return { child: d.child, ports, logFile, stderr: d.output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The same small mix of senders for every path: what rsyslog receives, and what Vigil must show. */
function scenario(word: string) {
  const base = Math.floor(Date.now() / 1000) * 1000 - 60_000; // a minute ago, whole seconds
  const at = (s: number) => new Date(base + s * 1000);
  const long = `${word} long ` + 'y'.repeat(4000);
  const lines = [
    `<38>${bsd(at(1))} bastion1 sshd[4242]: ${word} Accepted publickey for alice from 10.9.8.7 port 50000 ssh2`,
    `<78>${bsd(at(2))} cronhost CRON[99]: ${word} (root) CMD (run-parts /etc/cron.hourly)`,
    `<165>1 ${at(3).toISOString().replace('.000Z', '.123Z')} web01 myapp 77 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] ${word} 5424 message ünïcödé`,
    `<13>${bsd(at(4))} dbhost postgres[1234]: ${long}`,
  ];
  const expected = [
    { host: 'bastion1', program: 'sshd', pid: 4242, fac: 4, sev: 6, msg: `${word} Accepted publickey for alice from 10.9.8.7 port 50000 ssh2`, ts: at(1) },
    { host: 'cronhost', program: 'CRON', pid: 99, fac: 9, sev: 6, msg: `${word} (root) CMD (run-parts /etc/cron.hourly)`, ts: at(2) },
    { host: 'web01', program: 'myapp', pid: 77, fac: 20, sev: 5, msg: `${word} 5424 message ünïcödé`, ts: new Date(at(3).getTime() + 123) },
    { host: 'dbhost', program: 'postgres', pid: 1234, fac: 1, sev: 5, msg: long, ts: at(4) },
  ];
  return { lines, expected };
}

describe('rsyslog relay → Vigil', { timeout: 120_000 }, () => {
  let v: VigilProcess | undefined;
  let rs: Rsyslog | undefined;
  let unreapVigil: (() => void) | undefined;

  before(async () => {
    const version = (await run('rsyslogd', ['-v'])).stdout.split('\n')[0]!.replace(/\s*compiled with:$/, '');
    console.log(`using ${version}`);
    v = await startVigil({ configPath: twoTenantConfig().path });
    unreapVigil = reapWithProcess(v.child);
    assert.ok(v.syslog.tcp, `no TCP syslog port in the banner: ${JSON.stringify(v.syslog)}`);
    rs = await startRsyslog(v.syslog.tcp);
  });

  after(async () => {
    try {
      await rs?.stop();
    } finally {
      unreapVigil?.();
      await v?.stop();
    }
  });

  function checkCommon(e: any, x: ReturnType<typeof scenario>['expected'][number], path: Path): void {
    const where = `${path}: ${String(e.event?.original).slice(0, 160)}`;
    assert.equal(e.host?.name, x.host, where);
    assert.equal(e.process?.name, x.program, where);
    assert.equal(e.process?.pid, x.pid, where);
    assert.equal(e.log.syslog.facility.code, x.fac, where);
    assert.equal(e.log.syslog.severity.code, x.sev, where);
    assert.equal(e.vigil.input, 'syslog-tcp', where);
    assert.equal(e.vigil.tenant, 'acme', where);
    assert.equal(e.vigil.parse?.truncated, undefined, where);
    // TraditionalForwardFormat drops sub-seconds (and the year, which Vigil infers).
    const ts = path === 'trad' ? Math.floor(x.ts.getTime() / 1000) * 1000 : x.ts.getTime();
    // Compared as instants: Vigil renders whole seconds without a fraction ("...:53Z").
    assert.equal(Date.parse(e['@timestamp']), ts, `@timestamp ${e['@timestamp']} is not ${new Date(ts).toISOString()}; ${where}`);
  }

  function byHost(hits: any[], host: string): any {
    const e = hits.find((h) => h.host?.name === host);
    assert.ok(e, `no event from host ${host}: ${JSON.stringify(hits.map((h) => String(h.event?.original).slice(0, 160)))}`);
    return e;
  }

  test('RFC 5424 (RSYSLOG_SyslogProtocol23Format) over TCP with octet-counted framing', async () => {
    const word = uniqueWord('rsoctet');
    const { lines, expected } = scenario(word);
    await sendLines(rs!.ports.octet, lines);
    const hits = await exactly(v!, READ, word, lines.length);
    for (const x of expected) {
      const e = byHost(hits, x.host);
      checkCommon(e, x, 'octet');
      assert.equal(e.log.syslog.version, '1');
      assert.match(e.event.original, /^<\d+>1 /, 'forwarded as RFC 5424');
      // rsyslog's %msg% of an RFC 3164 message keeps the space after "tag:", so the RFC 5424 MSG it
      // forwards starts with a space ("- -  Accepted"). Compared without it; see the raw text above.
      assert.equal(e.message.trimStart(), x.msg);
      assert.ok(!e.message.endsWith('\n'), 'the template\'s trailing LF is not part of the message');
    }
    const sd = byHost(hits, 'web01');
    assert.equal(sd.log.syslog.msgid, 'ID47');
    assert.deepEqual(sd.log.syslog.structured_data, { 'exampleSDID@32473': { iut: '3', eventSource: 'Application' } });
    assert.equal(byHost(hits, 'bastion1').log.syslog.structured_data, undefined);
  });

  test('RFC 3164 style (RSYSLOG_ForwardFormat) over TCP with LF framing', async () => {
    const word = uniqueWord('rslf');
    const { lines, expected } = scenario(word);
    await sendLines(rs!.ports.lf, lines);
    const hits = await exactly(v!, READ, word, lines.length);
    for (const x of expected) {
      const e = byHost(hits, x.host);
      checkCommon(e, x, 'lf');
      assert.match(e.event.original, /^<\d+>\d{4}-\d\d-\d\dT/, 'forwarded with an RFC 3339 stamp in a 3164 layout');
      assert.equal(e.message, x.msg);
      assert.equal(e.log.syslog.version, undefined);
    }
  });

  test('RFC 3164 (RSYSLOG_TraditionalForwardFormat) over TCP with LF framing', async () => {
    const word = uniqueWord('rstrad');
    const { lines, expected } = scenario(word);
    await sendLines(rs!.ports.trad, lines);
    const hits = await exactly(v!, READ, word, lines.length);
    for (const x of expected) {
      const e = byHost(hits, x.host);
      checkCommon(e, x, 'trad');
      assert.match(e.event.original, /^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /, 'forwarded with a BSD stamp');
      assert.equal(e.message, x.msg);
    }
  });

  test('imfile: lines appended to a file arrive once each, with rsyslog\'s host and the file\'s tag', async () => {
    const word = uniqueWord('rsfile');
    const t0 = Date.now();
    const msgs = [`${word} file line one`, `${word} file line two ünï`, `${word} file line three`];
    appendFileSync(rs!.logFile, msgs.slice(0, 2).join('\n') + '\n');
    await sleep(200);
    appendFileSync(rs!.logFile, msgs[2] + '\n');
    const hits = await exactly(v!, READ, word, msgs.length);
    const t1 = Date.now();
    assert.deepEqual(hits.map((h) => h.message).sort(), [...msgs].sort());
    for (const e of hits) {
      assert.equal(e.host.name, RELAY_HOST);
      assert.equal(e.process.name, 'fileapp');
      assert.equal(e.process.pid, undefined);
      assert.equal(e.log.syslog.facility.code, 19);
      assert.equal(e.log.syslog.facility.name, 'local3');
      assert.equal(e.log.syslog.severity.code, 4);
      assert.match(e.event.original, /^<156>1 /);
      assertTimeBetween(e['@timestamp'], t0, t1, 1000);
    }
  });

  test('a burst of 2000 messages through the octet-counted path: exact count, each sequence number once', async () => {
    const word = uniqueWord('rsburst');
    const n = 2000;
    const stamp = bsd(new Date());
    const lines = Array.from({ length: n }, (_, i) => `<134>${stamp} burst${i % 7} app[${i}]: ${word} seq=${i} ${'z'.repeat(i % 300)}`);
    // Two connections, so rsyslog interleaves two senders into its one forwarding connection.
    await Promise.all([sendLines(rs!.ports.octet, lines.slice(0, n / 2)), sendLines(rs!.ports.octet, lines.slice(n / 2))]);
    const hits = await exactly(v!, READ, word, n, 60_000);
    const seqs = hits.map((h) => Number(/seq=(\d+)/.exec(h.message)?.[1])).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i));
    for (const e of hits) {
      const i = Number(/seq=(\d+)/.exec(e.message)![1]);
      assert.equal(e.process.pid, i);
      assert.equal(e.host.name, `burst${i % 7}`);
      assert.equal(e.process.name, 'app');
    }
  });
});
