// The Fluent forward input over real sockets and a real WAL, driven by a client written here from the
// Forward Protocol Specification v1: every carrier mode, acks (exact bytes, and only after fsync), the
// handshake, and senders that break the protocol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { encode, decodeMulti, Decoder, ExtensionCodec } from '@msgpack/msgpack';
import { Wal } from '../../queue/wal.js';
import { Intake } from '../../queue/intake.js';
import type { EntryMeta } from '../../queue/entry.js';
import { Metrics } from '../../core/metrics.js';
import { createLogger } from '../../core/log.js';
import type { TcpShipperServer } from '../tcp-shipper/server.js';
import { fluentForwardServer } from './index.js';
import { Peer as BasePeer, sleep } from '../tcp-shipper/test-peer.js';

const TAG = 'app.auth';
const MAX_MESSAGE = 64 * 1024;
const MAX_RECORD = 4 * 1024;
const KEY = 'forward-shared-key-0123';

// --- the client side, from the spec ---------------------------------------------------------------

/** EventTime: ext type 0, fixext8, u32 seconds and u32 nanoseconds, big-endian. */
class Et {
  constructor(
    readonly sec: number,
    readonly nsec: number,
  ) {}
}
const ext = new ExtensionCodec();
ext.register({
  type: 0,
  encode: (v) => {
    if (!(v instanceof Et)) return null;
    const b = Buffer.alloc(8);
    b.writeUInt32BE(v.sec, 0);
    b.writeUInt32BE(v.nsec, 4);
    return b;
  },
  decode: (d) => d,
});
const mp = (v: unknown) => Buffer.from(encode(v, { extensionCodec: ext }));
/** A msgpack str32 holding raw bytes (out_forward's PackedForward compatibility form). */
const str32 = (raw: Buffer) => Buffer.concat([Buffer.from([0xdb]), u32(raw.length), raw]);
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

class Peer extends BasePeer {
  /** Every msgpack value the server sent so far. */
  values(): unknown[] {
    return [...decodeMulti(this.data)];
  }
}

// --- the server side, over a real WAL -------------------------------------------------------------

let wal: Wal;
let metrics: Metrics;
let intake: Intake;
let server: TcpShipperServer;
let keyed: TcpShipperServer;
let port: number;
let keyedPort: number;
const log = createLogger('silent');

before(async () => {
  wal = await Wal.open({ dir: mkdtempSync(join(tmpdir(), 'vigil-fwd-')) });
  metrics = new Metrics();
  intake = new Intake(wal, { maxPendingBytes: 1 << 30, maxLagBytes: 1 << 30 }, metrics, () => 0);
  server = fluentForwardServer({ listen: '127.0.0.1:0', tenant: 'acme', maxMessageBytes: MAX_MESSAGE, maxRecordBytes: MAX_RECORD }, intake, metrics, log);
  port = await server.start();
  keyed = fluentForwardServer(
    { listen: '127.0.0.1:0', tenant: 'acme', sharedKey: KEY, hostname: 'vigil.example', maxMessageBytes: MAX_MESSAGE, maxRecordBytes: MAX_RECORD },
    intake,
    metrics,
    log,
  );
  keyedPort = await keyed.start();
});

after(async () => {
  await server.stop();
  await keyed.stop();
  await wal.close();
});

interface Queued {
  meta: EntryMeta;
  doc: any;
  text: string;
}

/** Every record the forward input queued (and fsync'd: the WAL reads only durable bytes). */
async function queued(): Promise<Queued[]> {
  const out: Queued[] = [];
  let pos = 0;
  for (;;) {
    const r = await wal.read(pos, 1 << 20);
    if (r.next === pos) break;
    for (const e of r.entries) {
      for (const rec of e.entry.records) {
        const text = rec.toString('utf8');
        let doc: any = null;
        try {
          doc = JSON.parse(text);
        } catch {
          /* a cut record */
        }
        out.push({ meta: e.entry.meta, doc, text });
      }
    }
    pos = r.next;
  }
  return out;
}

async function queuedWith(marker: string): Promise<Queued[]> {
  return (await queued()).filter((q) => q.text.includes(marker));
}

async function rejected(reason: string): Promise<number> {
  const m = await metrics.rejected.get();
  return m.values.filter((v) => v.labels.reason === reason && v.labels.input === 'fluent-forward').reduce((n, v) => n + v.value, 0);
}

const ackBytes = (chunk: string) => Buffer.concat([Buffer.from([0x81, 0xa3]), Buffer.from('ack'), Buffer.from([0xa0 | chunk.length]), Buffer.from(chunk)]);

