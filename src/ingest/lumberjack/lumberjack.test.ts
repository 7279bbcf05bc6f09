// The Beats (Lumberjack v2) input over real sockets and a real WAL, driven by a client written here as
// elastic/go-lumber's client/v2 writes frames: windows, JSON and compressed frames, acks (exact bytes,
// only after fsync, keep-alives meanwhile), and senders that break the protocol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Wal } from '../../queue/wal.js';
import { Intake } from '../../queue/intake.js';
import type { EntryMeta } from '../../queue/entry.js';
import { Metrics } from '../../core/metrics.js';
import { createLogger } from '../../core/log.js';
import type { TcpShipperServer } from '../tcp-shipper/server.js';
import { beatsServer } from './index.js';
import { makeCert } from '../../../test/helpers/tenants.js';
import { Peer, sleep } from '../tcp-shipper/test-peer.js';

const MAX_MESSAGE = 64 * 1024;
const MAX_RECORD = 4 * 1024;
const KEEPALIVE_MS = 100;

// --- the client side, as go-lumber's client/v2 writes it ------------------------------------------

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
const windowFrame = (n: number) => Buffer.concat([Buffer.from('2W'), u32(n)]);
const jsonFrame = (seq: number, payload: string | Buffer) => {
  const p = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  return Buffer.concat([Buffer.from('2J'), u32(seq), u32(p.length), p]);
};
const compressedFrame = (inner: Buffer) => {
  const z = deflateSync(inner);
  return Buffer.concat([Buffer.from('2C'), u32(z.length), z]);
};
const ack = (seq: number) => Buffer.concat([Buffer.from('2A'), u32(seq)]);
/** A window of events, JSON frames numbered 1..n as go-lumber numbers them. */
const batch = (events: object[]) => Buffer.concat([windowFrame(events.length), ...events.map((e, i) => jsonFrame(i + 1, JSON.stringify(e)))]);
const batchCompressed = (events: object[]) =>
  Buffer.concat([windowFrame(events.length), compressedFrame(Buffer.concat(events.map((e, i) => jsonFrame(i + 1, JSON.stringify(e)))))]);


// --- the server side, over a real WAL -------------------------------------------------------------

let wal: Wal;
let metrics: Metrics;
let server: TcpShipperServer;
let port: number;

before(async () => {
  wal = await Wal.open({ dir: mkdtempSync(join(tmpdir(), 'vigil-lj-')) });
  metrics = new Metrics();
  const intake = new Intake(wal, { maxPendingBytes: 1 << 30, maxLagBytes: 1 << 30 }, metrics, () => 0);
  server = beatsServer({ listen: '127.0.0.1:0', tenant: 'acme', maxMessageBytes: MAX_MESSAGE, maxRecordBytes: MAX_RECORD, keepaliveMs: KEEPALIVE_MS }, intake, metrics, createLogger('silent'));
  port = await server.start();
});

after(async () => {
  await server.stop();
  await wal.close();
});

interface Queued {
  meta: EntryMeta;
  text: string;
  doc: any;
}

/** Every record queued and fsync'd (the WAL reads only durable bytes) whose text holds `marker`. */
async function queuedWith(marker: string): Promise<Queued[]> {
  const out: Queued[] = [];
  let pos = 0;
  for (;;) {
    const r = await wal.read(pos, 1 << 20);
    if (r.next === pos) break;
    for (const e of r.entries) {
      for (const rec of e.entry.records) {
        const text = rec.toString('utf8');
        if (!text.includes(marker)) continue;
        let doc: any = null;
        try {
          doc = JSON.parse(text);
        } catch {
          /* kept as sent */
        }
        out.push({ meta: e.entry.meta, text, doc });
      }
    }
    pos = r.next;
  }
  return out;
}

async function rejected(reason: string): Promise<number> {
  const m = await metrics.rejected.get();
  return m.values.filter((v) => v.labels.reason === reason && v.labels.input === 'beats').reduce((n, v) => n + v.value, 0);
}

