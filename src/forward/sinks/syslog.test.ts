// The syslog output against real receivers on this host: a TCP and a TLS server (a self-signed
// certificate made by openssl) that split RFC 6587 octet-counted frames themselves, and a UDP socket.
// Exact bytes: header fields, octet counts in bytes, SD escaping, MSG as received.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/log.js';
import { makeCert } from '../../../test/helpers/tenants.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { syslogSink } from './syslog.js';
import { rfc5424 } from './syslog-format.js';
import { sdEscape } from '../../wire/syslog.js';

const log = createLogger('silent');
const sinks: Sink[] = [];
after(async () => {
  for (const s of sinks) await s.close();
});

function sink(opts: Record<string, unknown>): Sink {
  const s = syslogSink.create(syslogSink.options.parse(opts), { name: 't', log });
  sinks.push(s);
  return s;
}

/** A stream receiver: every octet-counted frame it got, per connection, parsed independently. */
class Receiver {
  frames: Buffer[] = [];
  connections = 0;
  sockets = new Set<net.Socket>();
  port = 0;
  constructor(readonly server: net.Server) {
    server.on(server instanceof tls.Server ? 'secureConnection' : 'connection', (sock: net.Socket) => {
      this.connections++;
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', () => undefined);
      let buf = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const sp = buf.indexOf(0x20);
          if (sp < 0) break;
          const len = Number(buf.subarray(0, sp).toString('ascii'));
          assert.ok(Number.isInteger(len) && len > 0, `bad octet count "${buf.subarray(0, sp).toString()}"`);
          if (buf.length < sp + 1 + len) break;
          this.frames.push(buf.subarray(sp + 1, sp + 1 + len));
          buf = buf.subarray(sp + 1 + len);
        }
      });
    });
  }
  async listen(port = 0): Promise<this> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }
  async until(n: number): Promise<string[]> {
    const end = Date.now() + 5000;
    while (this.frames.length < n) {
      if (Date.now() > end) throw new Error(`got ${this.frames.length} frames, expected ${n}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.frames.map((f) => f.toString('utf8'));
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const ev = (id: string, doc: OutEvent['doc'], tenant = 'acme'): OutEvent => ({ tenant, id, doc });

const SSHD_LINE = '<38>May  1 10:20:30 web01 sshd[4242]: Accepted publickey for ünïcödé from 10.1.2.3';
const SSHD = ev('4398046511105', {
  '@timestamp': '2024-05-01T10:20:30.456Z',
  host: { name: 'web01' },
  process: { name: 'sshd', pid: 4242 },
  log: { syslog: { priority: 38 } },
  event: { dataset: 'sshd', original: SSHD_LINE },
  message: 'Accepted publickey for ünïcödé from 10.1.2.3',
});

test('TCP: one octet-counted RFC 5424 frame per event, counted in bytes, header from the event', async () => {
  const rx = await new Receiver(net.createServer()).listen();
  const s = sink({ url: `tcp://127.0.0.1:${rx.port}` });
  const multiline = ev('7', { '@timestamp': '2024-05-01T10:20:31Z', event: { original: 'line one\nline two\n' } });
  await s.send([SSHD, multiline]);
  const [a, b] = await rx.until(2);
  // An event that arrived as syslog sends what followed its header: this header carries the rest.
  assert.equal(a, `<38>1 2024-05-01T10:20:30.456Z web01 sshd 4242 - [vigil@32473 tenant="acme" id="4398046511105" dataset="sshd"] ${SSHD.doc.message as string}`);
  // (The line has multi-byte characters: a count in characters would have cut this frame short.)
  // Octet counting carries an embedded LF unharmed; no dataset, no PROCID: left out / "-".
  assert.equal(b, '<13>1 2024-05-01T10:20:31.000Z - vigil - - [vigil@32473 tenant="acme" id="7"] line one\nline two\n');
  assert.equal(rx.connections, 1);
  await rx.close();
});

test('SD-PARAM values escape ", \\ and ]; header fields become printable ASCII without spaces', async () => {
  assert.equal(sdEscape('a"b\\c]d[e'), 'a\\"b\\\\c\\]d[e');
  const e = ev('9', {
    '@timestamp': '2024-05-01T00:00:00Z',
    host: { name: 'bad host\tname' },
    log: { syslog: { appname: 'my app', facility: { code: 4 }, severity: { code: 2 } } },
    event: { dataset: 'x"y\\z]w', original: 'hello' },
  });
  assert.equal(rfc5424(e, 'original').toString(), '<34>1 2024-05-01T00:00:00.000Z bad_host_name my_app - - [vigil@32473 tenant="acme" id="9" dataset="x\\"y\\\\z\\]w"] hello');
  // Priority: log.syslog.priority wins; a severity alone takes facility user; observer names the host.
  const sevOnly = ev('1', { '@timestamp': 0, observer: { name: 'fw1' }, log: { syslog: { severity: { code: 3 } } }, event: { original: 'x' } });
  assert.match(rfc5424(sevOnly, 'original').toString(), /^<11>1 1970-01-01T00:00:00.000Z fw1 vigil /);
  // APP-NAME is cut to 48 characters.
  const long = ev('2', { process: { name: 'p'.repeat(60) }, event: { original: 'x' } });
  assert.equal(rfc5424(long, 'original').toString().split(' ')[3], 'p'.repeat(48));
});

test('format json: MSG is the ECS document with vigil.tenant and vigil.id; without event.original too', async () => {
  const rx = await new Receiver(net.createServer()).listen();
  const s = sink({ url: `tcp://127.0.0.1:${rx.port}`, format: 'json' });
  const noOriginal = ev('3', { '@timestamp': '2024-05-01T00:00:00Z', message: 'redacted upstream' });
  await s.send([SSHD]);
  const s2 = sink({ url: `tcp://127.0.0.1:${rx.port}` });
  await s2.send([noOriginal]);
  const [a, b] = await rx.until(2);
  const msgOf = (f: string) => JSON.parse(f.slice(f.indexOf('] ') + 2));
  assert.deepEqual(msgOf(a!), { ...SSHD.doc, vigil: { tenant: 'acme', id: '4398046511105' } });
  // format original, but a transform dropped event.original: the document goes instead.
  assert.deepEqual(msgOf(b!), { ...noOriginal.doc, vigil: { tenant: 'acme', id: '3' } });
  await rx.close();
});

test('event.original kept as latin1 (bytes that were not UTF-8) is sent as the original bytes', async () => {
  const rx = await new Receiver(net.createServer()).listen();
  const s = sink({ url: `tcp://127.0.0.1:${rx.port}` });
  await s.send([ev('5', { '@timestamp': '2024-05-01T00:00:00Z', event: { original: 'caf\u00e9 \u00ff' }, vigil: { parse: { encoding: 'latin1' } } })]);
  await rx.until(1);
  const f = rx.frames[0]!;
  assert.deepEqual([...f.subarray(f.length - 6)], [0x63, 0x61, 0x66, 0xe9, 0x20, 0xff]);
  await rx.close();
});

test('a dropped connection is noticed and replaced; a dead peer is a retryable SinkError', async () => {
  const rx = await new Receiver(net.createServer()).listen();
  const s = sink({ url: `tcp://127.0.0.1:${rx.port}`, timeout_ms: 1000 });
  await s.send([ev('1', { event: { original: 'one' } })]);
  await rx.until(1);
  for (const sock of rx.sockets) sock.destroy();
  await new Promise((r) => setTimeout(r, 100));
  await s.send([ev('2', { event: { original: 'two' } })]);
  await rx.until(2);
  assert.equal(rx.connections, 2, 'a new connection after the peer closed the first');
  const port = rx.port;
  await rx.close();
  await new Promise((r) => setTimeout(r, 50));
  const err = await s.send([ev('3', { event: { original: 'three' } })]).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof SinkError, String(err));
  assert.match(err.message, /ECONNREFUSED/);
  assert.equal(err.opts.permanent, undefined);
  // The peer is back on the same port: the next send connects again.
  const rx2 = await new Receiver(net.createServer()).listen(port);
  await s.send([ev('3', { event: { original: 'three' } })]);
  assert.match((await rx2.until(1))[0]!, /\] three$/);
  await rx2.close();
});

