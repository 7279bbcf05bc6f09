// The Loki push endpoints on a real Fastify server (Vigil's own, with its auth hook) over a real Intake
// and WAL in a temp dir: real HTTP requests as Promtail, Alloy, Fluent Bit and Vector send them, Loki's
// statuses, and what lands on disk (and what the process stage makes of it).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { compressSync } from 'snappy';
import { type ReadEntry } from '../../queue/wal.js';
import { processEntry } from '../../process/pipeline.js';
import { ParserRegistry } from '../../process/parsers/registry.js';
import { encodeJsonPush, encodeProtobufPushSync, type LokiStream } from '../../wire/loki-push.js';
import { lokiRoutes, LOKI_INPUT } from './index.js';
import type { ShipperDeps } from '../shipper-deps.js';
import { startTestServer, stopTestServer, TEST_TOKENS, type TestServer } from '../http-test-server.js';

const BODY_LIMIT = 64 * 1024;
const MAX_LINE = 2048;
const T = TEST_TOKENS;
const SSHD = 'Nov 23 08:00:00 bastion1 sshd[77]: Failed password for invalid user admin from 203.0.113.7 port 52144 ssh2';
const NS = 1795420800123456789n;

type Server = TestServer;

async function startServer(extra: Partial<ShipperDeps> = {}): Promise<Server> {
  return startTestServer({
    input: LOKI_INPUT,
    bodyLimit: BODY_LIMIT,
    maxLineBytes: MAX_LINE,
    register: async (app, deps) => {
      await app.register(lokiRoutes, { ...deps, ...extra });
    },
  });
}

const stopServer = stopTestServer;

