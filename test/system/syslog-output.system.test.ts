// Vigil's syslog output delivering to a real rsyslogd, as a SOC's syslog collector would receive it:
// a private rsyslogd (its own config, work directory and pid file) with an imtcp input for RFC 6587
// octet-counted TCP and one for TLS (RFC 5425, rsyslog's gtls driver from rsyslog-gnutls), each
// writing every message to its own file with omfile: the raw message as received, and the structured
// data as rsyslog's mmpstrucdata parsed it (so SD escaping is checked by a real parser).
//   1. the sink sends 500 events over TCP, rsyslog is restarted halfway (the sink reconnects), and
//      every event arrives exactly once with its SD intact;
//   2. the same 500 over TLS, verified against the test's CA;
//   3. end to end: a Vigil process with an `outputs:` syslog entry forwards what its syslog input got.
// Needs rsyslogd and rsyslog-gnutls; scripts/system-setup.sh installs them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { startVigil, tempDir, writeConfig, type VigilProcess } from '../helpers/server.js';
import { makeCert } from '../helpers/tenants.js';
import { run, sleep, uniqueWord, reapWithProcess, spawnDaemon, waitForDaemon, portInFile, type Daemon } from './util.js';
import { createLogger } from '../../src/core/log.js';
import { SinkError, type OutEvent, type Sink } from '../../src/forward/sink.js';
import { syslogSink } from '../../src/forward/sinks/syslog.js';
import { rfc5424 } from '../../src/forward/sinks/syslog-format.js';

const log = createLogger('silent');
const PATHS = ['tcp', 'tls'] as const;
type Path = (typeof PATHS)[number];

function rsyslogConf(dir: string, cert: { cert: string; key: string }, ports: Record<Path, number>): string {
  // One line per message: input, the SD as mmpstrucdata parsed it (JSON), the raw message. rsyslog
  // escapes control characters on receipt, so a line is a message.
  return `
global(workDirectory="${dir}/work" maxMessageSize="64k"
       defaultNetstreamDriverCAFile="${cert.cert}" defaultNetstreamDriverCertFile="${cert.cert}" defaultNetstreamDriverKeyFile="${cert.key}")
module(load="imtcp")
module(load="mmpstrucdata")
input(type="imtcp" address="127.0.0.1" port="${ports.tcp}" listenPortFileName="${dir}/port-tcp" ruleset="tcp" supportOctetCountedFraming="on")
input(type="imtcp" address="127.0.0.1" port="${ports.tls}" listenPortFileName="${dir}/port-tls" ruleset="tls" supportOctetCountedFraming="on"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
template(name="sdraw" type="list") {
  property(name="$!") constant(value="\\t")
  property(name="rawmsg") constant(value="\\n")
}
ruleset(name="tcp") {
  action(type="mmpstrucdata")
  action(type="omfile" file="${dir}/out-tcp.log" template="sdraw")
}
ruleset(name="tls") {
  action(type="mmpstrucdata")
  action(type="omfile" file="${dir}/out-tls.log" template="sdraw")
}
`;
}

