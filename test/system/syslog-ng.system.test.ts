// A private syslog-ng sending to Vigil with its syslog() driver over TLS (RFC 5425: octet-counted RFC
// 5424 frames), as a customer's syslog-ng relay would. syslog-ng reads a file it follows (RFC 3164 lines
// from other hosts), a second file of RFC 5424 lines (flags(syslog-protocol)), and a unix-stream socket
// that local programs write to, as they would to /dev/log. Vigil has only a TLS syslog listener, and
// syslog-ng checks Vigil's certificate against the test CA (peer-verify(required-trusted)).
//
// syslog-ng-core conflicts with rsyslog in apt, so scripts/system-setup.sh does not install it: it
// unpacks the Debian package into .system/syslog-ng, and this file runs it from there with
// --module-path, --no-caps and its own control socket, pid and persist files. Nothing of the system's
// is used. A missing syslog-ng fails every test here; none is skipped.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import net from 'node:net';
import { ROOT, startVigil, tempDir, writeConfig, type VigilProcess } from '../helpers/server.js';
import { makeCert, TOKENS } from '../helpers/tenants.js';
import { run, uniqueWord, exactly, assertTimeBetween, sleep, reapWithProcess, spawnDaemon, waitForDaemon, bsd } from './util.js';

const READ = TOKENS.acme.read;
const SNG = join(ROOT, '.system/syslog-ng');
const SNG_BIN = join(SNG, 'usr/sbin/syslog-ng');
const SNG_LIBS = join(SNG, 'usr/lib/syslog-ng');
// syslog-ng runs in India Standard Time (a POSIX TZ string: no tzdata needed), so the RFC 3164 stamps
// it reads are local +05:30 times and the RFC 5424 stamps it sends carry +05:30: Vigil must convert.
const SNG_TZ = 'IST-5:30';
const SNG_OFFSET_MS = 5.5 * 3600_000;
// syslog-ng names local messages with the short host name (use-fqdn(no), its default).
const LOCAL_HOST = hostname().split('.')[0]!;

/** The module folder inside the unpacked package (usr/lib/syslog-ng/3.38), or a loud failure. */
function modulePath(): string {
  const hint = 'run `bash scripts/system-setup.sh` (as root): it unpacks syslog-ng-core into .system/syslog-ng';
  if (!existsSync(SNG_BIN)) throw new Error(`syslog-ng not found at ${SNG_BIN}; ${hint}`);
  const dirs = readdirSync(SNG_LIBS).filter((d) => /^\d+\.\d+$/.test(d));
  if (dirs.length !== 1) throw new Error(`expected one module folder in ${SNG_LIBS}, found ${JSON.stringify(dirs)}; ${hint}`);
  return join(SNG_LIBS, dirs[0]!);
}

const sngEnv = (): Record<string, string> => ({ LD_LIBRARY_PATH: SNG_LIBS, TZ: SNG_TZ });

