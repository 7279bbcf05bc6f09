// The HEC output: the envelopes it writes, seen by a Fastify server playing Splunk, how it reads
// Splunk's answers, and a round trip into Vigil's own HEC input over a real WAL (gzip, overload with
// 503 code 9 and Retry-After, a refused token), read back through the pipeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { hecRoutes, HEC_INPUT } from '../../ingest/hec/index.js';
import { startTestServer, stopTestServer, TEST_TOKENS, type TestServer } from '../../ingest/http-test-server.js';
import { processEntry } from '../../process/pipeline.js';
import { ParserRegistry } from '../../process/parsers/registry.js';
import { harness } from './test-harness.js';
import { SinkError, type OutEvent } from '../sink.js';
import { hecSink, hecEndpoint } from './hec.js';

const { sink, servers } = harness(hecSink, 'splunk');

const SSHD_LINE = '<38>Mar  1 12:00:00 web1 sshd[42]: Failed password for invalid user mallory from 203.0.113.9 port 4242 ssh2';
const SSHD: OutEvent = {
  tenant: 'acme',
  id: '4398046511105',
  doc: { '@timestamp': '2024-03-01T12:00:00.123Z', host: { name: 'web1' }, event: { dataset: 'sshd', original: SSHD_LINE }, source: { ip: '203.0.113.9' } },
};

interface Req {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A Fastify server playing Splunk: records requests, answers with the next scripted reply or Success. */
async function fakeSplunk() {
  const app: FastifyInstance = Fastify();
  const got: Req[] = [];
  const script: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    const raw = req.body as Buffer;
    got.push({ url: req.url, headers: req.headers, body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
    const r = script.shift() ?? { status: 200, body: { text: 'Success', code: 0 } };
    return reply.status(r.status).headers(r.headers ?? {}).send(r.body);
  });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, got, script, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const envelopes = (b: Buffer) => b.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));

test('envelopes: time in seconds with ms, host, source, sourcetype, index, fields; Splunk auth and the channel', async () => {
  const peer = await fakeSplunk();
  const CH = '6c1f0b1e-6b1a-4c55-9f5e-3d2b7a0c9e11';
  const bare: OutEvent = { tenant: 'globex', id: '7', doc: { '@timestamp': '2024-03-01T12:00:01Z', message: 'no original here' } };
  await sink({ url: peer.url, token: 'tok-123', index: 'security', channel: CH }).send([SSHD, bare]);
  await sink({ url: `${peer.url}/`, token: 'tok-123', format: 'original', source: 'vigil:eu', sourcetype: 'linux_secure' }).send([SSHD, bare]);
  const [json, original] = peer.got;
  assert.equal(json!.url, '/services/collector/event');
  assert.equal(json!.headers.authorization, 'Splunk tok-123');
  assert.equal(json!.headers['x-splunk-request-channel'], CH);
  assert.equal(json!.headers['content-type'], 'application/json');
  assert.deepEqual(envelopes(json!.body), [
    {
      time: 1709294400.123,
      host: 'web1',
      source: 'vigil',
      sourcetype: '_json',
      index: 'security',
      event: { ...SSHD.doc, vigil: { tenant: 'acme', id: '4398046511105' } },
      fields: { tenant: 'acme', 'vigil.id': '4398046511105', 'event.dataset': 'sshd' },
    },
    { time: 1709294401, source: 'vigil', sourcetype: '_json', index: 'security', event: { ...bare.doc, vigil: { tenant: 'globex', id: '7' } }, fields: { tenant: 'globex', 'vigil.id': '7' } },
  ]);
  assert.equal(original!.headers['x-splunk-request-channel'], undefined);
  const [a, b] = envelopes(original!.body);
  assert.equal(a.event, SSHD_LINE, 'event.original, as received');
  assert.equal(a.sourcetype, 'linux_secure');
  assert.equal(a.source, 'vigil:eu');
  // No event.original (a transform dropped it): the document, which Splunk can still index.
  assert.deepEqual(b.event, { ...bare.doc, vigil: { tenant: 'globex', id: '7' } });
  await peer.app.close();
});

test('the endpoint: a server URL gets /services/collector/event; a full one is kept', () => {
  assert.equal(hecEndpoint('https://splunk:8088'), 'https://splunk:8088/services/collector/event');
  assert.equal(hecEndpoint('https://gw/splunk/'), 'https://gw/splunk/services/collector/event');
  assert.equal(hecEndpoint('https://splunk:8088/services/collector'), 'https://splunk:8088/services/collector/event');
  assert.equal(hecEndpoint('https://splunk:8088/services/collector/event'), 'https://splunk:8088/services/collector/event');
});

