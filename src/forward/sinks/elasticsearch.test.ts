// The Elasticsearch output: the _bulk body it writes (create actions, ids, index per tenant), its
// credentials, the per-item results it reads (409 on create is delivered; 429/5xx resent alone;
// mapping errors refused for good), against a Fastify server playing Elasticsearch; then a round trip
// into Vigil's own _bulk input over a real WAL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { esRoutes } from '../../ingest/es/index.js';
import { startTestServer, stopTestServer, TEST_TOKENS, type TestServer } from '../../ingest/http-test-server.js';
import { harness } from './test-harness.js';
import { SinkError, type OutEvent } from '../sink.js';
import { elasticsearchSink, documentId } from './elasticsearch.js';

const { sink, servers } = harness(elasticsearchSink, 'es');

const ev = (i: number, tenant = 'acme'): OutEvent => ({
  tenant,
  id: String(4398046511104 + i),
  doc: { '@timestamp': `2024-03-01T12:00:0${i % 10}.000Z`, host: { name: 'web1' }, event: { dataset: 'sshd', original: `line ${i}` }, message: `line ${i}` },
});

interface Req {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  lines: any[];
}

/** A Fastify server playing Elasticsearch: records bulk requests, answers with a scripted item list or all 201. */
async function fakeEs() {
  const app: FastifyInstance = Fastify();
  const got: Req[] = [];
  const script: ((actions: number) => { status: number; body: unknown })[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    const raw = req.body as Buffer;
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    got.push({ url: req.url, headers: req.headers, lines });
    const n = lines.length / 2;
    const r = script.shift()?.(n) ?? { status: 200, body: { errors: false, items: Array.from({ length: n }, () => ({ create: { status: 201 } })) } };
    return reply.status(r.status).send(r.body);
  });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, got, script, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

test('_bulk: a create action per event into the tenant\'s index, with the idempotent id; the document with vigil.tenant', async () => {
  const es = await fakeEs();
  await sink({ url: `${es.url}/prefix/`, gzip: true, pipeline: 'ecs fix' }).send([ev(1), ev(2, 'globex')]);
  const [r] = es.got;
  assert.equal(r!.url, '/prefix/_bulk?filter_path=errors,items.*.error,items.*.status,error,status&pipeline=ecs%20fix');
  assert.equal(r!.headers['content-type'], 'application/x-ndjson');
  assert.equal(r!.headers['content-encoding'], 'gzip');
  assert.equal(r!.headers.authorization, undefined);
  assert.deepEqual(r!.lines, [
    { create: { _index: 'vigil-acme', _id: documentId(ev(1)) } },
    { ...ev(1).doc, vigil: { tenant: 'acme', id: ev(1).id } },
    { create: { _index: 'vigil-globex', _id: documentId(ev(2, 'globex')) } },
    { ...ev(2).doc, vigil: { tenant: 'globex', id: ev(2).id } },
  ]);
  await sink({ url: es.url, index: 'logs-vigil.{tenant}-default' }).send([ev(3)]);
  assert.equal(es.got[1]!.lines[0].create._index, 'logs-vigil.acme-default');
  await es.app.close();
});

test('document ids: the same event always gets the same id; another event at the same queue position does not', () => {
  const a = ev(1);
  assert.equal(documentId(a), documentId(structuredClone(a)));
  assert.match(documentId(a), /^[A-Za-z0-9_-]{22}$/);
  // Same Vigil event id, different event (another Vigil, or a replaced data directory).
  const other: OutEvent = { ...a, doc: { ...a.doc, event: { original: 'something else' } } };
  assert.notEqual(documentId(other), documentId(a));
  assert.notEqual(documentId({ ...a, tenant: 'globex' }), documentId(a));
});

