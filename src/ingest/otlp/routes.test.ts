// POST /v1/logs on a real Fastify server (Vigil's own, with its auth hook) over a real Intake and WAL in
// a temp dir: real HTTP requests in both OTLP encodings, OTLP's exact answers, and what lands on disk.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { type ReadEntry } from '../../queue/wal.js';
import { processEntry } from '../../process/pipeline.js';
import { ParserRegistry } from '../../process/parsers/registry.js';
import { hecRoutes } from '../hec/index.js';
import { decodeLogsResponseProtobuf, decodeStatusProtobuf, encodeLogsRequestProtobuf, type ExportLogsRequest, type OtlpLogRecord } from '../../wire/otlp-logs.js';
import { handExportRequest } from '../../../test/helpers/otlp-proto.js';
import { otlpRoutes, OTLP_INPUT } from './index.js';
import { startTestServer, stopTestServer, TEST_TOKENS, type TestServer } from '../http-test-server.js';

const BODY_LIMIT = 64 * 1024;
const MAX_LINE = 2048;
const T = TEST_TOKENS;
const PB = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

type Server = TestServer;

async function startServer(): Promise<Server> {
  return startTestServer({
    input: OTLP_INPUT,
    bodyLimit: BODY_LIMIT,
    maxLineBytes: MAX_LINE,
    register: async (app, deps) => {
      // Registered beside HEC, as main.ts does: each keeps its own body parsing and error shapes.
      await app.register(hecRoutes, deps);
      await app.register(otlpRoutes, deps);
    },
  });
}

interface Res {
  status: number;
  type: string;
  body: Buffer;
  headers: Headers;
}

async function post(s: Server, body: string | Buffer, opts: { type?: string | null; token?: string | null; headers?: Record<string, string>; path?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const type = opts.type === undefined ? PB : opts.type;
  if (type !== null) headers['content-type'] = type;
  const token = opts.token === undefined ? T.acmeIngest : opts.token;
  if (token !== null) headers.authorization ??= `Bearer ${token}`;
  const r = await fetch(s.url + (opts.path ?? '/v1/logs'), { method: 'POST', headers, body });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

const json = (r: Res) => JSON.parse(r.body.toString('utf8'));

/** POSTs headers that declare a body but sends none of it, and waits for the answer. */
function postWithoutBody(s: Server, headers: Record<string, string>): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(s.url + '/v1/logs');
    const r = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-length': '50000', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] as string | undefined });
        r.destroy();
      });
    });
    r.on('error', reject);
    r.flushHeaders();
  });
}

/** The stored envelopes of entries, with each entry's metadata. */
function envelopes(entries: ReadEntry[]) {
  return entries.flatMap((e) => e.entry.records.map((r) => ({ meta: e.entry.meta, doc: JSON.parse(r.toString('utf8')) })));
}

function record(over: Partial<OtlpLogRecord>): OtlpLogRecord {
  return { timeUnixNano: 0n, observedTimeUnixNano: 0n, severityNumber: 0, severityText: '', eventName: '', body: { type: 'empty' }, attributes: [], droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', ...over };
}

function request(records: OtlpLogRecord[], resource: Record<string, string> = { 'service.name': 'api' }, scopeName = 'scope'): ExportLogsRequest {
  return {
    resourceLogs: [
      {
        schemaUrl: '',
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { type: 'string', value } })), droppedAttributesCount: 0 },
        scopeLogs: [{ schemaUrl: '', scope: { name: scopeName, version: '', attributes: [], droppedAttributesCount: 0 }, logRecords: records }],
      },
    ],
  };
}

const SSH_LINE = '<38>Nov 23 08:00:00 bastion2 sshd[77]: Failed password for alice from 198.51.100.7 port 4022 ssh2';