const FILEBEAT = (msg: string) => ({
  '@timestamp': '2024-05-01T10:00:01.123Z',
  '@metadata': { beat: 'filebeat', type: '_doc', version: '8.17.0' },
  message: msg,
  log: { file: { path: '/var/log/auth.log' }, offset: 1024 },
  input: { type: 'filestream' },
  host: { name: 'bastion1' },
  agent: { type: 'filebeat', version: '8.17.0' },
  ecs: { version: '8.0.0' },
});
const WINLOGBEAT = (marker: string) => ({
  '@timestamp': '2024-05-01T10:00:00.000Z',
  '@metadata': { beat: 'winlogbeat', type: '_doc', version: '8.17.0' },
  message: `An account failed to log on. ${marker}`,
  event: { code: '4625', provider: 'Microsoft-Windows-Security-Auditing', kind: 'event' },
  winlog: { channel: 'Security', record_id: 42, event_data: { TargetUserName: 'bob' } },
  host: { name: 'DC01' },
  agent: { type: 'winlogbeat', version: '8.17.0' },
});

// --- windows and frames ---------------------------------------------------------------------------

test('a window of JSON frames is acked once with its last sequence number: 2A + u32, byte for byte', async () => {
  const p = await Peer.connect(port);
  const events = [FILEBEAT('jframes one'), WINLOGBEAT('jframes two'), { '@timestamp': '2024-05-01T10:00:02Z', metricset: { name: 'cpu' }, note: 'jframes three' }];
  p.send(batch(events));
  assert.deepEqual(await p.bytes(6), ack(3));
  const q = await queuedWith('jframes');
  assert.equal(q.length, 3);
  for (const r of q) {
    assert.equal(r.meta.tenant, 'acme');
    assert.equal(r.meta.input, 'beats');
    assert.equal(r.meta.codec, 'json');
    assert.match(r.meta.peer!, /^127\.0\.0\.1:\d+$/);
    assert.equal(r.doc['@metadata'], undefined, '@metadata is transport metadata, dropped as Beats drop it for Elasticsearch');
  }
  // Filebeat's line: an envelope, so the process stage parses `message`.
  assert.equal(q[0]!.meta.envelope, true);
  assert.deepEqual(q[0]!.doc, (({ '@metadata': _m, ...rest }) => rest)(FILEBEAT('jframes one')));
  // Winlogbeat's structured event is read by the windows JSON parser as a whole: no envelope.
  assert.equal(q[1]!.meta.envelope, undefined);
  assert.equal(q[1]!.doc.winlog.event_data.TargetUserName, 'bob');
  // No message to parse: plain JSON, byte for byte as sent.
  assert.equal(q[2]!.meta.envelope, undefined);
  assert.equal(q[2]!.text, JSON.stringify(events[2]));
  await sleep(50);
  assert.equal(p.data.length, 6, 'one ack per window');
  p.end();
});

test('compressed frames (zlib), nested compression, and two windows pipelined: acks in window order', async () => {
  const p = await Peer.connect(port);
  p.send(batchCompressed([FILEBEAT('zlib one'), FILEBEAT('zlib two')]));
  // A compressed frame holding a JSON frame and another compressed frame.
  p.send(Buffer.concat([windowFrame(3), compressedFrame(Buffer.concat([jsonFrame(1, JSON.stringify(FILEBEAT('zlib three'))), compressedFrame(Buffer.concat([jsonFrame(2, JSON.stringify(FILEBEAT('zlib four'))), jsonFrame(3, JSON.stringify(FILEBEAT('zlib five')))]))]))]));
  assert.deepEqual(await p.bytes(12), Buffer.concat([ack(2), ack(3)]));
  assert.deepEqual((await queuedWith('zlib')).map((r) => r.doc.message), ['zlib one', 'zlib two', 'zlib three', 'zlib four', 'zlib five']);
  p.end();
});

