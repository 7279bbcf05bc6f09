// The Elasticsearch surface on a real HTTP server over a real WAL: each shipper's start-up and its
// _bulk requests as it sends them (method, path, headers, gzip), and what reaches the queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Wal } from '../../queue/wal.js';
import { Intake, type IntakeLimits } from '../../queue/intake.js';
import type { EntryMeta } from '../../queue/entry.js';
import { Metrics } from '../../core/metrics.js';
import { createLogger } from '../../core/log.js';
import { TokenStore } from '../../auth/tokens.js';
import { AuditLog } from '../../auth/audit.js';
import { buildHttpServer } from '../../http/server.js';
import { eventsRoute } from '../http/events-route.js';
import { esRoutes } from './routes.js';

const INGEST = 'acme-ingest-0123456789abcdef';
const READ = 'acme-read-0123456789abcdef';
const ADMIN = 'platform-admin-0123456789abcdef';
const OTHER = 'other-ingest-0123456789abcdef';
const BODY_LIMIT = 256 * 1024;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const apiKey = (token: string) => `ApiKey ${b64(`beats-key-id:${token}`)}`;
const basic = (token: string) => `Basic ${b64(`elastic:${token}`)}`;

let wal: Wal;
let app: FastifyInstance;
let audit: AuditLog;
let url: string;
const limits: IntakeLimits = { maxPendingBytes: 1 << 30, maxLagBytes: 1 << 30 };