// --- carrier modes --------------------------------------------------------------------------------

test('Message mode with EventTime and chunk: {"ack": chunk} byte for byte, the record as an envelope', async () => {
  const p = await Peer.connect(port);
  const chunk = 'p8n9gmxTQVC8/nh2wlKKeQ=='; // the spec's example: base64 of a 128-bit id
  const line = 'Nov 23 08:00:01 bastion1 sshd[4242]: Failed password for bob from 198.51.100.9 port 22 ssh2 msgmode';
  p.send(mp([TAG, new Et(1700000000, 123_456_789), { log: line, stream: 'stdout', container_id: 'abc123', container_name: '/web', source: 'stdout' }, { chunk }]));
  const got = await p.bytes(ackBytes(chunk).length);
  assert.deepEqual(got, ackBytes(chunk), 'ack is the msgpack map {"ack": chunk}');
  const [q] = await queuedWith('msgmode');
  assert.ok(q);
  assert.equal(q.meta.tenant, 'acme');
  assert.equal(q.meta.input, 'fluent-forward');
  assert.equal(q.meta.codec, 'json');
  assert.equal(q.meta.envelope, true);
  assert.match(q.meta.peer!, /^127\.0\.0\.1:\d+$/);
  assert.deepEqual(q.doc, {
    message: line,
    stream: 'stdout',
    container: { id: 'abc123', name: 'web' },
    '@timestamp': '2023-11-14T22:13:20.123Z',
    fluent: { tag: TAG },
  });
  p.end();
});

test('Forward mode: integer and float times, size and chunk options, one ack for the whole message', async () => {
  const p = await Peer.connect(port);
  const entries = [
    [1700000001, { message: 'fwdmode one', host: 'web01', ident: 'sshd', pid: '77' }],
    [1700000002.5, { message: 'fwdmode two', source: '10.0.0.1', event: 'x', kubernetes: { pod_name: 'p' } }],
    [1700000003, { msg: 'fwdmode three', level: 'info' }],
  ];
  p.send(mp([TAG, entries, { size: 3, chunk: 'Zm9yd2FyZC1tb2RlLTEyMw==' }]));
  assert.deepEqual(await p.bytes(ackBytes('Zm9yd2FyZC1tb2RlLTEyMw==').length), ackBytes('Zm9yd2FyZC1tb2RlLTEyMw=='));
  const docs = (await queuedWith('fwdmode')).map((q) => q.doc);
  assert.equal(docs.length, 3);
  assert.deepEqual(docs[0], { message: 'fwdmode one', host: { name: 'web01' }, process: { name: 'sshd', pid: 77 }, '@timestamp': '2023-11-14T22:13:21.000Z', fluent: { tag: TAG } });
  // A plain value where ECS has an object moves aside; objects are kept as given.
  assert.deepEqual(docs[1], { message: 'fwdmode two', kubernetes: { pod_name: 'p' }, '@timestamp': '2023-11-14T22:13:22.500Z', fluent: { tag: TAG, source: '10.0.0.1', event: 'x' } });
  // No log or message string: the record's fields as given, still an envelope without a message.
  assert.deepEqual(docs[2], { msg: 'fwdmode three', level: 'info', '@timestamp': '2023-11-14T22:13:23.000Z', fluent: { tag: TAG } });
  p.end();
});

test('PackedForward as bin and as str, Fluent Bit [[time, metadata], record] entries, no ack without chunk', async () => {
  const p = await Peer.connect(port);
  const stream = Buffer.concat([
    mp([new Et(1700000010, 0), { log: 'packed bin one' }]),
    mp([[new Et(1700000011, 5_000_000), { otlp: { severity: 'INFO' } }], { log: 'packed bin two' }]),
  ]);
  // bin, no chunk: stored, but nothing is answered.
  p.send(mp([TAG, stream]));
  // str32 of raw msgpack (out_forward's compatibility form), with a chunk.
  const strStream = mp([1700000012, { log: 'packed str three \u00e9' }]);
  p.send(Buffer.concat([Buffer.from([0x93]), mp(TAG), str32(strStream), mp({ chunk: 'cGFja2VkLXN0cg==', size: 1 })]));
  assert.deepEqual(await p.bytes(ackBytes('cGFja2VkLXN0cg==').length), ackBytes('cGFja2VkLXN0cg=='), 'only the chunked message is answered');
  const docs = (await queuedWith('packed')).map((q) => q.doc);
  assert.deepEqual(
    docs.map((d) => [d.message, d['@timestamp']]),
    [
      ['packed bin one', '2023-11-14T22:13:30.000Z'],
      ['packed bin two', '2023-11-14T22:13:31.005Z'],
      ['packed str three \u00e9', '2023-11-14T22:13:32.000Z'],
    ],
  );
  assert.deepEqual(docs[1].fluent, { tag: TAG, metadata: { otlp: { severity: 'INFO' } } });
  await sleep(50);
  assert.equal(p.data.length, ackBytes('cGFja2VkLXN0cg==').length);
  p.end();
});