test('frames split byte by byte, a window of 0 ignored, a window across a plain and a compressed frame', async () => {
  const p = await Peer.connect(port);
  const stream = Buffer.concat([windowFrame(0), windowFrame(3), jsonFrame(1, JSON.stringify(FILEBEAT('bytewise one'))), compressedFrame(Buffer.concat([jsonFrame(2, JSON.stringify(FILEBEAT('bytewise two'))), jsonFrame(3, JSON.stringify(FILEBEAT('bytewise three')))]))]);
  for (const byte of stream) p.send(Buffer.from([byte]));
  assert.deepEqual(await p.bytes(6), ack(3));
  assert.equal((await queuedWith('bytewise')).length, 3);
  p.end();
});

test('an event that is not JSON is kept as sent (stored malformed) and still acked; a long one is cut and flagged', async () => {
  const p = await Peer.connect(port);
  const long = FILEBEAT('longevent ' + 'z'.repeat(MAX_RECORD * 2));
  p.send(Buffer.concat([windowFrame(3), jsonFrame(1, '{"message":"notjson'), jsonFrame(2, '["notjson array"]'), jsonFrame(3, JSON.stringify(long))]));
  assert.deepEqual(await p.bytes(6), ack(3));
  const bad = await queuedWith('notjson');
  assert.deepEqual(bad.map((r) => [r.text, r.meta.codec]), [['{"message":"notjson', 'json'], ['["notjson array"]', 'text']]);
  const [cut] = await queuedWith('longevent');
  assert.ok(cut);
  assert.equal(cut.meta.truncated, true);
  assert.equal(cut.meta.envelope, true);
  assert.ok(cut.text.length <= MAX_RECORD);
  assert.ok(long.message.startsWith(cut.doc.message));
  assert.equal(cut.doc.log.file.path, '/var/log/auth.log');
  p.end();
});

// --- durability -----------------------------------------------------------------------------------

test('the ack waits for the fsync; keep-alive ACK 0 frames are sent while it waits', async () => {
  const fh = (wal as any).fh;
  const datasync = fh.datasync;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let syncing = 0;
  fh.datasync = async function () {
    syncing++;
    await gate;
    return datasync.call(fh);
  };
  try {
    const durableBefore = wal.durable;
    const p = await Peer.connect(port);
    p.send(batch([FILEBEAT('heldsync one'), FILEBEAT('heldsync two')]));
    const deadline = Date.now() + 5000;
    while (syncing === 0 && Date.now() < deadline) await sleep(5);
    assert.equal(syncing, 1, 'the window reached the WAL and its fsync started');
    await sleep(KEEPALIVE_MS * 4);
    assert.ok(p.data.length >= 6, 'keep-alives while the fsync is pending');
    assert.equal(p.data.length % 6, 0);
    for (let o = 0; o < p.data.length; o += 6) assert.deepEqual(p.data.subarray(o, o + 6), ack(0), 'only ACK 0 before the fsync');
    assert.equal(wal.durable, durableBefore);
    assert.equal((await queuedWith('heldsync')).length, 0, 'not durable yet');
    const before = p.data.length;
    release();
    await p.bytes(before + 6);
    await sleep(20);
    const last = p.data.subarray(p.data.length - 6);
    assert.deepEqual(last, ack(2), 'the window ack follows the fsync');
    assert.equal((await queuedWith('heldsync')).length, 2);
    const settled = p.data.length;
    await sleep(KEEPALIVE_MS * 3);
    assert.equal(p.data.length, settled, 'no keep-alives once nothing waits');
    p.end();
  } finally {
    release();
    fh.datasync = datasync;
  }
});

// --- senders that break the protocol --------------------------------------------------------------

test('a truncated frame then a close: nothing stored or acked; the listener serves the next client', async () => {
  const p = await Peer.connect(port);
  const whole = batch([FILEBEAT('truncframe one'), FILEBEAT('truncframe two')]);
  p.send(whole.subarray(0, whole.length - 10));
  await sleep(50);
  p.end();
  await p.closed;
  assert.equal(p.data.length, 0);
  assert.equal((await queuedWith('truncframe')).length, 0, 'an incomplete window is not queued');
  const q = await Peer.connect(port);
  q.send(batch([FILEBEAT('after truncframe')]));
  assert.deepEqual(await q.bytes(6), ack(1));
  q.end();
});