interface Res {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

async function push(s: Server, body: string | Buffer, opts: { token?: string | null; headers?: Record<string, string>; path?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? T.acmeIngest : opts.token;
  if (token !== null) headers.authorization ??= `Bearer ${token}`;
  const r = await fetch(s.url + (opts.path ?? '/loki/api/v1/push'), { method: 'POST', headers, body });
  const text = await r.text();
  return { status: r.status, text, json: text ? JSON.parse(text) : null, headers: r.headers };
}

/** The envelope records of entries, with each entry's metadata. */
function records(entries: ReadEntry[]) {
  return entries.flatMap((e) => e.entry.records.map((r) => ({ meta: e.entry.meta, doc: JSON.parse(r.toString('utf8')) })));
}

const set = (o: Record<string, string>) => Object.assign(Object.create(null), o) as Record<string, string>;
const STREAMS: LokiStream[] = [
  { labels: set({ job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' }), entries: [{ ns: NS, line: SSHD }, { ns: NS + 1n, line: 'second line' }] },
  { labels: set({ job: 'app' }), entries: [{ ns: NS + 2n, line: 'app line', metadata: set({ trace_id: 'abc123' }) }] },
];

// A PushRequest assembled by hand from grafana/loki pkg/push/push.proto (tag = field << 3 | wire type).
function handProtobuf(): Buffer {
  const ld = (field: number, b: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
  const ts = Buffer.from([0x08, 0x80, 0xe5, 0x8f, 0xd8, 0x06, 0x10, 0x07]); // seconds 1795420800, nanos 7
  const entry = Buffer.concat([ld(1, ts), ld(2, Buffer.from('hand made line')), ld(3, Buffer.concat([ld(1, Buffer.from('pod')), ld(2, Buffer.from('p-1'))]))]);
  const stream = Buffer.concat([ld(1, Buffer.from('{job="hand", host="h9"}')), ld(2, entry), Buffer.from([0x18, 0x2a])]); // hash = 42
  return ld(1, stream);
}

/** POSTs headers that declare a body but sends none of it, and waits for the answer. */
function pushWithoutBody(s: Server, headers: Record<string, string>): Promise<{ status: number; json: any; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${s.url}/loki/api/v1/push`);
    const r = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-length': '50000', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null, retryAfter: res.headers['retry-after'] as string | undefined });
        r.destroy();
      });
    });
    r.on('error', reject);
    r.flushHeaders();
  });
}

describe('Loki push on a real server', () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(async () => stopServer(s));

  test('protobuf + snappy from the encoder: 204, one WAL entry per stream, envelopes with labels and exact times', async () => {
    const r = await push(s, encodeProtobufPushSync(STREAMS), { headers: PROTOBUF });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    const entries = await s.newEntries();
    assert.equal(entries.length, 2, 'one entry per stream');
    for (const e of entries) {
      assert.equal(e.entry.meta.tenant, 'acme');
      assert.equal(e.entry.meta.codec, 'json');
      assert.equal(e.entry.meta.envelope, true);
      assert.equal(e.entry.meta.input, 'loki');
      assert.equal(e.entry.meta.peer, '127.0.0.1');
    }
    const recs = records(entries);
    assert.deepEqual(recs[0]!.doc, {
      '@timestamp': '2026-11-23T08:00:00.123Z',
      message: SSHD,
      labels: { filename: '/var/log/auth.log', host: 'bastion1', job: 'varlogs' },
      host: { name: 'bastion1' },
      log: { file: { path: '/var/log/auth.log' } },
      loki: { timestamp_ns: '1795420800123456789' },
    });
    assert.equal(recs[1]!.doc.message, 'second line');
    assert.deepEqual(recs[2]!.doc.labels, { job: 'app', trace_id: 'abc123' }, 'structured metadata joins the labels');
  });

  test('the process stage parses the pushed line (sshd) and the envelope fills the rest', async () => {
    assert.equal((await push(s, encodeProtobufPushSync(STREAMS.slice(0, 1)), { headers: PROTOBUF })).status, 204);
    const registry = new ParserRegistry();
    const docs = (await s.newEntries()).flatMap((e) => processEntry(e, { registry })).map((p) => p.doc as any);
    assert.equal(docs[0].vigil.parse.parser, 'sshd');
    assert.equal(docs[0].event.original, SSHD);
    assert.equal(docs[0].source.ip, '203.0.113.7');
    assert.equal(docs[0].host.name, 'bastion1');
    assert.equal(docs[0].labels.job, 'varlogs');
    assert.equal(docs[0].log.file.path, '/var/log/auth.log');
  });

  test('a protobuf body assembled by hand (not by Vigil\'s encoder), also on /api/prom/push and with no Content-Type', async () => {
    for (const [path, headers] of [
      ['/loki/api/v1/push', PROTOBUF],
      ['/api/prom/push', PROTOBUF],
      ['/loki/api/v1/push', { 'content-encoding': 'snappy' }],
    ] as const) {
      const r = await push(s, compressSync(handProtobuf()), { path, headers });
      assert.equal(r.status, 204, `${path} ${JSON.stringify(headers)}: ${r.text}`);
      const [rec] = records(await s.newEntries());
      assert.deepEqual(rec!.doc, {
        '@timestamp': '2026-11-23T08:00:00.000Z',
        message: 'hand made line',
        labels: { job: 'hand', host: 'h9', pod: 'p-1' },
        host: { name: 'h9' },
        loki: { timestamp_ns: '1795420800000000007' },
      });
    }
  });

  test('JSON, and JSON with gzip (Fluent Bit, Vector without snappy)', async () => {
    const body = encodeJsonPush(STREAMS);
    for (const [payload, headers] of [
      [body, JSON_CT],
      [gzipSync(body), { ...JSON_CT, 'content-encoding': 'gzip' }],
    ] as const) {
      const r = await push(s, payload, { headers });
      assert.equal(r.status, 204, r.text);
      const recs = records(await s.newEntries());
      assert.deepEqual(recs.map((x) => x.doc.message), [SSHD, 'second line', 'app line']);
      assert.equal(recs[2]!.doc.labels.trace_id, 'abc123');
    }
    // A raw Fluent Bit body, as its loki output writes it.
    const fb = '{"streams":[{"stream":{"job":"fluent-bit","hostname":"fb1"},"values":[["1795420800000000000","{\\"log\\":\\"hello\\"}"]]}]}';
    assert.equal((await push(s, fb, { headers: { 'content-type': 'application/json; charset=utf-8' } })).status, 204);
    const [rec] = records(await s.newEntries());
    assert.deepEqual(rec!.doc.host, { name: 'fb1' });
    assert.equal(rec!.doc.message, '{"log":"hello"}');
  });

  test('an empty push is 204 and queues nothing', async () => {
    assert.equal((await push(s, '{"streams":[]}', { headers: JSON_CT })).status, 204);
    assert.equal((await push(s, encodeProtobufPushSync([]), { headers: PROTOBUF })).status, 204);
    assert.equal((await push(s, encodeProtobufPushSync([{ labels: set({ a: 'b' }), entries: [] }]), { headers: PROTOBUF })).status, 204);
    assert.deepEqual(await s.newEntries(), []);
  });

  test('auth: Basic with the token as password (Promtail/Alloy basic_auth); none 401; a read token 403', async () => {
    const basic = `Basic ${Buffer.from(`123456:${T.acmeIngest}`).toString('base64')}`;
    assert.equal((await push(s, encodeJsonPush(STREAMS), { headers: { ...JSON_CT, authorization: basic } })).status, 204);
    assert.equal((await s.newEntries()).length, 2);
    const none = await push(s, encodeJsonPush(STREAMS), { token: null, headers: { ...JSON_CT, 'x-scope-orgid': 'acme' } });
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, 'unauthorized');
    const bad = await push(s, encodeJsonPush(STREAMS), { token: 'not-a-real-token-000', headers: JSON_CT });
    assert.equal(bad.status, 401);
    const read = await push(s, encodeJsonPush(STREAMS), { token: T.acmeRead, headers: JSON_CT });
    assert.equal(read.status, 403);
    assert.equal(read.json.error.code, 'forbidden');
    assert.deepEqual(await s.newEntries(), []);
  });

  test("X-Scope-OrgID: the token's own tenant is fine; another is 403; an admin token may name any existing one", async () => {
    assert.equal((await push(s, encodeJsonPush(STREAMS), { headers: { ...JSON_CT, 'x-scope-orgid': 'acme' } })).status, 204);
    assert.deepEqual(
      (await s.newEntries()).map((e) => e.entry.meta.tenant),
      ['acme', 'acme'],
    );
    const other = await push(s, encodeJsonPush(STREAMS), { headers: { ...JSON_CT, 'x-scope-orgid': 'globex' } });
    assert.equal(other.status, 403);
    assert.match(other.json.error.message, /belongs to tenant "acme" and cannot act on "globex"/);
    const globexOwn = await push(s, encodeJsonPush(STREAMS), { token: T.globexIngest, headers: { ...JSON_CT, 'x-scope-orgid': 'acme' } });
    assert.equal(globexOwn.status, 403);
    assert.deepEqual(await s.newEntries(), []);

    assert.equal((await push(s, encodeJsonPush(STREAMS), { token: T.acmeAdmin, headers: { ...JSON_CT, 'x-scope-orgid': 'globex' } })).status, 204);
    assert.deepEqual(
      (await s.newEntries()).map((e) => e.entry.meta.tenant),
      ['globex', 'globex'],
    );
    const missing = await push(s, encodeJsonPush(STREAMS), { token: T.acmeAdmin, headers: { ...JSON_CT, 'x-scope-orgid': 'initech' } });
    assert.equal(missing.status, 404);
    const several = await push(s, encodeJsonPush(STREAMS), { token: T.acmeAdmin, headers: { ...JSON_CT, 'x-scope-orgid': 'acme|globex' } });
    assert.equal(several.status, 400);
    assert.match(several.json.error.message, /more than one tenant/);
  });

  // [what, body, headers, status, error code, message part]
  const refused: [string, string | Buffer, Record<string, string>, number, string, string][] = [
    ['bad JSON', '{"streams":[', JSON_CT, 400, 'bad_request', 'body: not valid JSON'],
    ['a JSON value with a number for the time', '{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}', JSON_CT, 400, 'bad_request', 'streams[0].values[0][0]'],
    ['bad stream labels', compressSync(Buffer.concat([Buffer.from([0x0a, 0x0b, 0x0a, 0x09]), Buffer.from('{job=bad}')])), PROTOBUF, 400, 'bad_request', 'streams[0].labels: invalid stream labels "{job=bad}"'],
    ['garbage that is not snappy', Buffer.from('definitely not snappy, just some words'), PROTOBUF, 400, 'bad_request', 'snappy'],
    ['a protobuf body without snappy', handProtobuf(), PROTOBUF, 400, 'bad_request', 'snappy'],
    ['a truncated protobuf', compressSync(handProtobuf().subarray(0, 30)), PROTOBUF, 400, 'bad_request', 'truncated'],
    ['gzip that is not gzip', Buffer.from('not gzip'), { ...JSON_CT, 'content-encoding': 'gzip' }, 400, 'bad_request', 'not valid gzip'],
    ['an unknown Content-Encoding', Buffer.from('x'), { ...JSON_CT, 'content-encoding': 'br' }, 415, 'unsupported_media_type', 'br'],
    ['an empty body', '', PROTOBUF, 400, 'bad_request', 'empty body'],
    ['a snappy block declaring more than the body limit', compressSync(Buffer.alloc(BODY_LIMIT + 1)), PROTOBUF, 413, 'payload_too_large', `over the limit of ${BODY_LIMIT}`],
    ['a gzip bomb', gzipSync(Buffer.alloc(BODY_LIMIT * 4)), { ...JSON_CT, 'content-encoding': 'gzip' }, 413, 'payload_too_large', 'decompressed body over'],
    ['a body over the limit on the wire', Buffer.alloc(BODY_LIMIT + 10, 0x61), PROTOBUF, 413, 'payload_too_large', 'larger than the limit'],
  ];
  for (const [what, body, headers, status, code, says] of refused) {
    test(`refuses ${what}: ${status} ${code}, nothing queued`, async () => {
      const r = await push(s, body, { headers });
      assert.equal(r.status, status, r.text);
      assert.equal(r.json.error.code, code);
      assert.ok(r.json.error.message.includes(says), r.json.error.message);
      assert.deepEqual(await s.newEntries(), []);
    });
  }

  test('one bad stream refuses the whole push', async () => {
    const body = '{"streams":[{"stream":{"a":"b"},"values":[["1","good"]]},{"stream":{"a":"c"},"values":[["x","bad"]]}]}';
    assert.equal((await push(s, body, { headers: JSON_CT })).status, 400);
    assert.deepEqual(await s.newEntries(), []);
  });

  test('a line over max_line_bytes is cut and its run flagged truncated; the others are not', async () => {
    const streams: LokiStream[] = [{ labels: set({ a: 'b' }), entries: [{ ns: 1n, line: 'short' }, { ns: 2n, line: 'y'.repeat(MAX_LINE + 100) }, { ns: 3n, line: 'after' }] }];
    assert.equal((await push(s, encodeProtobufPushSync(streams), { headers: PROTOBUF })).status, 204);
    const entries = await s.newEntries();
    assert.deepEqual(
      entries.map((e) => [e.entry.meta.truncated ?? false, e.entry.records.length]),
      [
        [false, 1],
        [true, 1],
        [false, 1],
      ],
    );
    assert.equal(JSON.parse(entries[1]!.entry.records[0]!.toString()).message.length, MAX_LINE);
  });

  test('overload: 429 with Retry-After before the body is read, and after; /ready says 503; counted as rejected', async () => {
    assert.equal((await fetch(`${s.url}/ready`)).status, 200);
    s.setLagging(true);
    try {
      const early = await pushWithoutBody(s, { authorization: `Bearer ${T.acmeIngest}`, ...PROTOBUF });
      assert.equal(early.status, 429);
      assert.equal(early.retryAfter, '1');
      assert.equal(early.json.error.code, 'overloaded');
      const r = await push(s, encodeProtobufPushSync(STREAMS), { headers: PROTOBUF });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      const ready = await fetch(`${s.url}/ready`);
      assert.equal(ready.status, 503);
    } finally {
      s.setLagging(false);
    }
    assert.deepEqual(await s.newEntries(), []);
    const metrics = await s.metrics.registry.getSingleMetricAsString('vigil_requests_rejected_total');
    assert.match(metrics, /input="loki",reason="overloaded"} [1-9]/);
    assert.match(metrics, /input="loki",reason="too_large"} [1-9]/);
    assert.equal((await push(s, encodeProtobufPushSync(STREAMS), { headers: PROTOBUF })).status, 204);
    assert.equal((await s.newEntries()).length, 2);
    const received = await s.metrics.registry.getSingleMetricAsString('vigil_events_received_total');
    assert.match(received, /tenant="acme",input="loki"} [1-9]/);
  });
});

describe('Loki push: the bytes of bodies held at once are bounded', () => {
  let s: Server;
  before(async () => {
    s = await startServer({ maxInflightBytes: BODY_LIMIT });
  });
  after(async () => stopServer(s));

  test('a second large request while one is held is refused 429', async () => {
    const held = http.request(`${s.url}/loki/api/v1/push`, { method: 'POST', headers: { authorization: `Bearer ${T.acmeIngest}`, 'content-length': String(BODY_LIMIT), ...PROTOBUF } });
    held.on('error', () => {});
    held.flushHeaders();
    await new Promise((r) => setTimeout(r, 100));
    try {
      const r = await pushWithoutBody(s, { authorization: `Bearer ${T.acmeIngest}`, ...PROTOBUF });
      assert.equal(r.status, 429);
      assert.match(r.json.error.message, /in flight/);
    } finally {
      held.destroy();
    }
  });
});