test('CompressedPackedForward: gzip entries, concatenated gzip members, compressed and size options', async () => {
  const p = await Peer.connect(port);
  const a = mp([1700000020, { message: 'gzip one' }]);
  const b = Buffer.concat([mp([1700000021, { message: 'gzip two' }]), mp([1700000022, { message: 'gzip three' }])]);
  const gz = Buffer.concat([gzipSync(a), gzipSync(b)]);
  p.send(mp([TAG, gz, { chunk: 'Z3ppcC1jaHVuay0wMDE=', size: 3, compressed: 'gzip' }]));
  assert.deepEqual(await p.bytes(ackBytes('Z3ppcC1jaHVuay0wMDE=').length), ackBytes('Z3ppcC1jaHVuay0wMDE='));
  assert.deepEqual((await queuedWith('gzip')).map((q) => q.doc.message), ['gzip one', 'gzip two', 'gzip three']);
  p.end();
});

test('a message split byte by byte, a heartbeat nil, and messages back to back in one write', async () => {
  const p = await Peer.connect(port);
  const one = mp([TAG, 1700000030, { message: 'split one' }, { chunk: 'c3BsaXQtMQ==' }]);
  for (const byte of one) {
    p.send(Buffer.from([byte]));
    await sleep(1);
  }
  p.send(Buffer.concat([mp(null), mp([TAG, 1700000031, { message: 'split two' }, { chunk: 'c3BsaXQtMg==' }]), mp([TAG, 1700000032, { message: 'split three' }])]));
  await p.bytes(ackBytes('c3BsaXQtMQ==').length * 2);
  assert.deepEqual(p.values(), [{ ack: 'c3BsaXQtMQ==' }, { ack: 'c3BsaXQtMg==' }]);
  await sleep(50);
  assert.deepEqual((await queuedWith('split')).map((q) => q.doc.message), ['split one', 'split two', 'split three']);
  assert.equal(p.isClosed, false);
  p.end();
});

test('a record longer than the record limit is kept with its message cut, flagged truncated', async () => {
  const p = await Peer.connect(port);
  const long = 'longrecord ' + 'x'.repeat(MAX_RECORD * 2);
  p.send(mp([TAG, 1700000040, { log: long, extra: 'kept' }, { chunk: 'bG9uZw==' }]));
  await p.bytes(ackBytes('bG9uZw==').length);
  const [q] = await queuedWith('longrecord');
  assert.ok(q);
  assert.equal(q.meta.truncated, true);
  assert.equal(q.meta.envelope, true);
  assert.ok(q.text.length <= MAX_RECORD);
  assert.ok(long.startsWith(q.doc.message));
  assert.equal(q.doc.extra, 'kept');
  p.end();
});

// --- durability -----------------------------------------------------------------------------------

test('the ack waits for the fsync: none while the WAL datasync is held, then the record is durable and acked', async () => {
  const fh = (wal as any).fh;
  const datasync = fh.datasync;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let syncing = 0;
  fh.datasync = async function (this: unknown) {
    syncing++;
    await gate;
    return datasync.call(fh);
  };
  try {
    const durableBefore = wal.durable;
    const p = await Peer.connect(port);
    p.send(mp([TAG, 1700000050, { message: 'heldsync' }, { chunk: 'aGVsZA==' }]));
    const deadline = Date.now() + 5000;
    while (syncing === 0 && Date.now() < deadline) await sleep(5);
    assert.equal(syncing, 1, 'the record reached the WAL and its fsync started');
    await sleep(300);
    assert.equal(p.data.length, 0, 'no ack while the fsync is pending');
    assert.equal(wal.durable, durableBefore);
    assert.equal((await queuedWith('heldsync')).length, 0, 'not durable yet');
    release();
    assert.deepEqual(await p.bytes(ackBytes('aGVsZA==').length), ackBytes('aGVsZA=='));
    assert.ok(wal.durable > durableBefore);
    assert.equal((await queuedWith('heldsync')).length, 1);
    p.end();
  } finally {
    release();
    fh.datasync = datasync;
  }
});