describe('OTLP/HTTP logs on a real server', () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(async () => stopTestServer(s));

  test('protobuf assembled by hand: 200 with an empty response once on disk, one envelope per record', async () => {
    const body = handExportRequest({
      resource: { 'service.name': 'sshd', 'host.name': 'bastion2' },
      scope: { name: 'filelog', version: '0.99' },
      records: [
        { time: 1_795_420_800_000_000_000n, severityText: 'INFO', severityNumber: 9, body: SSH_LINE, attributes: { 'log.file.path': '/var/log/auth.log' } },
        { observed: 1_795_420_801_000_000_000n, body: 'second record', traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
      ],
    });
    const r = await post(s, body);
    assert.equal(r.status, 200);
    assert.equal(r.type, PB);
    assert.equal(r.body.length, 0, 'an empty ExportLogsServiceResponse is zero bytes');
    const entries = await s.newEntries();
    assert.equal(entries.length, 1, 'one (resource, scope) pair is one WAL entry');
    const meta = entries[0]!.entry.meta;
    assert.deepEqual({ ...meta, received: 0 }, { tenant: 'acme', input: 'otlp', codec: 'json', received: 0, peer: '127.0.0.1', envelope: true });
    const docs = envelopes(entries).map((e) => e.doc);
    assert.deepEqual(docs[0], {
      message: SSH_LINE,
      '@timestamp': '2026-11-23T08:00:00.000Z',
      log: { level: 'INFO', file: { path: '/var/log/auth.log' } },
      event: { severity: 9 },
      service: { name: 'sshd' },
      host: { name: 'bastion2' },
      otel: { scope: { name: 'filelog', version: '0.99' } },
    });
    assert.equal(docs[1].message, 'second record');
    assert.equal(docs[1]['@timestamp'], '2026-11-23T08:00:01.000Z');
    assert.deepEqual([docs[1].trace.id, docs[1].span.id], ['5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174']);

    // The process stage reads the envelope: the line through its parser, the resource filling the rest.
    const events = entries.flatMap((e) => processEntry(e, { registry: new ParserRegistry() })).map((p) => p.doc as any);
    assert.equal(events[0].vigil.parse.parser, 'sshd');
    assert.equal(events[0].user.name, 'alice');
    assert.equal(events[0].source.ip, '198.51.100.7');
    assert.equal(events[0].event.original, SSH_LINE);
    assert.equal(events[0].service.name, 'sshd');
    assert.equal(events[0].vigil.input, 'otlp');
    assert.equal(events[1].host.name, 'bastion2');
  });

  test('OTLP/JSON with every AnyValue kind: 200 with {} and the values kept in the envelope', async () => {
    const body = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }, { key: 'deployment.environment', value: { stringValue: 'prod' } }] },
          scopeLogs: [
            {
              scope: { name: 'io.example.logger' },
              logRecords: [
                {
                  timeUnixNano: '1700000000000000000',
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: {
                    kvlistValue: {
                      values: [
                        { key: 'msg', value: { stringValue: 'payment declined' } },
                        { key: 'amount', value: { doubleValue: 12.5 } },
                        { key: 'attempt', value: { intValue: '3' } },
                        { key: 'retry', value: { boolValue: false } },
                        { key: 'card', value: { kvlistValue: { values: [{ key: 'last4', value: { stringValue: '4242' } }] } } },
                        { key: 'codes', value: { arrayValue: { values: [{ intValue: 51 }, { stringValue: 'do_not_honor' }] } } },
                        { key: 'blob', value: { bytesValue: 'AAEC' } },
                      ],
                    },
                  },
                  attributes: [{ key: 'http.response.status_code', value: { intValue: 402 } }, { key: 'order.id', value: { stringValue: 'o-77' } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const r = await post(s, body, { type: 'application/json; charset=utf-8' });
    assert.equal(r.status, 200);
    assert.equal(r.type, JSON_TYPE);
    assert.deepEqual(json(r), {});
    const [stored] = envelopes(await s.newEntries());
    assert.deepEqual(stored!.doc, {
      message: 'payment declined',
      amount: 12.5,
      attempt: 3,
      retry: false,
      card: { last4: '4242' },
      codes: [51, 'do_not_honor'],
      blob: 'AAEC',
      '@timestamp': '2023-11-14T22:13:20.000Z',
      http: { response: { status_code: 402 } },
      labels: { order_id: 'o-77' },
      log: { level: 'ERROR' },
      event: { severity: 17 },
      service: { name: 'billing', environment: 'prod' },
      otel: { scope: { name: 'io.example.logger' } },
    });
  });

  test('gzip bodies in both encodings', async () => {
    const req = request([record({ body: { type: 'string', value: 'zipped protobuf' } })]);
    const pb = await post(s, gzipSync(encodeLogsRequestProtobuf(req)), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(pb.status, 200);
    const js = await post(s, gzipSync(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'zipped json' } }] }] }] })), {
      type: JSON_TYPE,
      headers: { 'content-encoding': 'gzip' },
    });
    assert.equal(js.status, 200);
    assert.deepEqual(envelopes(await s.newEntries()).map((e) => e.doc.message), ['zipped protobuf', 'zipped json']);
  });

  test('partial success: a record too long to store is refused alone, counted and explained, in both encodings', async () => {
    const req = request([record({ body: { type: 'string', value: 'kept 1' } }), record({ body: { type: 'string', value: 'y'.repeat(MAX_LINE) } }), record({ body: { type: 'string', value: 'kept 2' } })]);
    const pb = await post(s, Buffer.from(encodeLogsRequestProtobuf(req)));
    assert.equal(pb.status, 200);
    const partial = decodeLogsResponseProtobuf(pb.body);
    assert.equal(partial?.rejectedLogRecords, 1);
    assert.match(partial!.errorMessage, /^1 of 3 log records refused: longer than the limit of 2048 bytes per record \(http\.max_line_bytes\); the first, resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\] is \d+ bytes/);
    const js = await post(s, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'z'.repeat(MAX_LINE) } }] }] }] }), { type: JSON_TYPE });
    assert.equal(js.status, 200);
    assert.equal(json(js).partialSuccess.rejectedLogRecords, '1');
    assert.deepEqual(envelopes(await s.newEntries()).map((e) => e.doc.message), ['kept 1', 'kept 2']);
    assert.equal(await counter(s, 'vigil_events_dropped_total', { input: 'otlp', reason: 'too_large' }), 2);
  });

  test('several resources and scopes: one entry each, each record with its own resource and scope', async () => {
    const req: ExportLogsRequest = {
      resourceLogs: [
        { ...request([record({ body: { type: 'string', value: 'a1' } }), record({ body: { type: 'string', value: 'a2' } })], { 'service.name': 'a' }, 'sa').resourceLogs[0]! },
        { ...request([record({ body: { type: 'string', value: 'b1' } })], { 'service.name': 'b' }, 'sb').resourceLogs[0]! },
      ],
    };
    assert.equal((await post(s, Buffer.from(encodeLogsRequestProtobuf(req)))).status, 200);
    const entries = await s.newEntries();
    assert.equal(entries.length, 2);
    assert.deepEqual(
      envelopes(entries).map((e) => [e.doc.message, e.doc.service.name, e.doc.otel.scope.name]),
      [['a1', 'a', 'sa'], ['a2', 'a', 'sa'], ['b1', 'b', 'sb']],
    );
  });

  test('an empty request is a success that stores nothing', async () => {
    assert.equal((await post(s, Buffer.alloc(0))).status, 200);
    assert.deepEqual(json(await post(s, '{"resourceLogs":[]}', { type: JSON_TYPE })), {});
    assert.equal((await s.newEntries()).length, 0);
  });

  test('a body that does not decode is 400 with google.rpc.Status naming the problem, and nothing is stored', async () => {
    const garbage = await post(s, Buffer.from('this is not protobuf at all'));
    assert.equal(garbage.status, 400);
    assert.equal(garbage.type, PB);
    const st = decodeStatusProtobuf(garbage.body);
    assert.equal(st.code, 3);
    assert.match(st.message, /^body: not a protobuf ExportLogsServiceRequest: invalid wire type/);

    const whole = handExportRequest({ resource: { 'service.name': 'x' }, records: [{ body: 'will be cut' }] });
    const truncated = await post(s, whole.subarray(0, whole.length - 4));
    assert.equal(truncated.status, 400);
    assert.match(decodeStatusProtobuf(truncated.body).message, /it is truncated/);

    const badJson = await post(s, '{"resourceLogs":[', { type: JSON_TYPE });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.type, JSON_TYPE);
    assert.equal(json(badJson).code, 3);
    assert.match(json(badJson).message, /^body: not valid JSON/);

    const badId = await post(s, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }, { traceId: 'W47/95gDgQPSabYzgT/GDA==' }] }] }] }), { type: JSON_TYPE });
    assert.deepEqual(json(badId), { code: 3, message: 'resourceLogs[0].scopeLogs[0].logRecords[1].traceId: a trace id is 32 hex digits in OTLP/JSON (not base64), got "W47/95gDgQPSabYzgT/GDA=="' });

    const brokenGzip = gzipSync(encodeLogsRequestProtobuf(request([record({ body: { type: 'string', value: 'x'.repeat(500) } })])));
    const cut = await post(s, brokenGzip.subarray(0, brokenGzip.length - 8), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(cut.status, 400);
    assert.match(decodeStatusProtobuf(cut.body).message, /^body is not valid gzip/);
    assert.equal((await s.newEntries()).length, 0);
  });

  test('415 for a Content-Type or Content-Encoding OTLP does not define', async () => {
    const text = await post(s, 'hello', { type: 'text/plain' });
    assert.equal(text.status, 415);
    assert.deepEqual(json(text), { code: 3, message: 'Content-Type "text/plain": OTLP/HTTP takes application/x-protobuf or application/json' });
    const none = await post(s, 'hello', { type: null });
    assert.equal(none.status, 415);
    const br = await post(s, Buffer.alloc(10), { headers: { 'content-encoding': 'br' } });
    assert.equal(br.status, 415);
    assert.match(decodeStatusProtobuf(br.body).message, /unsupported Content-Encoding "br"/);
  });

  test('413 for a body over the limit, declared or inflated', async () => {
    const big = await postWithoutBody(s, { authorization: `Bearer ${T.acmeIngest}`, 'content-type': JSON_TYPE, 'content-length': String(BODY_LIMIT + 1) });
    assert.equal(big.status, 413);
    assert.equal(JSON.parse(big.body).code, 3);
    const sent = await post(s, Buffer.alloc(BODY_LIMIT + 100));
    assert.equal(sent.status, 413);
    assert.match(decodeStatusProtobuf(sent.body).message, /larger than the limit of 65536 bytes/);
    const bomb = gzipSync(Buffer.alloc(4 * BODY_LIMIT));
    const inflated = await post(s, bomb, { type: JSON_TYPE, headers: { 'content-encoding': 'gzip' } });
    assert.equal(inflated.status, 413);
    assert.deepEqual(json(inflated), { code: 3, message: 'the gzip body inflates past the limit of 65536 bytes' });
    assert.equal((await s.newEntries()).length, 0);
  });

  test('auth: no token or an unknown one 401, a read token 403, each as a Status in the request encoding', async () => {
    const body = '{"resourceLogs":[]}';
    const none = await post(s, body, { type: JSON_TYPE, token: null });
    assert.equal(none.status, 401);
    assert.deepEqual(json(none), { code: 16, message: 'missing token: send "Authorization: Bearer <token>"' });
    const unknown = await post(s, body, { type: JSON_TYPE, token: 'no-such-token-0123456789' });
    assert.equal(unknown.status, 401);
    assert.equal(json(unknown).code, 16);
    const splunk = await post(s, body, { type: JSON_TYPE, headers: { authorization: `Splunk ${T.acmeIngest}` } });
    assert.equal(splunk.status, 401, 'only Bearer is OTLP\'s scheme');
    const read = await post(s, Buffer.alloc(0), { token: T.acmeRead });
    assert.equal(read.status, 403);
    assert.equal(read.type, PB);
    assert.deepEqual(decodeStatusProtobuf(read.body), { code: 7, message: 'this endpoint needs a token with scope ingest or admin; yours is read' });
  });

  test('tenants: the token decides; an admin token may name one with X-Vigil-Tenant; others may not', async () => {
    const one = (msg: string) => Buffer.from(encodeLogsRequestProtobuf(request([record({ body: { type: 'string', value: msg } })])));
    assert.equal((await post(s, one('globex own'), { token: T.globexIngest })).status, 200);
    assert.equal((await post(s, one('admin for globex'), { token: T.acmeAdmin, headers: { 'x-vigil-tenant': 'globex' } })).status, 200);
    assert.equal((await post(s, one('admin by query'), { token: T.acmeAdmin, path: '/v1/logs?tenant=globex' })).status, 200);
    const foreign = await post(s, one('nope'), { headers: { 'x-vigil-tenant': 'globex' } });
    assert.equal(foreign.status, 403);
    assert.equal(decodeStatusProtobuf(foreign.body).code, 7);
    const unknown = await post(s, one('nope'), { token: T.acmeAdmin, headers: { 'x-vigil-tenant': 'initech' } });
    assert.equal(unknown.status, 404);
    assert.deepEqual(decodeStatusProtobuf(unknown.body), { code: 5, message: 'no tenant named "initech"' });
    assert.deepEqual(
      envelopes(await s.newEntries()).map((e) => [e.meta.tenant, e.doc.message]),
      [['globex', 'globex own'], ['globex', 'admin for globex'], ['globex', 'admin by query']],
    );
  });

  test('overload: 503 with Retry-After and an UNAVAILABLE Status before the body is sent; accepted again after', async () => {
    s.setLagging(true);
    try {
      const r = await postWithoutBody(s, { authorization: `Bearer ${T.acmeIngest}`, 'content-type': JSON_TYPE });
      assert.equal(r.status, 503);
      assert.equal(r.retryAfter, '1');
      assert.equal(JSON.parse(r.body).code, 14);
      const pb = await post(s, Buffer.alloc(0));
      assert.equal(pb.status, 503);
      assert.equal(pb.headers.get('retry-after'), '1');
      assert.equal(decodeStatusProtobuf(pb.body).code, 14);
    } finally {
      s.setLagging(false);
    }
    const ok = await post(s, Buffer.from(encodeLogsRequestProtobuf(request([record({ body: { type: 'string', value: 'after relief' } })]))));
    assert.equal(ok.status, 200);
    assert.deepEqual(envelopes(await s.newEntries()).map((e) => e.doc.message), ['after relief']);
    assert.ok((await counter(s, 'vigil_requests_rejected_total', { input: 'otlp', reason: 'overloaded' })) >= 2);
  });
});

async function counter(s: Server, name: string, labels: Record<string, string>): Promise<number> {
  const m = await s.metrics.registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}