before(async () => {
  wal = await Wal.open({ dir: mkdtempSync(join(tmpdir(), 'vigil-es-')) });
  const metrics = new Metrics();
  // Nothing consumes the queue here: its lag is everything written, which the back-pressure test uses.
  const intake = new Intake(wal, limits, metrics, () => 0);
  const log = createLogger('silent');
  const tokens = new TokenStore();
  tokens.addSecret(INGEST, 'acme', 'ingest', 'config');
  tokens.addSecret(READ, 'acme', 'read', 'config');
  tokens.addSecret(ADMIN, 'default', 'admin', 'config');
  tokens.addSecret(OTHER, 'other', 'ingest', 'config');
  audit = new AuditLog(intake, log);
  const tenantExists = (t: string) => ['acme', 'other', 'default'].includes(t);
  app = buildHttpServer({ tokens, audit, metrics, log, bodyLimit: BODY_LIMIT });
  // Registered beside Vigil's own HTTP input, as main.ts does: each keeps its own body parsers.
  await app.register(eventsRoute, { intake, metrics, tenantExists, parserExists: () => true, maxLineBytes: 64 * 1024, bodyLimit: BODY_LIMIT, maxInflightBytes: 1 << 30 });
  await app.register(esRoutes, { intake, metrics, tenantExists, bodyLimit: BODY_LIMIT, maxLineBytes: 64 * 1024 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

after(async () => {
  await app.close();
  await audit.flush();
  await wal.close();
});

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function es(method: string, path: string, opts: { auth?: string | null; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.auth !== null) headers.authorization = opts.auth ?? apiKey(INGEST);
  const res = await fetch(url + path, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Every record this input queued, in order. */
async function queued(): Promise<{ meta: EntryMeta & { index?: string }; text: string; raw: Buffer }[]> {
  const out: { meta: EntryMeta & { index?: string }; text: string; raw: Buffer }[] = [];
  let pos = 0;
  for (;;) {
    const r = await wal.read(pos, 1 << 20);
    if (r.next === pos) break;
    for (const e of r.entries) {
      if (e.entry.meta.input !== 'elasticsearch') continue;
      for (const rec of e.entry.records) out.push({ meta: e.entry.meta, text: rec.toString('utf8'), raw: Buffer.from(rec) });
    }
    pos = r.next;
  }
  return out;
}

const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

function assertEsError(r: Res, status: number, type: string, reason?: RegExp) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal(r.json.status, status);
  assert.equal(r.json.error.type, type);
  assert.equal(r.json.error.root_cause[0].type, type);
  if (reason) assert.match(r.json.error.reason, reason);
}

const FILEBEAT = { 'user-agent': 'Elastic-filebeat/8.17.0 (linux; amd64; 8b9a7e2; 2024-12-10 12:00:00 +0000 UTC)', accept: 'application/json', 'x-elastic-product-origin': 'beats' };

test('Filebeat 8 start-up: version document, template, ILM policy and pipeline checks, each installed when missing', async () => {
  const root = await es('GET', '/', { headers: FILEBEAT });
  assert.equal(root.status, 200);
  assert.equal(root.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.match(root.headers.get('content-type')!, /^application\/json/);
  assert.equal(root.json.version.number, '8.17.0');
  assert.equal(root.json.version.build_flavor, 'default');
  assert.equal(root.json.tagline, 'You Know, for Search');
  assert.equal(root.json.version.minimum_wire_compatibility_version, '7.17.0');
  assert.equal(typeof root.json.cluster_uuid, 'string');
  const head = await es('HEAD', '/', { headers: FILEBEAT });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal(head.text, '');

  const tpl = '/_index_template/filebeat-8.17.0';
  assert.equal((await es('HEAD', tpl, { headers: FILEBEAT })).status, 404);
  const template = { index_patterns: ['filebeat-8.17.0'], data_stream: {}, priority: 150, template: { settings: { 'index.lifecycle.name': 'filebeat' } } };
  const put = await es('PUT', tpl, { headers: { ...FILEBEAT, 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(template)) });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.json, { acknowledged: true });
  assert.equal((await es('HEAD', tpl, { headers: FILEBEAT })).status, 200);
  const got = await es('GET', tpl);
  assert.deepEqual(got.json, { index_templates: [{ name: 'filebeat-8.17.0', index_template: template }] });
  assertEsError(await es('GET', '/_index_template/nope'), 404, 'resource_not_found_exception', /index template matching \[nope\] not found/);

  const policy = '/_ilm/policy/filebeat';
  assertEsError(await es('GET', policy, { headers: FILEBEAT }), 404, 'resource_not_found_exception', /Lifecycle policy not found/);
  const body = { policy: { phases: { hot: { actions: { rollover: { max_age: '30d' } } } } } };
  assert.deepEqual((await es('PUT', policy, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json, { acknowledged: true });
  const p = await es('GET', policy);
  assert.equal(p.status, 200);
  assert.deepEqual(p.json.filebeat.policy, body.policy);

  const pipeline = '/_ingest/pipeline/filebeat-8.17.0-system-auth-pipeline';
  const missing = await es('GET', pipeline);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, {});
  assert.equal((await es('PUT', pipeline, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processors: [{ set: { field: 'a', value: 1 } }] }) })).status, 200);
  assert.equal((await es('GET', pipeline)).json['filebeat-8.17.0-system-auth-pipeline'].processors.length, 1);

  // Installed things are the tenant's own.
  assert.equal((await es('HEAD', tpl, { auth: apiKey(OTHER) })).status, 404);
  // A PUT that is not JSON is refused as Elasticsearch refuses it.
  assertEsError(await es('PUT', '/_index_template/bad', { headers: { 'content-type': 'application/json' }, body: '{nope' }), 400, 'x_content_parse_exception');
});

test('Filebeat 8 _bulk: gzip body, filter_path answer, ECS documents queued byte for byte under the token tenant', async () => {
  const before = (await queued()).length;
  const docs = [
    '{"@timestamp":"2024-05-01T10:00:00.000Z","event":{"code":"4625","provider":"Microsoft-Windows-Security-Auditing","kind":"event"},"winlog":{"channel":"Security","record_id":18446744073709551615,"event_data":{"TargetUserName":"bob"}},"host":{"name":"DC01"},"agent":{"type":"winlogbeat","version":"8.17.0"},"ecs":{"version":"8.0.0"}}',
    '{"@timestamp":"2024-05-01T10:00:01.123Z","message":"Failed password for root from 203.0.113.9 port 22 ssh2","log":{"file":{"path":"/var/log/auth.log"},"offset":1024},"input":{"type":"filestream"},"ecs":{"version":"8.0.0"},"x":1.0}',
  ];
  const body = ndjson({ create: { _index: 'filebeat-8.17.0' } }, docs[0], { create: { _index: 'filebeat-8.17.0' } }, docs[1]);
  const r = await es('POST', '/_bulk?filter_path=errors,items.*.error,items.*.status', {
    headers: { ...FILEBEAT, 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' },
    body: gzipSync(body),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.deepEqual(r.json, { errors: false, items: [{ create: { status: 201 } }, { create: { status: 201 } }] });

  const recs = (await queued()).slice(before);
  assert.equal(recs.length, 2);
  for (const [i, rec] of recs.entries()) {
    assert.equal(rec.raw.equals(Buffer.from(docs[i]!)), true, 'the document is queued exactly as sent');
    assert.equal(rec.meta.tenant, 'acme');
    assert.equal(rec.meta.codec, 'json');
    assert.equal(rec.meta.index, 'filebeat-8.17.0');
    assert.equal(rec.meta.peer, '127.0.0.1');
  }
});

const LOGSTASH = { 'user-agent': 'Logstash/8.17.0 (OS=Linux-6.1.0-amd64; JVM=Eclipse Adoptium 21.0.5) logstash-output-elasticsearch/11.22.9' };

test('Logstash start-up: HEAD /, GET / product check, active license, no ILM, template install', async () => {
  assert.equal((await es('HEAD', '/', { auth: basic(INGEST), headers: LOGSTASH })).status, 200);
  const root = await es('GET', '/', { auth: basic(INGEST), headers: LOGSTASH });
  // Logstash's elasticsearch?() for >= 7.14: the X-Elastic-Product header must say Elasticsearch.
  assert.equal(root.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal(root.json.version.number.split('.')[0], '8');
  const lic = await es('GET', '/_license', { auth: basic(INGEST), headers: LOGSTASH });
  assert.equal(lic.status, 200);
  assert.equal(lic.json.license.status, 'active');
  const xpack = await es('GET', '/_xpack', { auth: basic(INGEST), headers: LOGSTASH });
  assert.equal(xpack.json.features.ilm.available, false, 'Logstash then leaves ILM off instead of creating rollover aliases');
  assert.equal((await es('HEAD', '/_index_template/ecs-logstash', { auth: basic(INGEST), headers: LOGSTASH })).status, 404);
  const put = await es('PUT', '/_index_template/ecs-logstash', { auth: basic(INGEST), headers: { ...LOGSTASH, 'content-type': 'application/json' }, body: JSON.stringify({ index_patterns: 'ecs-logstash-*', template: {} }) });
  assert.equal(put.status, 200);
  const cat = await es('GET', '/_cat/templates?format=json', { auth: basic(INGEST) });
  assert.ok(cat.json.some((t: any) => t.name === 'ecs-logstash'));
});

test('Logstash _bulk with index actions: the full per-item answer Elasticsearch gives', async () => {
  const before = (await queued()).length;
  const doc = '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"hello","@version":"1","host":{"hostname":"ls1"}}';
  const r = await es('POST', '/_bulk', {
    auth: basic(INGEST),
    headers: { ...LOGSTASH, 'content-type': 'application/json' },
    body: ndjson({ index: { _id: 'abc', _index: 'ecs-logstash-2024.05.01', routing: null } }, doc, { create: { _index: 'logs-generic-default' } }, doc),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.errors, false);
  assert.equal(typeof r.json.took, 'number');
  assert.match(r.text, /^\{"took":\d+,"errors":false,"items":\[/, "Elasticsearch's key order");
  const [a, b] = r.json.items;
  assert.deepEqual(Object.keys(a), ['index']);
  assert.equal(a.index._index, 'ecs-logstash-2024.05.01');
  assert.equal(a.index._id, 'abc');
  assert.equal(a.index.status, 201);
  assert.equal(a.index.result, 'created');
  assert.equal(a.index._version, 1);
  assert.equal(a.index._primary_term, 1);
  assert.deepEqual(a.index._shards, { total: 1, successful: 1, failed: 0 });
  assert.equal(b.create._seq_no, a.index._seq_no + 1);
  assert.match(b.create._id, /^[A-Za-z0-9_-]{20}$/, 'a generated id');
  const recs = (await queued()).slice(before);
  assert.deepEqual(recs.map((x) => [x.meta.index, x.text]), [
    ['ecs-logstash-2024.05.01', doc],
    ['logs-generic-default', doc],
  ]);
});

const FLUENT_BIT = { 'user-agent': 'Fluent-Bit', 'content-type': 'application/x-ndjson' };

test('Fluent Bit _bulk: delete, update and a malformed document fail alone; the rest are stored', async () => {
  const before = (await queued()).length;
  const ok = ['{"@timestamp":"2024-05-01T10:00:00.000Z","log":"one"}', '{"@timestamp":"2024-05-01T10:00:01.000Z","log":"two"}', '{"log":"three"}'];
  const body = ndjson(
    { create: { _index: 'fluent-bit', _type: '_doc' } }, ok[0],
    { index: { _index: 'fluent-bit', _type: '_doc' } }, ok[1],
    { delete: { _index: 'fluent-bit', _id: 'x1' } },
    { update: { _index: 'fluent-bit', _id: 'x2' } }, { doc: { log: 'changed' } },
    { create: { _index: 'fluent-bit' } }, '{"log":"unterminated',
    { create: { _index: 'fluent-bit' } }, ok[2],
  );
  const r = await es('POST', '/_bulk', { auth: basic(INGEST), headers: FLUENT_BIT, body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.errors, true);
  const summary = r.json.items.map((it: any) => {
    const [action, v] = Object.entries(it)[0] as [string, any];
    return [action, v.status, v.error?.type ?? null];
  });
  assert.deepEqual(summary, [
    ['create', 201, null],
    ['index', 201, null],
    ['delete', 400, 'illegal_argument_exception'],
    ['update', 400, 'illegal_argument_exception'],
    ['create', 400, 'document_parsing_exception'],
    ['create', 201, null],
  ]);
  assert.equal(r.json.items[2].delete._id, 'x1');
  assert.match(r.json.items[4].create.error.reason, /^\[9:1\] failed to parse/);
  const recs = (await queued()).slice(before);
  assert.deepEqual(recs.map((x) => x.text), ok);
});

test('rsyslog omelasticsearch: /_cat/health answers as Elasticsearch (text, or JSON with format=json)', async () => {
  const text = await es('GET', '/_cat/health', { auth: basic(INGEST) });
  assert.equal(text.status, 200);
  assert.match(text.text, /^\d+ \d\d:\d\d:\d\d \S+ green 1 1\n$/);
  assert.equal(text.headers.get('x-elastic-product'), 'Elasticsearch');
  const json = await es('GET', '/_cat/health?format=json', { auth: basic(INGEST) });
  assert.equal(json.json[0].status, 'green');
  assert.equal((await es('GET', '/_cat/health', { auth: null })).status, 401);
});

test('Vector: health check, then /{index}/_bulk with the index in the URL, PUT allowed', async () => {
  const health = await es('GET', '/_cluster/health', { auth: basic(INGEST), headers: { 'user-agent': 'Vector/0.43.0' } });
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'green');
  const before = (await queued()).length;
  const r = await es('PUT', '/vector-2024.05.01/_bulk?timeout=60s&refresh=false&pipeline=nothing', {
    auth: basic(INGEST),
    headers: { 'user-agent': 'Vector/0.43.0', 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    body: gzipSync(ndjson({ create: {} }, { message: 'v', timestamp: '2024-05-01T10:00:00Z' })),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items[0].create._index, 'vector-2024.05.01');
  const recs = (await queued()).slice(before);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.meta.index, 'vector-2024.05.01');
});

test('a malformed action line refuses the whole request in Elasticsearch shape, and nothing is stored', async () => {
  const before = (await queued()).length;
  const r = await es('POST', '/_bulk', { headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { a: 1 }, 'garbage', { a: 2 }) });
  assertEsError(r, 400, 'illegal_argument_exception', /^Malformed action\/metadata line \[3\]/);
  const noIndex = await es('POST', '/_bulk', { headers: FLUENT_BIT, body: ndjson({ create: {} }, { a: 1 }) });
  assertEsError(noIndex, 400, 'action_request_validation_exception', /index is missing/);
  assert.equal((await queued()).length, before);
});

test('authentication: ApiKey, Basic and Bearer; missing or wrong credentials 401, a read token 403', async () => {
  for (const auth of [apiKey(INGEST), basic(INGEST), `Bearer ${INGEST}`, apiKey(ADMIN)]) {
    assert.equal((await es('GET', '/', { auth })).status, 200, auth);
  }
  const none = await es('POST', '/_bulk', { auth: null, headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { a: 1 }) });
  assertEsError(none, 401, 'security_exception', /^missing authentication credentials for REST request \[\/_bulk\]$/);
  assert.match(none.headers.get('www-authenticate')!, /Basic/);
  assertEsError(await es('GET', '/', { auth: apiKey('not-a-token-at-all') }), 401, 'security_exception', /unable to authenticate/);
  assertEsError(await es('GET', '/', { auth: basic('wrong') }), 401, 'security_exception');
  assertEsError(await es('POST', '/_bulk', { auth: apiKey(READ), headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { a: 1 }) }), 403, 'security_exception', /scope ingest or admin; yours is read/);
  // An ingest token writes to its own tenant only; an admin token may name one.
  assertEsError(await es('POST', '/_bulk?tenant=other', { headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { a: 1 }) }), 403, 'security_exception');
  const before = (await queued()).length;
  assert.equal((await es('POST', '/_bulk', { auth: apiKey(OTHER), headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { who: 'other' }) })).status, 200);
  assert.equal((await es('POST', '/_bulk?tenant=acme', { auth: apiKey(ADMIN), headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { who: 'admin' }) })).status, 200);
  assertEsError(await es('POST', '/_bulk?tenant=ghost', { auth: apiKey(ADMIN), headers: FLUENT_BIT, body: ndjson({ create: { _index: 'x' } }, { a: 1 }) }), 404, 'resource_not_found_exception', /no tenant named "ghost"/);
  const recs = (await queued()).slice(before);
  assert.deepEqual(recs.map((x) => [x.meta.tenant, x.text]), [
    ['other', '{"who":"other"}'],
    ['acme', '{"who":"admin"}'],
  ]);
});

/** Sends headers declaring a body but no body, and reads the answer (see test/helpers/server.ts). */
function declareOnly(path: string, length: number, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url + path);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: { authorization: apiKey(INGEST), 'content-type': 'application/x-ndjson', 'content-length': length, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : null });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('back-pressure: 429 es_rejected_execution_exception with Retry-After, before the body is read', async () => {
  const saved = limits.maxLagBytes;
  limits.maxLagBytes = 0; // everything queued so far now counts as lag
  try {
    const r = await declareOnly('/_bulk', 10_000);
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(r.headers['x-elastic-product'], 'Elasticsearch');
    assert.equal(r.json.error.type, 'es_rejected_execution_exception');
    assert.equal(r.json.status, 429);
    // Probes still answer, so a shipper keeps its connection and retries the bulk.
    assert.equal((await es('GET', '/')).status, 200);
  } finally {
    limits.maxLagBytes = saved;
  }
});

test('bodies over the limit, plain or once decompressed, get 413 in Elasticsearch shape', async () => {
  const r = await declareOnly('/_bulk', BODY_LIMIT + 1);
  assert.equal(r.status, 413);
  assert.equal(r.json.status, 413);
  assert.match(r.json.error.reason, new RegExp(`limit of ${BODY_LIMIT} bytes`));
  const bomb = gzipSync(Buffer.alloc(BODY_LIMIT * 4, 0x20));
  const z = await es('POST', '/_bulk', { headers: { ...FLUENT_BIT, 'content-encoding': 'gzip' }, body: bomb });
  assertEsError(z, 413, 'content_too_long_exception', /decompressed request body/);
});

test('unknown endpoints and wrong methods answer in Elasticsearch shape; other paths stay Vigil', async () => {
  assertEsError(await es('GET', '/_security/_authenticate'), 400, 'illegal_argument_exception', /^no handler found for uri \[\/_security\/_authenticate\] and method \[GET\]$/);
  const wrong = await es('GET', '/_bulk');
  assertEsError(wrong, 405, 'illegal_argument_exception', /Incorrect HTTP method for uri \[\/_bulk\] and method \[GET\], allowed: \[POST, PUT\]/);
  // Vigil's own 404 and HTTP input are untouched by this plugin's parsers and handlers.
  const vigil404 = await es('GET', '/no/such/thing', { auth: null });
  assert.equal(vigil404.status, 404);
  assert.equal(vigil404.json.error.code, 'not_found');
  assert.equal(vigil404.headers.get('x-elastic-product'), null);
  const events = await es('POST', '/api/v1/events', { auth: `Bearer ${INGEST}`, headers: { 'content-type': 'application/json' }, body: '[{"a":1}]' });
  assert.deepEqual(events.json, { accepted: 1 });
});

test('8.x clients asking for the compatible media type get it back', async () => {
  const compat = 'application/vnd.elasticsearch+json; compatible-with=8';
  const r = await es('GET', '/', { headers: { accept: compat } });
  assert.equal(r.headers.get('content-type'), 'application/vnd.elasticsearch+json;compatible-with=8');
  const bulk = await es('POST', '/_bulk', { headers: { accept: compat, 'content-type': 'application/vnd.elasticsearch+x-ndjson; compatible-with=8' }, body: ndjson({ create: { _index: 'x' } }, { a: 1 }) });
  assert.equal(bulk.status, 200);
  assert.equal(bulk.headers.get('content-type'), 'application/vnd.elasticsearch+json;compatible-with=8');
  const pretty = await es('GET', '/_cluster/health?pretty');
  assert.match(pretty.text, /^\{\n {2}"cluster_name"/);
});