interface SyslogNg {
  dir: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** A TLS syslog() destination to Vigil, verifying its certificate against `caFile`. */
function tlsDestination(port: number, caFile: string): string {
  return `syslog("127.0.0.1" port(${port}) transport("tls")
    tls(ca-file("${caFile}") peer-verify(required-trusted))
    time-reopen(1))`;
}

/**
 * Starts syslog-ng in the foreground (-F, our child, killable by pid) with `conf`, after checking its
 * syntax (-s) so that a bad config fails with syslog-ng's own words. Ready once it logs "starting up"
 * and every unix socket in `sockets` exists.
 */
async function startSyslogNg(dir: string, conf: string, sockets: string[] = []): Promise<SyslogNg> {
  const confPath = join(dir, 'syslog-ng.conf');
  writeFileSync(confPath, conf);
  const common = ['-f', confPath, `--module-path=${modulePath()}`];
  await run(SNG_BIN, ['-s', ...common], { env: sngEnv(), timeoutMs: 15_000 });
  const args = ['-F', '-e', '--no-caps', ...common, '-c', join(dir, 'syslog-ng.ctl'), '-p', join(dir, 'syslog-ng.pid'), '-R', join(dir, 'syslog-ng.persist')];
  const d = spawnDaemon(SNG_BIN, args, sngEnv());
  const stop = async () => {
    await d.halt();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForDaemon(d, 'syslog-ng', 'start', () => (d.output().includes('syslog-ng starting up') && sockets.every((s) => existsSync(s)) ? true : undefined));
    return { dir, stderr: d.output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Writes lines to a unix-stream socket over one connection, as a program writing to /dev/log. */
function sendUnix(path: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path }, () => s.end(lines.map((l) => l + '\n').join('')));
    s.setTimeout(10_000, () => s.destroy(new Error(`timed out writing to ${path}`)));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

/** "Nov  3 13:30:01": the instant `t` as a syslog-ng in SNG_TZ reads it (its local time, no zone). */
function bsdLocal(t: number): string {
  return bsd(new Date(t + SNG_OFFSET_MS));
}

const seqOf = (e: any): number => Number(/ seq=(\d+)/.exec(String(e.message))?.[1]);

/** Asserts the hits are exactly sequence numbers 0..n-1, each once, and returns them by number. */
function bySeq(hits: any[], n: number): Map<number, any> {
  const seqs = hits.map(seqOf).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i), 'each sequence number exactly once');
  return new Map(hits.map((h) => [seqOf(h), h]));
}

/** What every event that syslog-ng sent over TLS has in common. */
function checkTransport(e: any): void {
  const where = String(e.event?.original).slice(0, 160);
  assert.equal(e.vigil.input, 'syslog-tls', where);
  assert.equal(e.vigil.tenant, 'acme', where);
  assert.equal(e.log.syslog.version, '1', where);
  assert.match(e.event.original, /^<\d{1,3}>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d /, `RFC 5424 with frac-digits(3): ${where}`);
  assert.ok(!/^\d+ </.test(e.event.original), `the octet count is not part of the event: ${where}`);
  assert.ok(!e.event.original.endsWith('\n'), `syslog-ng's trailing LF inside the frame is not part of the event: ${where}`);
  assert.equal(e.vigil.parse?.truncated, undefined, where);
  // syslog-ng numbers what each destination sends: [meta sequenceId="N"].
  assert.match(String(e.log.syslog.structured_data?.meta?.sequenceId), /^\d+$/, where);
  assert.match(e.log.source.address, /^127\.0\.0\.1:\d+$/, where);
}

describe('syslog-ng syslog() over TLS → Vigil', { timeout: 120_000 }, () => {
  let v: VigilProcess | undefined;
  let sng: SyslogNg | undefined;
  let unreapVigil: (() => void) | undefined;
  let cfgDir = '';
  let files = { bsd: '', rfc5424: '', sock: '' };

  before(async () => {
    const mp = modulePath(); // fails here, loudly, when setup has not run
    const version = (await run(SNG_BIN, ['--version'], { env: sngEnv() })).stdout.split('\n')[0];
    console.log(`using ${version} from ${mp}`);
    // Vigil with one syslog listener, TLS only, so nothing can arrive in clear text.
    cfgDir = tempDir('vigil-cfg-');
    makeCert(cfgDir);
    const cfg = writeConfig(
      `http:
  listen: 127.0.0.1:0
syslog:
  - { protocol: tls, listen: 127.0.0.1:0, tenant: acme, cert: cert.pem, key: key.pem }
tenants:
  - name: acme
    tokens:
      - { secret: "${TOKENS.acme.ingest}", scope: ingest }
      - { secret: "${TOKENS.acme.read}", scope: read }
`,
      cfgDir,
    );
    v = await startVigil({ configPath: cfg.path });
    unreapVigil = reapWithProcess(v.child);
    assert.deepEqual(Object.keys(v.syslog), ['tls'], `Vigil must listen for syslog over TLS only: ${JSON.stringify(v.syslog)}`);

    const dir = tempDir('vigil-syslog-ng-');
    mkdirSync(join(dir, 'in'));
    files = { bsd: join(dir, 'in/relay.log'), rfc5424: join(dir, 'in/rfc5424.log'), sock: join(dir, 'app.sock') };
    writeFileSync(files.bsd, '');
    writeFileSync(files.rfc5424, '');
    sng = await startSyslogNg(
      dir,
      `@version: 3.38
# keep-hostname: a relay keeps the host named in each message; frac-digits: milliseconds in stamps.
options { keep-hostname(yes); frac-digits(3); stats-freq(0); };
source s_relay { file("${files.bsd}" follow-freq(0.1)); };
source s_5424 { file("${files.rfc5424}" follow-freq(0.1) flags(syslog-protocol)); };
source s_local { unix-stream("${files.sock}"); };
destination d_vigil { ${tlsDestination(v.syslog.tls!, join(cfgDir, 'cert.pem'))}; };
log { source(s_relay); source(s_5424); source(s_local); destination(d_vigil); };
`,
      [files.sock],
    );
  });

  after(async () => {
    try {
      await sng?.stop();
    } finally {
      unreapVigil?.();
      await v?.stop();
      if (cfgDir) rmSync(cfgDir, { recursive: true, force: true });
    }
  });

  test('300 RFC 3164 lines from other hosts, appended to a followed file: each once, host/program/pid/priority/time kept', async () => {
    const word = uniqueWord('sngrelay');
    const n = 300;
    const base = Math.floor(Date.now() / 1000) * 1000 - 120_000; // two minutes ago, whole seconds
    const lines: string[] = [];
    const expected: Array<{ host: string; program: string; pid: number; fac: number; sev: number; ts: number; msg: string }> = [];
    for (let i = 0; i < n; i++) {
      const x = { host: `sng-host${i % 5}`, program: `app${i % 3}`, pid: 1000 + i, fac: [4, 10, 16, 23][i % 4]!, sev: i % 8, ts: base + (i % 90) * 1000, msg: `${word} seq=${i} user=u${i} ${'p'.repeat(i % 200)}` };
      expected.push(x);
      lines.push(`<${x.fac * 8 + x.sev}>${bsdLocal(x.ts)} ${x.host} ${x.program}[${x.pid}]: ${x.msg}`);
    }
    const t0 = Date.now();
    // Three appends while syslog-ng follows the file, as a log writer would.
    for (const part of [lines.slice(0, 100), lines.slice(100, 220), lines.slice(220)]) {
      appendFileSync(files.bsd, part.join('\n') + '\n');
      await sleep(100);
    }
    const hits = await exactly(v!, READ, word, n, 60_000);
    console.log(`${n} messages file → syslog-ng → TLS → searchable in Vigil: ${Date.now() - t0} ms (including a 1.5 s settle)`);
    const got = bySeq(hits, n);
    const sequenceIds = new Set<string>();
    for (let i = 0; i < n; i++) {
      const e = got.get(i);
      const x = expected[i]!;
      const where = String(e.event.original).slice(0, 160);
      checkTransport(e);
      sequenceIds.add(e.log.syslog.structured_data.meta.sequenceId);
      assert.equal(e.host.name, x.host, where);
      assert.equal(e.process.name, x.program, where);
      assert.equal(e.process.pid, x.pid, where);
      assert.equal(e.log.syslog.facility.code, x.fac, where);
      assert.equal(e.log.syslog.severity.code, x.sev, where);
      assert.equal(e.message, x.msg, where);
      assert.match(e.event.original, /^<\d+>1 \S+\+05:30 /, `syslog-ng stamps in its own zone: ${where}`);
      assert.equal(Date.parse(e['@timestamp']), x.ts, `@timestamp ${e['@timestamp']} is not ${new Date(x.ts).toISOString()}: ${where}`);
      assert.ok(e['@timestamp'].endsWith('Z'), e['@timestamp']);
    }
    assert.equal(sequenceIds.size, n, 'syslog-ng sent each message once (distinct sequenceIds)');
  });

  test('200 messages from local programs on a unix-stream socket (two writers): syslog-ng\'s host, program[pid], time', async () => {
    const word = uniqueWord('snglocal');
    const n = 200;
    const base = Math.floor(Date.now() / 1000) * 1000 - 30_000;
    // As programs write to /dev/log: no host name in the line; syslog-ng fills in its own.
    const lines = Array.from({ length: n }, (_, i) => `<${10 * 8 + (i % 8)}>${bsdLocal(base + (i % 20) * 1000)} sudo[${2000 + i}]: ${word} seq=${i} pam_unix(sudo:session): session opened for user root`);
    const t0 = Date.now();
    await Promise.all([sendUnix(files.sock, lines.slice(0, n / 2)), sendUnix(files.sock, lines.slice(n / 2))]);
    const hits = await exactly(v!, READ, word, n, 60_000);
    console.log(`${n} messages unix-stream → syslog-ng → TLS → searchable in Vigil: ${Date.now() - t0} ms (including a 1.5 s settle)`);
    const got = bySeq(hits, n);
    for (let i = 0; i < n; i++) {
      const e = got.get(i);
      const where = String(e.event.original).slice(0, 160);
      checkTransport(e);
      assert.equal(e.host.name, LOCAL_HOST, where);
      assert.equal(e.process.name, 'sudo', where);
      assert.equal(e.process.pid, 2000 + i, where);
      assert.equal(e.log.syslog.facility.code, 10, where);
      assert.equal(e.log.syslog.facility.name, 'authpriv', where);
      assert.equal(e.log.syslog.severity.code, i % 8, where);
      assert.equal(Date.parse(e['@timestamp']), base + (i % 20) * 1000, where);
      assert.equal(e.message, `${word} seq=${i} pam_unix(sudo:session): session opened for user root`, where);
    }
  });

  test('a local message without a stamp is stamped by syslog-ng when it arrives', async () => {
    const word = uniqueWord('sngnostamp');
    const t0 = Date.now();
    await sendUnix(files.sock, [`<86>cron[77]: ${word} no stamp`]);
    const [e] = await exactly(v!, READ, word, 1);
    const t1 = Date.now();
    checkTransport(e);
    assert.equal(e.host.name, LOCAL_HOST);
    assert.equal(e.process.name, 'cron');
    assert.equal(e.process.pid, 77);
    assertTimeBetween(e['@timestamp'], t0, t1, 1000);
  });

  test('RFC 5424 input (flags(syslog-protocol)): msgid, structured data, milliseconds, UTC and a 6 KiB message pass through', async () => {
    const word = uniqueWord('sng5424');
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000 + 123;
    const long = `${word} long ` + 'q'.repeat(6000);
    appendFileSync(
      files.rfc5424,
      [
        `<165>1 ${new Date(at).toISOString()} web01 myapp 77 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] ${word} 5424 ünïcödé`,
        `<38>1 ${new Date(at + 1000).toISOString()} bastion1 sshd 4242 - - ${long}`,
      ].join('\n') + '\n',
    );
    const hits = await exactly(v!, READ, word, 2);
    const sd = hits.find((h) => h.host?.name === 'web01');
    const big = hits.find((h) => h.host?.name === 'bastion1');
    assert.ok(sd && big, JSON.stringify(hits.map((h) => String(h.event.original).slice(0, 160))));
    for (const e of hits) checkTransport(e);
    assert.equal(sd.process.name, 'myapp');
    assert.equal(sd.process.pid, 77);
    assert.equal(sd.log.syslog.msgid, 'ID47');
    assert.equal(sd.log.syslog.facility.code, 20);
    assert.equal(sd.log.syslog.severity.code, 5);
    assert.deepEqual(sd.log.syslog.structured_data['exampleSDID@32473'], { iut: '3', eventSource: 'Application' });
    assert.deepEqual(Object.keys(sd.log.syslog.structured_data).sort(), ['exampleSDID@32473', 'meta']);
    assert.equal(sd.message, `${word} 5424 ünïcödé`);
    assert.equal(Date.parse(sd['@timestamp']), at, `${sd['@timestamp']} is not ${new Date(at).toISOString()}`);
    assert.equal(big.process.name, 'sshd');
    assert.equal(big.message, long, 'the 6 KiB message arrives whole');
    assert.equal(Date.parse(big['@timestamp']), at + 1000);
  });

  test('TLS is verified: a syslog-ng that does not trust Vigil\'s certificate delivers nothing', async () => {
    const word = uniqueWord('sngbadca');
    const dir = tempDir('vigil-syslog-ng-badca-');
    const other = makeCert(dir); // another self-signed certificate: not the one Vigil presents
    const sock = join(dir, 'app.sock');
    const bad = await startSyslogNg(
      dir,
      `@version: 3.38
options { stats-freq(0); };
source s_local { unix-stream("${sock}"); };
destination d_vigil { ${tlsDestination(v!.syslog.tls!, other.cert)}; };
log { source(s_local); destination(d_vigil); };
`,
      [sock],
    );
    try {
      await sendUnix(sock, [`<14>app[1]: ${word} must not arrive`]);
      const deadline = Date.now() + 15_000;
      while (!bad.stderr().includes('certificate verify failed')) {
        if (Date.now() > deadline) throw new Error(`syslog-ng did not report a failed certificate check:\n${bad.stderr()}`);
        await sleep(100);
      }
      assert.match(bad.stderr(), /Certificate validation failed; subject='CN=localhost'/);
      await exactly(v!, READ, word, 0);
    } finally {
      await bad.stop();
    }
  });
});