test('garbage, v1 frames and an event before any window close the connection, counted; the listener still serves', async () => {
  const cases: [Buffer, string][] = [
    [Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'malformed'],
    [Buffer.concat([Buffer.from('2X'), u32(1)]), 'malformed'],
    [Buffer.concat([Buffer.from('1W'), u32(1)]), 'unsupported'],
    [jsonFrame(1, '{}'), 'malformed'],
    [Buffer.concat([windowFrame(1), compressedFrame(Buffer.concat([jsonFrame(1, '{}'), jsonFrame(2, '{}')]))]), 'malformed'],
    [Buffer.concat([windowFrame(1), Buffer.from('2C'), u32(5), Buffer.from('nope!')]), 'malformed'],
  ];
  for (const [bytes, reason] of cases) {
    const before = await rejected(reason);
    const p = await Peer.connect(port);
    p.send(bytes);
    assert.equal(await p.closedWithin(3000), true, `closed after ${bytes.toString('hex')}`);
    assert.equal(await rejected(reason), before + 1, reason);
  }
  const q = await Peer.connect(port);
  q.send(batch([FILEBEAT('after garbage')]));
  assert.deepEqual(await q.bytes(6), ack(1));
  q.end();
});

test('an oversized event or compressed frame is refused from its header; a zlib bomb when it inflates', async () => {
  const before = await rejected('too_large');
  const p = await Peer.connect(port);
  p.send(Buffer.concat([windowFrame(1), Buffer.from('2J'), u32(1), u32(MAX_MESSAGE + 1)]));
  assert.equal(await p.closedWithin(3000), true);
  const q = await Peer.connect(port);
  q.send(Buffer.concat([windowFrame(1), Buffer.from('2C'), u32(100 * 1024 * 1024)]));
  assert.equal(await q.closedWithin(3000), true);
  const bomb = deflateSync(Buffer.concat([jsonFrame(1, '{}'), Buffer.alloc(5 * MAX_MESSAGE)]));
  const r = await Peer.connect(port);
  r.send(Buffer.concat([windowFrame(1), Buffer.from('2C'), u32(bomb.length), bomb]));
  assert.equal(await r.closedWithin(3000), true);
  assert.equal(r.data.length, 0);
  assert.equal(await rejected('too_large'), before + 3);
});

test('what came before a protocol fault is still acknowledged, then the connection ends', async () => {
  const p = await Peer.connect(port);
  p.send(Buffer.concat([batch([FILEBEAT('beforefault')]), Buffer.from('garbage')]));
  assert.equal(await p.closedWithin(3000), true);
  assert.deepEqual(p.data, ack(1));
  assert.equal((await queuedWith('beforefault')).length, 1);
});

test('TLS when cert and key are given: a window over TLS is acked the same way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lj-tls-'));
  const { cert, key } = makeCert(dir);
  const intake = new Intake(wal, { maxPendingBytes: 1 << 30, maxLagBytes: 1 << 30 }, metrics, () => 0);
  const s = beatsServer({ listen: '127.0.0.1:0', tenant: 'acme', cert, key, maxMessageBytes: MAX_MESSAGE, maxRecordBytes: MAX_RECORD }, intake, metrics, createLogger('silent'));
  const tlsPort = await s.start();
  try {
    const got = await new Promise<Buffer>((resolve, reject) => {
      let data = Buffer.alloc(0);
      const c = tls.connect({ port: tlsPort, host: '127.0.0.1', ca: readFileSync(cert), servername: 'localhost' }, () => c.write(batch([FILEBEAT('overtls')])));
      c.on('data', (d: Buffer) => {
        data = Buffer.concat([data, d]);
        if (data.length >= 6) {
          c.end();
          resolve(data);
        }
      });
      c.on('error', reject);
    });
    assert.deepEqual(got, ack(1));
    assert.equal((await queuedWith('overtls')).length, 1);
  } finally {
    await s.stop();
  }
});