test('a peer that stops reading: the write does not complete in time and the send fails', async () => {
  const server = net.createServer({ pauseOnConnect: true });
  const held: net.Socket[] = [];
  server.on('connection', (sock) => held.push(sock.on('error', () => undefined)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const s = sink({ url: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, timeout_ms: 300 });
  const big = 'x'.repeat(256 * 1024);
  const batch = Array.from({ length: 160 }, (_, i) => ev(String(i), { event: { original: big } }));
  const started = Date.now();
  await assert.rejects(s.send(batch), (e: unknown) => e instanceof SinkError && /not written within 300 ms/.test(e.message));
  assert.ok(Date.now() - started < 5000);
  for (const h of held) h.destroy();
  server.close();
});

test('TLS (RFC 5425): verified against the configured CA, same framing; an unknown CA fails retryably', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-syslog-tls-'));
  const { cert, key } = makeCert(dir);
  const rx = await new Receiver(tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) })).listen();
  const s = sink({ url: `tls://localhost:${rx.port}`, tls: { ca: cert } });
  await s.send([SSHD]);
  const [a] = await rx.until(1);
  assert.match(a!, /^<38>1 2024-05-01T10:20:30.456Z web01 sshd 4242 - \[vigil@32473 tenant="acme" id="4398046511105" dataset="sshd"\] Accepted publickey/);
  // The CA inline as PEM text works the same.
  const inline = sink({ url: `tls://127.0.0.1:${rx.port}`, tls: { ca: readFileSync(cert, 'utf8') } });
  await inline.send([SSHD]);
  await rx.until(2);
  const untrusted = sink({ url: `tls://127.0.0.1:${rx.port}` });
  await assert.rejects(untrusted.send([SSHD]), (e: unknown) => e instanceof SinkError && !e.opts.permanent && /SELF_SIGNED|self.signed/i.test(e.message));
  assert.throws(() => sink({ url: `tls://127.0.0.1:${rx.port}`, tls: { ca: join(dir, 'missing.pem') } }), /tls\.ca: cannot read .*missing\.pem \(ENOENT\)/);
  await rx.close();
});

