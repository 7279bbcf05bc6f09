// The HEC endpoints on a real Fastify server (Vigil's own, with its auth hook) over a real Intake and
// WAL in a temp dir: real HTTP requests, Splunk's exact answers, and what lands on disk.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { type ReadEntry } from '../../queue/wal.js';
import { eventsRoute } from '../http/events-route.js';
import { processEntry } from '../../process/pipeline.js';
import { ParserRegistry } from '../../process/parsers/registry.js';
import { hecRoutes, HEC_INPUT, type HecDeps } from './index.js';
import { startTestServer, stopTestServer, TEST_TOKENS, type TestServer } from '../http-test-server.js';

const BODY_LIMIT = 64 * 1024;
const MAX_LINE = 2048;
const T = TEST_TOKENS;
const CH = '6c1f0b1e-6b1a-4c55-9f5e-3d2b7a0c9e11';

type Server = TestServer;

async function startServer(extra: Partial<HecDeps> = {}): Promise<Server> {
  return startTestServer({
    input: HEC_INPUT,
    bodyLimit: BODY_LIMIT,
    maxLineBytes: MAX_LINE,
    register: async (app, deps) => {
      // Registered beside Vigil's own HTTP input, as main.ts does: each keeps its own parsers and errors.
      await app.register(eventsRoute, { ...deps, parserExists: () => true, maxInflightBytes: 1 << 26 });
      await app.register(hecRoutes, { ...deps, ...extra });
    },
  });
}

const stopServer = stopTestServer;

interface Res {
  status: number;
  json: any;
  headers: Headers;
}