// --- senders that break the protocol --------------------------------------------------------------

test('a truncated message then a close: nothing stored or acked, and the listener serves the next client', async () => {
  const p = await Peer.connect(port);
  const whole = mp([TAG, [[1700000060, { message: 'truncated ' + 'y'.repeat(500) }]], { chunk: 'dHJ1bmM=' }]);
  p.send(whole.subarray(0, whole.length - 100));
  await sleep(50);
  p.end();
  await p.closed;
  assert.equal(p.data.length, 0);
  assert.equal((await queuedWith('truncated')).length, 0);
  const q = await Peer.connect(port);
  q.send(mp([TAG, 1700000061, { message: 'after truncated' }, { chunk: 'bmV4dA==' }]));
  assert.deepEqual(await q.bytes(ackBytes('bmV4dA==').length), ackBytes('bmV4dA=='));
  q.end();
});

test('garbage bytes close the connection, counted as rejected; the listener serves the next client', async () => {
  for (const garbage of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([0xc1, 0x00]), Buffer.from('{"json":"mode"}'), mp(['tag-only'])]) {
    const before = await rejected('malformed');
    const p = await Peer.connect(port);
    p.send(garbage);
    assert.equal(await p.closedWithin(3000), true, `closed after ${garbage.toString('hex')}`);
    assert.equal(await rejected('malformed'), before + 1);
  }
  const q = await Peer.connect(port);
  q.send(mp([TAG, 1700000070, { message: 'after garbage' }, { chunk: 'b2s=' }]));
  assert.deepEqual(await q.bytes(ackBytes('b2s=').length), ackBytes('b2s='));
  q.end();
});

test('an oversized message is refused from its header, before its bytes arrive; a gzip bomb too', async () => {
  const before = await rejected('too_large');
  const p = await Peer.connect(port);
  // [tag, bin32 of 100 MB ...: only the header is sent.
  p.send(Buffer.concat([Buffer.from([0x93]), mp(TAG), Buffer.from([0xc6]), u32(100 * 1024 * 1024)]));
  assert.equal(await p.closedWithin(3000), true);
  assert.equal(await rejected('too_large'), before + 1);

  const bomb = gzipSync(Buffer.alloc(5 * MAX_MESSAGE, 0x90)); // inflates past 4x the message limit
  assert.ok(bomb.length < MAX_MESSAGE);
  const q = await Peer.connect(port);
  q.send(mp([TAG, bomb, { compressed: 'gzip', chunk: 'Ym9tYg==' }]));
  assert.equal(await q.closedWithin(3000), true);
  assert.equal(q.data.length, 0, 'never acknowledged');
  assert.equal(await rejected('too_large'), before + 2);
});

test('a malformed entry inside a valid message refuses the message: no ack, connection closed', async () => {
  const p = await Peer.connect(port);
  p.send(mp([TAG, [[1700000080, { message: 'badentry ok' }], [1700000081, 'not a map']], { chunk: 'YmFk' }]));
  assert.equal(await p.closedWithin(3000), true);
  assert.equal(p.data.length, 0);
  assert.equal((await queuedWith('badentry')).length, 0);
});

// --- handshake ------------------------------------------------------------------------------------

const rawValues = (b: Buffer) => [...new Decoder({ rawStrings: true, extensionCodec: ext }).decodeMulti(b)];
const sha512hex = (...parts: (Uint8Array | string)[]) => parts.reduce((h, p) => h.update(p), createHash('sha512')).digest('hex');

async function helo(p: Peer): Promise<{ nonce: Buffer; auth: Buffer; keepalive: boolean }> {
  const b = await p.bytes(1);
  await sleep(20);
  const [msg] = rawValues(b) as [[Uint8Array, Record<string, Uint8Array | boolean>]];
  assert.equal(Buffer.from(msg[0]).toString(), 'HELO');
  return { nonce: Buffer.from(msg[1].nonce as Uint8Array), auth: Buffer.from(msg[1].auth as Uint8Array), keepalive: msg[1].keepalive as boolean };
}