interface Rsyslog {
  dir: string;
  ports: Record<Path, number>;
  cert: { cert: string; key: string };
  received(path: Path): { sd: any; raw: string }[];
  /** Stops rsyslogd and starts it again on the same ports and files. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether something accepts TCP connections on the port (the connection is closed at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

async function startRsyslog(): Promise<Rsyslog> {
  const dir = tempDir('vigil-rsyslog-out-');
  mkdirSync(join(dir, 'work'));
  const cert = makeCert(dir);
  const conf = join(dir, 'rsyslog.conf');
  let ports: Record<Path, number> = { tcp: 0, tls: 0 };
  let daemon: Daemon | null = null;

  async function start(): Promise<void> {
    for (const p of PATHS) rmSync(join(dir, `port-${p}`), { force: true });
    writeFileSync(conf, rsyslogConf(dir, cert, ports));
    await run('rsyslogd', ['-N1', '-f', conf], { timeoutMs: 15_000 });
    const d = (daemon = spawnDaemon('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')]));
    const found = {} as Record<Path, number>;
    for (const p of PATHS) {
      // rsyslog writes listenPortFileName only for port 0; on a restart the ports are known.
      const known = ports[p];
      found[p] = await waitForDaemon(d, 'rsyslogd', `listen on its ${p} port`, async () => portInFile(join(dir, `port-${p}`)) ?? (known && (await accepts(known)) ? known : undefined));
    }
    ports = found;
  }

  async function halt(): Promise<void> {
    const d = daemon;
    daemon = null;
    await d?.halt();
  }

  await start();
  return {
    dir,
    cert,
    get ports() {
      return ports;
    },
    received(path) {
      const file = join(dir, `out-${path}.log`);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const tab = line.indexOf('\t');
          return { sd: JSON.parse(line.slice(0, tab)), raw: line.slice(tab + 1) };
        });
    },
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** 500 events with a search word, SD characters that need escaping, and varied hosts and programs. */
function events(word: string, n = 500): OutEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    tenant: i % 2 ? 'acme' : 'globex',
    id: String(4398046511104 + i),
    doc: {
      '@timestamp': new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)).toISOString(),
      host: { name: `host${i % 7}` },
      process: { name: 'app', pid: 1000 + i },
      log: { syslog: { facility: { code: 16 + (i % 8) }, severity: { code: i % 8 } } },
      event: { dataset: i % 5 === 0 ? `odd"set\\${i}]` : 'app.log', original: `${word} seq=${i} "quoted" ] back\\slash ünïcödé` },
    },
  }));
}

/** Sends in batches as the forward stage does: a batch that fails is sent again after a pause. */
async function deliver(sink: Sink, evs: OutEvent[], batch: number, between?: (sent: number) => Promise<void>): Promise<number> {
  let failures = 0;
  for (let i = 0; i < evs.length; i += batch) {
    await between?.(i);
    for (let attempt = 0; ; attempt++) {
      try {
        await sink.send(evs.slice(i, i + batch));
        break;
      } catch (e) {
        assert.ok(e instanceof SinkError, String(e));
        assert.ok(attempt < 50, `still failing: ${e.message}`);
        failures++;
        await sleep(100);
      }
    }
  }
  return failures;
}

async function waitFor(rs: Rsyslog, path: Path, word: string, n: number): Promise<{ sd: any; raw: string }[]> {
  const mine = () => rs.received(path).filter((r) => r.raw.includes(word));
  const deadline = Date.now() + 30_000;
  while (mine().length < n) {
    if (Date.now() > deadline) throw new Error(`rsyslog wrote ${mine().length} of ${n} messages to out-${path}.log`);
    await sleep(100);
  }
  await sleep(1000); // nothing more (no duplicates) arrives late
  return mine();
}

/** Each event exactly once, its raw message byte for byte what the output wrote, its SD as parsed. */
function checkExactlyOnce(got: { sd: any; raw: string }[], evs: OutEvent[]): void {
  assert.equal(got.length, evs.length, 'every event exactly once');
  const byId = new Map<string, { sd: any; raw: string }>();
  for (const g of got) {
    const sd = g.sd['rfc5424-sd']?.['vigil@32473'];
    assert.ok(sd, `no vigil@32473 SD in ${g.raw.slice(0, 200)}`);
    assert.ok(!byId.has(sd.id), `event ${sd.id} arrived twice`);
    byId.set(sd.id, { sd, raw: g.raw });
  }
  for (const e of evs) {
    const g = byId.get(e.id);
    assert.ok(g, `event ${e.id} never arrived`);
    assert.deepEqual(g.sd, { tenant: e.tenant, id: e.id, dataset: (e.doc.event as { dataset: string }).dataset });
    assert.equal(g.raw, rfc5424(e, 'original').toString('utf8'));
  }
}

