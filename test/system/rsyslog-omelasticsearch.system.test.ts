// rsyslog's HTTP path to Vigil: omelasticsearch (Debian package rsyslog-elasticsearch; bookworm's
// rsyslog has no omhttp) in bulk mode against Vigil's Elasticsearch-compatible `_bulk`, with the ingest
// token as the Basic-auth password. A private rsyslogd (run as rsyslog.system.test.ts runs it) reads
// lines on imtcp inputs and turns each into a JSON document: ECS-named fields plus `message`, the line as
// rsyslog's default file format (RSYSLOG_FileFormat) writes it to /var/log/auth.log, so that Vigil
// re-reads it through its line parsers (an sshd line becomes an sshd event).
//
// What rsyslog 8.2302's omelasticsearch does (read from its behaviour here and its source):
//   - no start-up probe: no GET /, no version check (the probe came in 8.2510.0); esVersion.major is
//     only a config value (< 8: the index defaults to "system" and writeoperation="create" needs bulkid);
//   - POST /_bulk, Content-Type application/json, Basic auth from uid/pwd; each action line is
//     {"index":{"_index": "<searchIndex>","_type":"events"}} unless searchType="" drops the _type;
//   - a transport failure suspends the action; it then probes GET /_cat/health and resumes on any HTTP
//     answer (only curl's own result counts), and resends the batch;
//   - a whole-request error with a JSON body (401, 429…) is not retried: the batch goes to errorfile.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import http from 'node:http';
import { startVigil, tempDir, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { run, uniqueWord, exactly, sleep, reapWithProcess, spawnDaemon, waitForDaemon, portInFile, sendLines, bsd } from './util.js';

const READ = TOKENS.acme.read;
const INDEX = 'rsyslog-test';
const PATHS = ['direct', 'flaky'] as const;
type Path = (typeof PATHS)[number];

/**
 * The JSON document rsyslog sends per message. option.json escapes every property value for JSON;
 * the constants are the document's skeleton. `message` is RSYSLOG_FileFormat without its final LF.
 */
const TEMPLATE = String.raw`template(name="vigil-json" type="list" option.json="on") {
  constant(value="{\"@timestamp\":\"")                        property(name="timereported" dateFormat="rfc3339")
  constant(value="\",\"host\":{\"name\":\"")                  property(name="hostname")
  constant(value="\"},\"process\":{\"name\":\"")              property(name="programname")
  constant(value="\"},\"log\":{\"syslog\":{\"facility\":{\"name\":\"") property(name="syslogfacility-text")
  constant(value="\"},\"severity\":{\"name\":\"")             property(name="syslogseverity-text")
  constant(value="\"}}},\"message\":\"")
  property(name="timereported" dateFormat="rfc3339") constant(value=" ") property(name="hostname") constant(value=" ")
  property(name="syslogtag") property(name="msg" spifno1stsp="on") property(name="msg" droplastlf="on")
  constant(value="\"}")
}`;

/** One imtcp input and one omelasticsearch action per path: "direct" to Vigil, "flaky" through a proxy. */
function rsyslogConf(dir: string, ports: Record<Path, number>): string {
  const es = (p: Path) =>
    `action(type="omelasticsearch" server="127.0.0.1" serverport="${ports[p]}" searchIndex="${INDEX}" searchType=""
           template="vigil-json" bulkmode="on" uid="vigil" pwd="${TOKENS.acme.ingest}" errorfile="${dir}/es-errors-${p}.json"
           action.resumeRetryCount="-1" action.resumeInterval="1")`;
  return `
global(workDirectory="${dir}/work" localHostName="rsyslog-relay" maxMessageSize="64k")
module(load="imtcp")
module(load="omelasticsearch")
${TEMPLATE}
${PATHS.map((p) => `input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${dir}/port-${p}" ruleset="${p}")`).join('\n')}
${PATHS.map((p) => `ruleset(name="${p}") {\n  ${es(p)}\n}`).join('\n')}
`;
}

interface Rsyslog {
  ports: Record<Path, number>;
  errorFile(p: Path): string;
  stderr: () => string;
  stop(): Promise<void>;
}

async function startRsyslog(esPorts: Record<Path, number>): Promise<Rsyslog> {
  const dir = tempDir('vigil-rsyslog-es-');
  mkdirSync(join(dir, 'work'));
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, rsyslogConf(dir, esPorts));
  // Fail with rsyslog's own words when the config does not validate (unknown parameters included).
  await run('rsyslogd', ['-N1', '-f', conf], { timeoutMs: 15_000 });
  // -n: foreground (our child); -i: a private pid file. TZ=UTC: the BSD stamps the test sends carry no
  // zone, and rsyslog reads them in its local zone.
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
    return { ports, errorFile: (p) => join(dir, `es-errors-${p}.json`), stderr: d.output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * An HTTP proxy in front of Vigil that can play dead: while `refusing`, it reads each request and
 * closes the connection without an answer (curl: "Empty reply from server"). It records what it saw.
 */
interface Proxy {
  port: number;
  refusing: boolean;
  seen: { method: string; url: string; refused: boolean; status?: number }[];
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const up = new URL(target);
  const p: Proxy = { port: 0, refusing: true, seen: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Proxy['seen'][number] = { method: req.method ?? '', url: req.url ?? '', refused: p.refusing };
      p.seen.push(rec);
      if (p.refusing) return void req.socket.destroy();
      const fwd = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (ans) => {
        rec.status = ans.statusCode;
        res.writeHead(ans.statusCode ?? 502, ans.headers);
        ans.pipe(res);
      });
      fwd.on('error', () => req.socket.destroy());
      fwd.end(Buffer.concat(chunks));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  p.port = (server.address() as net.AddressInfo).port;
  p.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return p;
}

/** rsyslog's RFC 3339 rendering of a whole-second UTC instant, as RSYSLOG_FileFormat starts a line. */
const rfc3339 = (d: Date) => d.toISOString().replace('.000Z', '+00:00');

describe('rsyslog omelasticsearch → Vigil _bulk', { timeout: 120_000 }, () => {
  let v: VigilProcess | undefined;
  let rs: Rsyslog | undefined;
  let proxy: Proxy | undefined;
  let unreapVigil: (() => void) | undefined;

  before(async () => {
    const version = (await run('rsyslogd', ['-v'])).stdout.split('\n')[0]!.replace(/\s*compiled with:$/, '');
    console.log(`using ${version}`);
    v = await startVigil({ configPath: twoTenantConfig().path });
    unreapVigil = reapWithProcess(v.child);
    proxy = await startProxy(v.url);
    rs = await startRsyslog({ direct: Number(new URL(v.url).port), flaky: proxy.port });
  });

  after(async () => {
    try {
      await rs?.stop();
      await proxy?.close();
    } finally {
      unreapVigil?.();
      await v?.stop();
    }
  });

  /** The error file rsyslog writes a failed bulk request to: never created when every batch succeeded. */
  function assertNoEsErrors(p: Path): void {
    const file = rs!.errorFile(p);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    assert.equal(text, '', `omelasticsearch wrote to its errorfile:\n${text.slice(0, 3000)}\nrsyslogd:\n${rs!.stderr()}`);
  }

  test('sshd lines arrive as sshd events: the document\'s message re-read by the line parser', async () => {
    const word = uniqueWord('rses');
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const stamp = bsd(at);
    const sshd = [
      { host: 'bastion1', pid: 4242, ip: '203.0.113.7', port: 50001 },
      { host: 'bastion1', pid: 4243, ip: '203.0.113.8', port: 50002 },
      { host: 'bastion2', pid: 77, ip: '198.51.100.9', port: 50003 },
    ];
    const lines = sshd.map((s) => `<38>${stamp} ${s.host} sshd[${s.pid}]: Failed password for invalid user ${word} from ${s.ip} port ${s.port} ssh2`);
    // A line no parser knows, with what JSON must escape: it stays the generic JSON parser's event.
    const odd = `${word} quote " backslash \\ ünïcödé`;
    lines.push(`<134>${stamp} apphost myapp[9]: ${odd}`);
    await sendLines(rs!.ports.direct, lines);

    const hits = await exactly(v!, READ, word, lines.length);
    for (const s of sshd) {
      const e = hits.find((h) => h.source?.port === s.port);
      assert.ok(e, `no sshd event from port ${s.port}: ${JSON.stringify(hits.map((h) => h.event?.original))}`);
      const where = String(e.event?.original);
      assert.equal(e.vigil.parse.parser, 'sshd', where);
      assert.equal(e.vigil.parse.status, 'parsed', where);
      assert.equal(e.vigil.es.index, INDEX, where);
      assert.equal(e.vigil.input, 'elasticsearch', where);
      assert.equal(e.vigil.tenant, 'acme', where);
      assert.equal(e.user.name, word, where);
      assert.equal(e.source.ip, s.ip, where);
      assert.equal(e.event.outcome, 'failure', where);
      assert.equal(e.host.name, s.host, where);
      assert.equal(e.process.name, 'sshd', where);
      assert.equal(e.process.pid, s.pid, where);
      assert.equal(Date.parse(e['@timestamp']), at.getTime(), `@timestamp ${e['@timestamp']}; ${where}`);
      // Not an envelope: the original is the document rsyslog sent, whose message is the auth.log line.
      const doc = JSON.parse(e.event.original);
      assert.equal(doc.message, `${rfc3339(at)} ${s.host} sshd[${s.pid}]: Failed password for invalid user ${word} from ${s.ip} port ${s.port} ssh2`);
      assert.equal(doc['@timestamp'], rfc3339(at));
      assert.deepEqual(doc.host, { name: s.host });
      assert.deepEqual(doc.log, { syslog: { facility: { name: 'auth' }, severity: { name: 'info' } } });
    }

    const o = hits.find((h) => h.host?.name === 'apphost');
    assert.ok(o, 'no event from apphost');
    assert.equal(o.vigil.parse.parser, 'json');
    assert.equal(o.vigil.es.index, INDEX);
    assert.equal(o.message, `${rfc3339(at)} apphost myapp[9]: ${odd}`, 'JSON escaping survives the round trip');
    assert.equal(o.process.name, 'myapp');
    assert.equal(o.log.syslog.facility.name, 'local0');
    assert.equal(o.log.syslog.severity.name, 'info');
    assert.equal(Date.parse(o['@timestamp']), at.getTime());
    assertNoEsErrors('direct');
  });

  test('a burst of 500 messages: each arrives exactly once, in the named index', async () => {
    const word = uniqueWord('rsesburst');
    const n = 500;
    const stamp = bsd(new Date());
    const lines = Array.from({ length: n }, (_, i) => `<134>${stamp} burst${i % 7} app[${i}]: ${word} seq=${i} ${'z'.repeat(i % 200)}`);
    // Two senders at once, so rsyslog's batches mix them.
    await Promise.all([sendLines(rs!.ports.direct, lines.slice(0, n / 2)), sendLines(rs!.ports.direct, lines.slice(n / 2))]);
    const hits = await exactly(v!, READ, word, n, 60_000);
    const seqs = hits.map((h) => Number(/seq=(\d+)/.exec(h.message)?.[1])).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i));
    for (const e of hits) {
      const i = Number(/seq=(\d+)/.exec(e.message)![1]);
      assert.equal(e.host.name, `burst${i % 7}`);
      assert.equal(e.process.name, 'app');
      assert.equal(e.vigil.es.index, INDEX);
      assert.equal(e.vigil.input, 'elasticsearch');
      assert.equal(e.vigil.parse.parser, 'json');
      assert.ok(e.message.endsWith(`app[${i}]: ${word} seq=${i} ${'z'.repeat(i % 200)}`), e.message);
    }
    assertNoEsErrors('direct');
  });

  test('Vigil unreachable at first: rsyslog suspends, probes GET /_cat/health, resends; nothing lost or doubled', async () => {
    const word = uniqueWord('rsesresume');
    const n = 20;
    const stamp = bsd(new Date());
    const lines = Array.from({ length: n }, (_, i) => `<134>${stamp} flaky app: ${word} seq=${i}`);
    proxy!.refusing = true;
    await sendLines(rs!.ports.flaky, lines);
    // Refuse until rsyslog has failed a POST and at least one health check, then let it through.
    const deadline = Date.now() + 20_000;
    while (!proxy!.seen.some((s) => s.refused && s.url === '/_cat/health')) {
      if (Date.now() > deadline) throw new Error(`rsyslog made no health check: ${JSON.stringify(proxy!.seen)}\n${rs!.stderr()}`);
      await sleep(50);
    }
    assert.ok(proxy!.seen.some((s) => s.refused && s.method === 'POST' && s.url.startsWith('/_bulk')), JSON.stringify(proxy!.seen));
    proxy!.refusing = false;
    const hits = await exactly(v!, READ, word, n, 30_000);
    assert.deepEqual(hits.map((h) => Number(/seq=(\d+)/.exec(h.message)?.[1])).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    const probe = proxy!.seen.find((s) => !s.refused && s.url === '/_cat/health');
    assert.ok(probe, `the resuming health check: ${JSON.stringify(proxy!.seen)}`);
    // 8.2302 resumes on any HTTP answer to the probe; which one Vigil gave is shown, not required.
    console.log(`GET /_cat/health answered ${probe.status}; requests through the proxy: ${proxy!.seen.length}`);
    assert.match(rs!.stderr(), /omelasticsearch: we are suspending ourselfs due to server failure/);
    for (const e of hits) assert.equal(e.vigil.es.index, INDEX);
    assertNoEsErrors('flaky');
  });
});