test('UDP: one datagram per event; a longer one is cut at max_datagram_bytes on a character boundary', async () => {
  const rx = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  rx.on('message', (m) => got.push(m));
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const s = sink({ url: `udp://127.0.0.1:${rx.address().port}`, max_datagram_bytes: 600 });
  const long = ev('8', { '@timestamp': '2024-05-01T00:00:00Z', event: { original: 'é'.repeat(1000) } });
  await s.send([SSHD, long]);
  const end = Date.now() + 5000;
  while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  assert.equal(got[0]!.toString(), rfc5424(SSHD, 'original').toString());
  assert.ok(got[1]!.length <= 600 && got[1]!.length >= 599, `datagram of ${got[1]!.length} bytes`);
  assert.doesNotMatch(got[1]!.toString('utf8'), /\ufffd/, 'no split character');
  rx.close();
});

test('options: strict, with defaults; the keys the forward stage owns are not accepted here', () => {
  const o = syslogSink.options.parse({ url: 'tcp://127.0.0.1:6000' });
  assert.deepEqual(o, { url: 'tcp://127.0.0.1:6000', format: 'original', timeout_ms: 10_000, max_datagram_bytes: 8192 });
  assert.ok(syslogSink.options.safeParse({ url: 'tcp://[::1]:6000' }).success);
  for (const bad of [{ url: 'http://x:1' }, { url: 'tcp://x' }, { url: 'tcp://x:1', tls: { ca: 'a' } }, { url: 'tcp://x:1', tenants: ['acme'] }, { url: 'tcp://x:1', colour: 1 }]) {
    assert.equal(syslogSink.options.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