describe('the syslog output into a real rsyslogd', { timeout: 180_000 }, () => {
  let rs: Rsyslog | undefined;
  const sinks: Sink[] = [];

  before(async () => {
    const version = (await run('rsyslogd', ['-v'])).stdout.split('\n')[0]!.replace(/\s*compiled with:$/, '');
    console.log(`using ${version}`);
    rs = await startRsyslog();
  });

  after(async () => {
    for (const s of sinks) await s.close().catch(() => undefined);
    await rs?.stop();
  });

  const sink = (o: Record<string, unknown>) => {
    const s = syslogSink.create(syslogSink.options.parse(o), { name: 'rsyslog', log });
    sinks.push(s);
    return s;
  };

  test('500 events over TCP with octet counting, rsyslog restarted halfway: each exactly once, SD intact', async () => {
    const word = uniqueWord('sotcp');
    const evs = events(word);
    const s = sink({ url: `tcp://127.0.0.1:${rs!.ports.tcp}`, timeout_ms: 2000 });
    const failures = await deliver(s, evs, 50, async (sent) => {
      if (sent !== 250) return;
      // Between batches, as an idle output would be: the sink sees the close and connects again.
      await waitFor(rs!, 'tcp', word, 250);
      await rs!.restart();
    });
    console.log(`sends that failed and were retried across the restart: ${failures}`);
    checkExactlyOnce(await waitFor(rs!, 'tcp', word, 500), evs);
  });

  test('500 events over TLS (RFC 5425), the peer verified against its CA: each exactly once, SD intact', async () => {
    const word = uniqueWord('sotls');
    const evs = events(word);
    const s = sink({ url: `tls://localhost:${rs!.ports.tls}`, tls: { ca: rs!.cert.cert } });
    await deliver(s, evs, 100);
    checkExactlyOnce(await waitFor(rs!, 'tls', word, 500), evs);
  });

  test('end to end: Vigil forwards what its syslog input receives to rsyslog, per its outputs config', async () => {
    const word = uniqueWord('soe2e');
    const cfg = writeConfig(`http:
  listen: 127.0.0.1:0
syslog:
  - { protocol: tcp, listen: 127.0.0.1:0, tenant: acme }
tenants:
  - name: acme
    tokens:
      - { secret: "acme-read-0123456789ab", scope: read }
outputs:
  - name: soc
    type: syslog
    url: tcp://127.0.0.1:${rs!.ports.tcp}
    tenants: [acme]
    batch: { max_events: 100, max_wait: 1s }
`);
    let v: VigilProcess | undefined;
    let unreap = () => undefined as void;
    try {
      v = await startVigil({ configPath: cfg.path });
      unreap = reapWithProcess(v.child);
      const n = 200;
      const lines = Array.from({ length: n }, (_, i) => `<134>May  1 10:00:00 web${i % 3} sshd[${i}]: ${word} seq=${i} Accepted password for alice`);
      await new Promise<void>((resolve, reject) => {
        const c = net.connect(v!.syslog.tcp!, '127.0.0.1', () => c.end(lines.map((l) => l + '\n').join('')));
        c.on('close', () => resolve());
        c.on('error', reject);
      });
      const got = await waitFor(rs!, 'tcp', word, n);
      assert.equal(got.length, n);
      const seqs = got.map((g) => Number(/seq=(\d+)/.exec(g.raw)![1])).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i));
      for (const g of got) {
        const i = Number(/seq=(\d+)/.exec(g.raw)![1]);
        const sd = g.sd['rfc5424-sd']['vigil@32473'];
        assert.equal(sd.tenant, 'acme');
        assert.match(sd.id, /^\d+$/);
        // The header from the parsed event; the MSG what followed the line's own header, byte for byte
        // (a header nested inside another would reach rsyslog as message text).
        assert.match(g.raw, new RegExp(`^<134>1 \\d{4}-05-01T10:00:00\\.000Z web${i % 3} sshd ${i} - \\[vigil@32473 `));
        assert.ok(g.raw.endsWith(`] ${lines[i]!.slice(lines[i]!.indexOf(': ') + 2)}`), g.raw);
      }
    } finally {
      unreap();
      await v?.stop();
    }
  });
});