test('handshake: HELO with a 16-byte nonce, PING with the right digest, PONG with the server digest, then events', async () => {
  const p = await Peer.connect(keyedPort);
  const h = await helo(p);
  assert.equal(h.nonce.length, 16);
  assert.equal(h.auth.length, 0, 'no user authentication asked for');
  assert.equal(h.keepalive, true);
  const salt = Buffer.from([0xff, 0x00, 0x80, ...Buffer.from('client-salt-1')]); // raw bytes, not UTF-8
  const ping = Buffer.concat([
    Buffer.from([0x96]),
    mp('PING'),
    mp('client.example'),
    Buffer.from([0xa0 | salt.length]),
    salt,
    mp(sha512hex(salt, 'client.example', h.nonce, KEY)),
    mp(''),
    mp(''),
  ]);
  p.data = Buffer.alloc(0);
  p.send(ping);
  await p.bytes(10);
  await sleep(20);
  const [pong] = p.values() as [unknown[]];
  assert.deepEqual(pong, ['PONG', true, '', 'vigil.example', sha512hex(salt, 'vigil.example', h.nonce, KEY)]);
  p.data = Buffer.alloc(0);
  p.send(mp([TAG, 1700000090, { message: 'handshaken' }, { chunk: 'aHM=' }]));
  assert.deepEqual(await p.bytes(ackBytes('aHM=').length), ackBytes('aHM='));
  assert.equal((await queuedWith('handshaken')).length, 1);
  p.end();
});

test('handshake failure: a wrong digest gets PONG false and a disconnect; so do events sent without a PING', async () => {
  const before = await rejected('handshake');
  const p = await Peer.connect(keyedPort);
  const h = await helo(p);
  p.data = Buffer.alloc(0);
  p.send(mp(['PING', 'client.example', 'salt', sha512hex('salt', 'client.example', h.nonce, 'wrong-key'), '', '']));
  assert.equal(await p.closedWithin(3000), true);
  assert.deepEqual(p.values(), [['PONG', false, 'shared_key mismatch', '', '']]);

  const q = await Peer.connect(keyedPort);
  await helo(q);
  q.data = Buffer.alloc(0);
  q.send(mp([TAG, 1700000091, { message: 'unauthenticated' }, { chunk: 'bm9wZQ==' }]));
  assert.equal(await q.closedWithin(3000), true);
  assert.deepEqual(q.values(), [['PONG', false, 'expected a PING', '', '']]);
  assert.equal((await queuedWith('unauthenticated')).length, 0);
  assert.equal(await rejected('handshake'), before + 2);
});

// --- back-pressure --------------------------------------------------------------------------------

test('while the queue is overloaded the socket is not read; reading resumes on relief', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fwd-bp-'));
  const w = await Wal.open({ dir });
  let consumed = 0;
  const small = new Intake(w, { maxPendingBytes: 1 << 30, maxLagBytes: 1 }, metrics, () => consumed);
  const s = fluentForwardServer({ listen: '127.0.0.1:0', tenant: 'acme', maxMessageBytes: MAX_MESSAGE, maxRecordBytes: MAX_RECORD }, small, metrics, log);
  const sp = await s.start();
  try {
    const p = await Peer.connect(sp);
    p.send(mp([TAG, 1700000100, { message: 'bp one' }, { chunk: 'YnAx' }]));
    await p.bytes(ackBytes('YnAx').length);
    assert.equal(small.overloaded(), true);
    p.send(mp([TAG, 1700000101, { message: 'bp two' }, { chunk: 'YnAy' }]));
    await sleep(400);
    assert.equal(p.data.length, ackBytes('YnAx').length, 'the second message waits unread');
    const headBefore = w.head;
    consumed = w.head;
    small.check();
    await p.bytes(ackBytes('YnAx').length * 2);
    assert.deepEqual(p.values(), [{ ack: 'YnAx' }, { ack: 'YnAy' }]);
    assert.ok(w.head > headBefore);
    p.end();
  } finally {
    // Relief for the last message too: a paused reader's wait must not outlive the test.
    consumed = w.head;
    small.check();
    await s.stop();
    await w.close();
  }
});

test('Fluent Bit metrics (fluent_signal 1) are acknowledged and not stored, counted as dropped', async () => {
  const dropped = async () => (await metrics.dropped.get()).values.filter((v) => v.labels.reason === 'not_logs').reduce((n, v) => n + v.value, 0);
  const before = await dropped();
  const p = await Peer.connect(port);
  p.send(mp([TAG, mp({ meta: { cmetrics: 'signalmetrics' } }), { fluent_signal: 1, size: 1, chunk: 'bWV0cmljcw==' }]));
  assert.deepEqual(await p.bytes(ackBytes('bWV0cmljcw==').length), ackBytes('bWV0cmljcw=='));
  assert.equal((await queuedWith('signalmetrics')).length, 0);
  assert.equal(await dropped(), before + 1);
  p.end();
});