async function req(s: Server, method: string, path: string, opts: { body?: string | Buffer; token?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? T.acmeIngest : opts.token;
  if (token !== null) headers.authorization ??= `Splunk ${token}`;
  const r = await fetch(s.url + path, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
}

const post = (s: Server, path: string, body: string | Buffer, opts: { token?: string | null; headers?: Record<string, string> } = {}) => req(s, 'POST', path, { ...opts, body });

/** The records of entries as text (a string event's own text, out of its envelope), with each entry's metadata. */
function records(entries: ReadEntry[]) {
  return entries.flatMap((e) =>
    e.entry.records.map((r) => {
      const raw = r.toString('utf8');
      return { ...e.entry.meta, raw, text: e.entry.meta.envelope ? (JSON.parse(raw).message as string) : raw };
    }),
  );
}

/** POSTs headers that declare a body but sends none of it, and waits for the answer. */
function postWithoutBody(s: Server, path: string, headers: Record<string, string>): Promise<{ status: number; json: any; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(s.url + path);
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

const SUCCESS = { text: 'Success', code: 0 };

describe('Splunk HEC on a real server', () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(async () => stopServer(s));

  test('health is public: 200 code 17, and 503 code 18 while the queue is overloaded', async () => {
    for (const path of ['/services/collector/health', '/services/collector/health/1.0']) {
      const r = await req(s, 'GET', path, { token: null });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { text: 'HEC is healthy', code: 17 });
    }
    s.setLagging(true);
    try {
      const r = await req(s, 'GET', '/services/collector/health', { token: null });
      assert.equal(r.status, 503);
      assert.deepEqual(r.json, { text: 'HEC is unhealthy, queues are full', code: 18 });
    } finally {
      s.setLagging(false);
    }
  });

  test('a batch of concatenated events is answered Success once on disk, with tenant, order and content', async () => {
    const line = '<38>Mar  1 12:00:00 web1 sshd[42]: Accepted password for alice from 10.0.0.1 port 22 ssh2';
    const body =
      JSON.stringify({ event: line, time: 1_700_000_000, sourcetype: 'linux_secure' }) +
      JSON.stringify({ event: { action: 'login', user: { name: 'bob' } }, time: '1700000001.250', host: 'app-1', source: '/var/log/app.json', sourcetype: '_json', index: 'sec', fields: { env: 'prod' } }) +
      '\n\n  ' +
      JSON.stringify({ event: 'plain {braces} "quotes" text' }) +
      '\r\n';
    const r = await post(s, '/services/collector/event', body, { headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, SUCCESS);
    const got = records(await s.newEntries());
    assert.equal(got.length, 3);
    for (const g of got) {
      assert.equal(g.tenant, 'acme');
      assert.equal(g.input, 'hec');
      assert.equal(g.peer, '127.0.0.1');
    }
    assert.deepEqual(
      got.map((g) => [g.codec, g.envelope ?? false, g.truncated ?? false]),
      [
        ['json', true, false],
        ['json', false, false],
        ['json', true, false],
      ],
    );
    assert.equal(got[0]!.text, line, 'a string event is stored exactly as sent');
    assert.deepEqual(JSON.parse(got[0]!.raw), { message: line, '@timestamp': '2023-11-14T22:13:20.000Z', splunk: { sourcetype: 'linux_secure' } }, 'its envelope keeps the metadata');
    assert.deepEqual(JSON.parse(got[1]!.text), {
      action: 'login',
      user: { name: 'bob' },
      '@timestamp': '2023-11-14T22:13:21.250Z',
      host: { name: 'app-1' },
      log: { file: { path: '/var/log/app.json' } },
      splunk: { sourcetype: '_json', index: 'sec', fields: { env: 'prod' } },
    });
    assert.equal(got[2]!.text, 'plain {braces} "quotes" text');
  });

  test('the pipeline reads what HEC stored: a syslog string reaches its text parser, an object keeps the envelope', async () => {
    const line = '<38>Mar  1 12:00:00 web1 sshd[42]: Failed password for invalid user mallory from 203.0.113.9 port 4242 ssh2';
    const body = JSON.stringify({ event: line }) + JSON.stringify({ event: { message: 'hello' }, time: 1_700_000_000, host: 'h1', sourcetype: 'st' });
    assert.equal((await post(s, '/services/collector', body)).status, 200);
    const registry = new ParserRegistry();
    const docs = (await s.newEntries()).flatMap((e) => processEntry(e, { registry })).map((p) => p.doc as any);
    assert.equal(docs.length, 2);
    assert.equal(docs[0].event.original, line);
    assert.equal(docs[0].vigil.parse.parser, 'sshd');
    assert.equal(docs[0].host.name, 'web1');
    assert.equal(docs[0].source.ip, '203.0.113.9');
    assert.equal(docs[1]['@timestamp'], '2023-11-14T22:13:20.000Z');
    assert.equal(docs[1].host.name, 'h1');
    assert.equal(docs[1].message, 'hello');
    assert.equal(docs[1].splunk.sourcetype, 'st');
    assert.equal(docs[1].vigil.input, 'hec');
  });

  test('the /event/1.0 and /services/collector aliases, and Bearer and Basic credentials, all work', async () => {
    const basic = 'Basic ' + Buffer.from(`x:${T.acmeIngest}`).toString('base64');
    const cases: [string, Record<string, string>][] = [
      ['/services/collector/event/1.0', {}],
      ['/services/collector', {}],
      ['/services/collector/event', { authorization: `Bearer ${T.acmeIngest}` }],
      ['/services/collector/event', { authorization: basic }],
      ['/services/collector/event', { authorization: `splunk ${T.acmeIngest}` }],
      // curl -d sends a form content type; HEC ignores the content type.
      ['/services/collector/event', { 'content-type': 'application/x-www-form-urlencoded' }],
    ];
    for (const [path, headers] of cases) {
      const r = await post(s, path, JSON.stringify({ event: `via ${path}` }), { headers });
      assert.equal(r.status, 200, `${path} ${JSON.stringify(headers)}: ${JSON.stringify(r.json)}`);
      assert.deepEqual(r.json, SUCCESS);
    }
    assert.equal(records(await s.newEntries()).length, cases.length);
  });

  test('raw: each non-blank line is a text record, bytes as sent; query metadata accepted', async () => {
    const body = 'first line\r\n\r\n   \nsecond line é\nthird without newline';
    const r = await post(s, '/services/collector/raw?sourcetype=syslog&host=h&source=/var/log/x&index=main', body);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, SUCCESS);
    const got = records(await s.newEntries());
    assert.deepEqual(
      got.map((g) => [g.codec, g.text]),
      [
        ['text', 'first line'],
        ['text', 'second line é'],
        ['text', 'third without newline'],
      ],
    );
    const r2 = await post(s, '/services/collector/raw/1.0', 'one\n');
    assert.equal(r2.status, 200);
    assert.equal(records(await s.newEntries()).length, 1);
  });

  test('gzip bodies are read on both endpoints', async () => {
    const ev = gzipSync(JSON.stringify({ event: 'zipped event' }) + JSON.stringify({ event: { k: 'v' } }));
    const r = await post(s, '/services/collector/event', ev, { headers: { 'content-encoding': 'gzip' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const raw = gzipSync('zipped raw 1\nzipped raw 2\n');
    const r2 = await post(s, '/services/collector/raw', raw, { headers: { 'content-encoding': 'gzip' } });
    assert.equal(r2.status, 200);
    assert.deepEqual(
      records(await s.newEntries()).map((g) => g.text),
      ['zipped event', '{"k":"v"}', 'zipped raw 1', 'zipped raw 2'],
    );
  });

  test('a gzip bomb, an oversized body and a broken gzip stream are refused and nothing is stored', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * BODY_LIMIT, 0x61));
    assert.ok(bomb.length < BODY_LIMIT);
    const r = await post(s, '/services/collector/raw', bomb, { headers: { 'content-encoding': 'gzip' } });
    assert.equal(r.status, 413);
    assert.deepEqual(r.json, { text: `Decompressed content too large (maximum is ${BODY_LIMIT})`, code: 413 });

    const big = await postWithoutBody(s, '/services/collector/event', { authorization: `Splunk ${T.acmeIngest}`, 'content-length': String(BODY_LIMIT + 1) });
    assert.equal(big.status, 413);
    assert.equal(big.json.code, 413);

    const sent = await post(s, '/services/collector/raw', 'x'.repeat(BODY_LIMIT + 100));
    assert.equal(sent.status, 413);
    assert.deepEqual(sent.json, { text: `Content-Length of ${BODY_LIMIT + 100} too large (maximum is ${BODY_LIMIT})`, code: 413 });

    const cut = gzipSync(JSON.stringify({ event: 'x'.repeat(2000) }));
    const broken = await post(s, '/services/collector/event', cut.subarray(0, cut.length - 10), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(broken.status, 400);
    assert.deepEqual(broken.json, { text: 'Invalid data format', code: 6 });

    const notGzip = await post(s, '/services/collector/event', '{"event":"x"}', { headers: { 'content-encoding': 'gzip' } });
    assert.equal(notGzip.status, 400);
    assert.equal(notGzip.json.code, 6);

    const br = await post(s, '/services/collector/event', '{"event":"x"}', { headers: { 'content-encoding': 'br' } });
    assert.equal(br.status, 400);
    assert.equal(br.json.code, 6);
    assert.equal((await s.newEntries()).length, 0);
  });

  test('an event over max_line_bytes is cut and flagged truncated, not refused', async () => {
    const long = 'y'.repeat(MAX_LINE + 500);
    const r = await post(s, '/services/collector/event', JSON.stringify({ event: long }) + JSON.stringify({ event: 'short' }));
    assert.equal(r.status, 200);
    const got = records(await s.newEntries());
    assert.equal(got.length, 2);
    assert.equal(got[0]!.text, long.slice(0, MAX_LINE));
    assert.equal(got[0]!.truncated, true);
    assert.equal(got[1]!.text, 'short');
    assert.equal(got[1]!.truncated, undefined);
  });

  test('invalid batches get Splunk codes with the event number, and nothing of them is stored', async () => {
    const good = JSON.stringify({ event: 'fine' });
    const cases: [string, string, number, unknown][] = [
      ['empty body', '', 400, { text: 'No data', code: 5 }],
      ['whitespace body', ' \n ', 400, { text: 'No data', code: 5 }],
      ['truncated JSON', good + '{"event":"cut', 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 }],
      ['an array', `[${good}]`, 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 }],
      ['missing event', good + good + '{"time":1}', 400, { text: 'Event field is required', code: 12, 'invalid-event-number': 2 }],
      ['blank event', '{"event":""}' + good, 400, { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 0 }],
      ['bad time', good + '{"event":"x","time":"noon"}', 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 }],
      ['nested indexed fields', good + '{"event":"x","fields":{"a":{"b":1}}}', 400, { text: 'Error in handling indexed fields', code: 15, 'invalid-event-number': 1 }],
    ];
    for (const [name, body, status, want] of cases) {
      const r = await post(s, '/services/collector/event', body);
      assert.equal(r.status, status, name);
      assert.deepEqual(r.json, want, name);
    }
    assert.equal((await s.newEntries()).length, 0, 'a refused batch queues none of its events');
    const raw = await post(s, '/services/collector/raw', '\n\r\n');
    assert.deepEqual([raw.status, raw.json], [400, { text: 'No data', code: 5 }]);
  });

  test('authentication failures answer as Splunk does', async () => {
    const body = JSON.stringify({ event: 'x' });
    const cases: [string, Record<string, string>, string, number, unknown][] = [
      ['no token', {}, '', 401, { text: 'Token is required', code: 2 }],
      ['unknown scheme', { authorization: `Token ${T.acmeIngest}` }, '', 401, { text: 'Invalid authorization', code: 3 }],
      ['scheme without token', { authorization: 'Splunk' }, '', 401, { text: 'Invalid authorization', code: 3 }],
      ['unknown token', { authorization: 'Splunk not-a-real-token' }, '', 403, { text: 'Invalid token', code: 4 }],
      ['read-scope token', { authorization: `Splunk ${T.acmeRead}` }, '', 403, { text: 'Invalid token', code: 4 }],
      ['token in the query string only', {}, `?token=${T.acmeIngest}`, 400, { text: 'Query string authorization is not enabled', code: 16 }],
    ];
    for (const path of ['/services/collector/event', '/services/collector/raw', '/services/collector/ack']) {
      for (const [name, headers, query, status, want] of cases) {
        const r = await post(s, path + query, body, { token: null, headers });
        assert.equal(r.status, status, `${path} ${name}`);
        assert.deepEqual(r.json, want, `${path} ${name}`);
      }
    }
    assert.equal((await s.newEntries()).length, 0);
  });

  test('tenants: the token decides; an admin token may name one; naming a foreign or unknown tenant is "Incorrect index"', async () => {
    const ev = JSON.stringify({ event: 'tenant test' });
    assert.equal((await post(s, '/services/collector/event', ev, { token: T.globexIngest })).status, 200);
    assert.equal((await post(s, '/services/collector/event?tenant=globex', ev, { token: T.acmeAdmin })).status, 200);
    assert.equal((await post(s, '/services/collector/raw', 'admin raw', { token: T.acmeAdmin, headers: { 'x-vigil-tenant': 'globex' } })).status, 200);
    assert.equal((await post(s, '/services/collector/event', ev, { token: T.acmeAdmin })).status, 200);
    assert.deepEqual(
      records(await s.newEntries()).map((g) => g.tenant),
      ['globex', 'globex', 'globex', 'acme'],
    );
    for (const [token, q] of [
      [T.acmeIngest, '?tenant=globex'],
      [T.acmeAdmin, '?tenant=nosuch'],
      [T.acmeIngest, '?tenant=_platform'],
    ] as const) {
      const r = await post(s, `/services/collector/event${q}`, ev, { token });
      assert.equal(r.status, 400, q);
      assert.deepEqual(r.json, { text: 'Incorrect index', code: 7 });
    }
    assert.equal((await s.newEntries()).length, 0);
  });

  test('indexer acknowledgement: ack ids per channel, durable at once; missing and malformed channels', async () => {
    const ev = JSON.stringify({ event: 'acked' });
    const a = await post(s, '/services/collector/event', ev, { headers: { 'x-splunk-request-channel': CH } });
    assert.deepEqual(a.json, { text: 'Success', code: 0, ackId: 0 });
    const b = await post(s, `/services/collector/raw?channel=${CH}`, 'acked raw');
    assert.deepEqual(b.json, { text: 'Success', code: 0, ackId: 1 });
    const noChannel = await post(s, '/services/collector/event', ev);
    assert.deepEqual(noChannel.json, SUCCESS, 'no channel, no ack id');
    assert.equal(records(await s.newEntries()).length, 3);

    const q = await post(s, '/services/collector/ack', JSON.stringify({ acks: [0, 1, 2] }), { headers: { 'x-splunk-request-channel': CH } });
    assert.equal(q.status, 200);
    assert.deepEqual(q.json, { acks: { '0': true, '1': true, '2': false } });
    const viaQuery = await post(s, `/services/collector/ack?channel=${CH}`, gzipSync('{"acks":[1]}'), { headers: { 'content-encoding': 'gzip' } });
    assert.deepEqual(viaQuery.json, { acks: { '1': true } });

    const other = await post(s, '/services/collector/ack', JSON.stringify({ acks: [0] }), { token: T.globexIngest, headers: { 'x-splunk-request-channel': CH } });
    assert.deepEqual(other.json, { acks: { '0': false } }, "another tenant's channel is not visible");

    const missing = await post(s, '/services/collector/ack', JSON.stringify({ acks: [0] }));
    assert.deepEqual([missing.status, missing.json], [400, { text: 'Data channel is missing', code: 10 }]);
    for (const path of ['/services/collector/event', '/services/collector/raw', '/services/collector/ack']) {
      const bad = await post(s, path, ev, { headers: { 'x-splunk-request-channel': 'not-a-guid' } });
      assert.deepEqual([bad.status, bad.json], [400, { text: 'Invalid data channel', code: 11 }], path);
    }
    const badBody = await post(s, '/services/collector/ack', '{"acks":"all"}', { headers: { 'x-splunk-request-channel': CH } });
    assert.deepEqual([badBody.status, badBody.json], [400, { text: 'Invalid data format', code: 6 }]);
    assert.equal((await s.newEntries()).length, 0);
  });

  test('overload is refused with 503 code 9 and Retry-After before the body is sent', async () => {
    s.setLagging(true);
    try {
      for (const path of ['/services/collector/event', '/services/collector/raw']) {
        const r = await postWithoutBody(s, path, { authorization: `Splunk ${T.acmeIngest}` });
        assert.equal(r.status, 503, path);
        assert.deepEqual(r.json, { text: 'Server is busy', code: 9 });
        assert.equal(r.retryAfter, '1');
      }
      // Acks still answer under pressure: they queue nothing.
      const ack = await post(s, '/services/collector/ack', '{"acks":[0]}', { headers: { 'x-splunk-request-channel': CH } });
      assert.equal(ack.status, 200);
    } finally {
      s.setLagging(false);
    }
    assert.equal((await post(s, '/services/collector/event', '{"event":"after relief"}')).status, 200);
    assert.equal(records(await s.newEntries()).length, 1);
  });

  test('unknown paths under /services/collector answer with Splunk 404; Vigil routes keep their own shapes', async () => {
    const r = await req(s, 'GET', '/services/collector/nope', { token: null });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { text: 'The requested URL was not found on this server.', code: 404 });
    const getEvent = await req(s, 'GET', '/services/collector/event');
    assert.equal(getEvent.status, 404);

    // /api/v1/events beside it: its own content-type parsing (NDJSON) and its own error bodies.
    const ok = await post(s, '/api/v1/events', '{"message":"a"}\n{"message":"b"}\n', { headers: { authorization: `Bearer ${T.acmeIngest}`, 'content-type': 'application/x-ndjson' } });
    assert.deepEqual([ok.status, ok.json], [200, { accepted: 2 }]);
    const denied = await post(s, '/api/v1/events', 'x', { token: null });
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.code, 'unauthorized');
    const elsewhere = await req(s, 'GET', '/nowhere', { token: null });
    assert.equal(elsewhere.json.error.code, 'not_found');
  });
});

describe('Splunk HEC with indexer acknowledgement off', () => {
  let s: Server;
  before(async () => {
    s = await startServer({ ack: false });
  });
  after(async () => stopServer(s));

  test('/ack answers code 14 and a channel gets no ack id', async () => {
    const q = await post(s, '/services/collector/ack', '{"acks":[0]}', { headers: { 'x-splunk-request-channel': CH } });
    assert.deepEqual([q.status, q.json], [400, { text: 'ACK is disabled', code: 14 }]);
    const r = await post(s, '/services/collector/event', '{"event":"x"}', { headers: { 'x-splunk-request-channel': CH } });
    assert.deepEqual([r.status, r.json], [200, SUCCESS]);
  });
});