test('credentials: API key (encoded, or id:key), Basic, Bearer; only one of them', async () => {
  const es = await fakeEs();
  const auth = async (o: Record<string, unknown>) => {
    await sink({ url: es.url, ...o }).send([ev(1)]);
    return es.got.at(-1)!.headers.authorization;
  };
  assert.equal(await auth({ api_key: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' }), 'ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==');
  assert.equal(await auth({ api_key: 'id1:secret' }), `ApiKey ${Buffer.from('id1:secret').toString('base64')}`);
  assert.equal(await auth({ username: 'elastic', password: 'pw' }), `Basic ${Buffer.from('elastic:pw').toString('base64')}`);
  assert.equal(await auth({ token: 'svc-token' }), 'Bearer svc-token');
  assert.equal(elasticsearchSink.options.safeParse({ url: es.url, api_key: 'a', token: 'b' }).success, false);
  assert.equal(elasticsearchSink.options.safeParse({ url: es.url, username: 'a' }).success, false);
  assert.equal(elasticsearchSink.options.safeParse({ url: es.url, index: 'Vigil' }).success, false);
  assert.equal(elasticsearchSink.options.safeParse({ url: es.url, index: '_x' }).success, false);
  assert.equal(elasticsearchSink.options.safeParse({ url: es.url, index: 'vigil-{dataset}' }).success, false);
  await es.app.close();
});

test('per-item results: 201 and 409 delivered, 429 and 5xx resent alone, mapping errors refused for good', async () => {
  const es = await fakeEs();
  const s = sink({ url: es.url });
  const batch = [0, 1, 2, 3, 4, 5].map((i) => ev(i));
  const item = (status: number, type?: string) => ({ create: { status, ...(type ? { error: { type, reason: `${type} reason` } } : {}) } });
  es.script.push(() => ({
    status: 200,
    body: { errors: true, items: [item(201), item(409, 'version_conflict_engine_exception'), item(429, 'es_rejected_execution_exception'), item(400, 'document_parsing_exception'), item(503, 'unavailable_shards_exception'), item(201)] },
  }));
  const e = await s.send(batch).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError);
  assert.deepEqual(e.opts.retryIds, [batch[2]!.id, batch[4]!.id]);
  assert.deepEqual(e.opts.failedIds, [batch[3]!.id]);
  assert.equal(e.opts.permanent, undefined);
  assert.match(e.message, /400 document_parsing_exception: document_parsing_exception reason/);

  // A resend after a lost answer: everything is already there, every item 409: delivered.
  es.script.push((n) => ({ status: 200, body: { errors: true, items: Array.from({ length: n }, () => item(409, 'version_conflict_engine_exception')) } }));
  await s.send(batch);

  // Only refusals and successes: nothing to resend, the refused ones counted failed.
  es.script.push(() => ({ status: 200, body: { errors: true, items: [item(201), item(400, 'mapper_parsing_exception')] } }));
  const only = await s.send(batch.slice(0, 2)).then(() => null, (x: unknown) => x);
  assert.ok(only instanceof SinkError);
  assert.deepEqual([only.opts.retryIds, only.opts.failedIds], [[], [batch[1]!.id]]);

  // An answer that does not list one result per document cannot be trusted: the whole batch again.
  es.script.push(() => ({ status: 200, body: { errors: true, items: [item(201)] } }));
  const odd = await s.send(batch.slice(0, 2)).then(() => null, (x: unknown) => x);
  assert.ok(odd instanceof SinkError);
  assert.deepEqual([odd.opts.retryIds, odd.opts.permanent], [undefined, undefined]);

  // Elasticsearch's own error shape is quoted; a 429 on the whole request is retried.
  es.script.push(() => ({ status: 429, body: { error: { type: 'es_rejected_execution_exception', reason: 'queue full' }, status: 429 } }));
  const busy = await s.send(batch).then(() => null, (x: unknown) => x);
  assert.ok(busy instanceof SinkError);
  assert.match(busy.message, /answered 429: es_rejected_execution_exception: queue full/);
  await es.app.close();
});

// ---- Round trip into Vigil's own Elasticsearch input ----

const TOKEN = TEST_TOKENS.acmeIngest;
let vigil: TestServer;

before(async () => {
  vigil = await startTestServer({
    input: 'elasticsearch',
    bodyLimit: 1 << 20,
    maxLineBytes: 64 * 1024,
    register: async (app, deps) => {
      await app.register(esRoutes, deps);
    },
  });
});

after(async () => {
  await stopTestServer(vigil);
});

test('round trip into Vigil\'s _bulk (API key with the token as secret, gzip, several requests): each document once, as sent', async () => {
  const batch = Array.from({ length: 60 }, (_, i) => ev(i));
  await sink({ url: vigil.url, api_key: `shipper:${TOKEN}`, gzip: true, max_body_bytes: 4096 }).send(batch);
  const stored = (await vigil.newEntries()).flatMap((e) =>
    e.entry.records.map((rec) => ({ index: (e.entry.meta as { index?: string }).index!, doc: JSON.parse(rec.toString('utf8')) })),
  );
  assert.equal(stored.length, 60);
  assert.deepEqual(
    stored.map((s) => s.doc),
    batch.map((e) => ({ ...e.doc, vigil: { tenant: 'acme', id: e.id } })),
  );
  assert.ok(stored.every((s) => s.index === 'vigil-acme'));
  const e = await sink({ url: vigil.url, api_key: 'shipper:wrong-token-000000' }).send([ev(1)]).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError);
  assert.equal(e.opts.permanent, undefined);
  assert.match(e.message, /answered 401: security_exception/);
});