test('Splunk\'s answers: busy waits, a named bad event alone is refused, config errors retry, data errors are final', async () => {
  const peer = await fakeSplunk();
  const s = sink({ url: peer.url, token: 't' });
  const batch = [SSHD, { ...SSHD, id: '2' }, { ...SSHD, id: '3' }];
  const fail = (p: Promise<void>) => p.then(() => assert.fail('expected a failure'), (e: unknown) => (assert.ok(e instanceof SinkError), e));

  peer.script.push({ status: 503, body: { text: 'Server is busy', code: 9 }, headers: { 'retry-after': '5' } });
  let e = await fail(s.send(batch));
  assert.deepEqual([e.opts.retryAfterMs, e.opts.permanent], [5000, undefined]);

  peer.script.push({ status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 } });
  e = await fail(s.send(batch));
  assert.deepEqual(e.opts, { retryAfterMs: 0, retryIds: ['4398046511105', '3'], failedIds: ['2'] });

  for (const [status, code] of [
    [400, 7],
    [400, 10],
    [403, 4],
    [401, 3],
  ] as const) {
    peer.script.push({ status, body: { text: 'x', code } });
    e = await fail(s.send(batch));
    assert.equal(e.opts.permanent, undefined, `code ${code}`);
    assert.match(e.message, new RegExp(`\\(code ${code}\\)`));
  }
  peer.script.push({ status: 400, body: { text: 'Event field cannot be blank', code: 13 } });
  e = await fail(s.send(batch));
  assert.equal(e.opts.permanent, true);
  assert.match(e.message, /Event field cannot be blank \(code 13\)/);
  await peer.app.close();
});

// ---- Round trip into Vigil's own HEC input ----

const TOKEN = TEST_TOKENS.acmeIngest;
let vigil: TestServer;

before(async () => {
  vigil = await startTestServer({
    input: HEC_INPUT,
    bodyLimit: 1 << 20,
    maxLineBytes: 64 * 1024,
    register: async (app, deps) => {
      await app.register(hecRoutes, deps);
    },
  });
});

after(async () => {
  await stopTestServer(vigil);
});

test('round trip into Vigil\'s HEC: gzip, both formats; the pipeline reads the same events back', async () => {
  const many: OutEvent[] = Array.from({ length: 50 }, (_, i) => ({ tenant: 'acme', id: String(100 + i), doc: { '@timestamp': '2024-03-01T12:00:00Z', host: { name: 'h' }, message: `m${i}`, event: { original: `plain line ${i}` } } }));
  await sink({ url: vigil.url, token: TOKEN, format: 'original', gzip: true }).send([SSHD, ...many]);
  await sink({ url: vigil.url, token: TOKEN }).send([SSHD]);
  const registry = new ParserRegistry();
  const docs = (await vigil.newEntries()).flatMap((e) => processEntry(e, { registry })).map((p) => p.doc as any);
  assert.equal(docs.length, 52);
  assert.equal(docs[0].event.original, SSHD_LINE, 'the raw line, byte for byte');
  assert.equal(docs[0].vigil.parse.parser, 'sshd');
  assert.equal(docs[0].source.ip, '203.0.113.9');
  assert.deepEqual(docs.slice(1, 51).map((d) => d.event.original), many.map((e) => (e.doc.event as any).original));
  const json = docs[51];
  assert.equal(json['@timestamp'], '2024-03-01T12:00:00.123Z');
  assert.equal(json.host.name, 'web1');
  assert.equal(json.splunk.sourcetype, '_json');
  // (The pipeline expands the dotted field names.)
  assert.deepEqual(json.splunk.fields, { tenant: 'acme', vigil: { id: '4398046511105' }, event: { dataset: 'sshd' } });
});

test('Vigil\'s HEC overloaded (503 code 9, Retry-After: 1) and a refused token: retryable, nothing stored', async () => {
  vigil.setLagging(true);
  try {
    const e = await sink({ url: vigil.url, token: TOKEN }).send([SSHD]).then(() => null, (x: unknown) => x);
    assert.ok(e instanceof SinkError);
    assert.equal(e.opts.retryAfterMs, 1000);
    assert.match(e.message, /Server is busy \(code 9\)/);
  } finally {
    vigil.setLagging(false);
  }
  const e = await sink({ url: vigil.url, token: 'not-a-token-0000000' }).send([SSHD]).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError);
  assert.equal(e.opts.permanent, undefined);
  assert.match(e.message, /answered 403: Invalid token \(code 4\)/);
  assert.equal((await vigil.newEntries()).length, 0);
});
