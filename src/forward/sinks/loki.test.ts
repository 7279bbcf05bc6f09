// The Loki output against a Fastify server playing Loki: streams by label, entries in time order with
// nanosecond times, both encodings (the protobuf one decoded with Vigil's own PushRequest decoder and
// snappy), X-Scope-OrgID per tenant, credentials, and Loki's answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { harness } from './test-harness.js';
import { SinkError, type OutEvent } from '../sink.js';
import { lokiSink, lokiEndpoint } from './loki.js';
import { labelName, labelsOf } from './loki-streams.js';
import { formatLabels as labelText } from '../../wire/loki-push.js';
import { decodeProtobufPushSync, encodeProtobufPush } from '../../wire/loki-push.js';
import { uncompressSync } from 'snappy';

const { sink, servers } = harness(lokiSink, 'loki');

interface Req {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A Fastify server playing Loki: records pushes, answers 204 or the next scripted reply. */
async function fakeLoki() {
  const app: FastifyInstance = Fastify();
  const got: Req[] = [];
  const script: { status: number; body?: string; headers?: Record<string, string> }[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    got.push({ url: req.url, headers: req.headers, body: req.body as Buffer });
    const r = script.shift() ?? { status: 204 };
    return reply.status(r.status).headers(r.headers ?? {}).send(r.body ?? '');
  });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, got, script, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const ev = (id: string, tenant: string, host: string | undefined, ts: string, original: string, dataset = 'sshd'): OutEvent => ({
  tenant,
  id,
  doc: { '@timestamp': ts, ...(host ? { host: { name: host } } : {}), event: { dataset, original } },
});

const BATCH: OutEvent[] = [
  ev('1', 'acme', 'web1', '2024-05-01T10:00:02.000Z', 'second on web1'),
  ev('2', 'acme', 'web2', '2024-05-01T10:00:01.000Z', 'first on web2'),
  ev('3', 'acme', 'web1', '2024-05-01T10:00:01.123456789Z', 'first on web1 "quoted"'),
  ev('4', 'globex', 'web1', '2024-05-01T10:00:03.000Z', 'globex line'),
  ev('5', 'acme', undefined, '2024-05-01T10:00:04.000Z', 'no host'),
];

/** What Loki would store: stream label text -> [ns, line][], from either encoding. */
function pushed(r: Req): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  if (r.headers['content-type'] === 'application/json') {
    for (const s of JSON.parse(r.body.toString('utf8')).streams) out[labelText(s.stream)] = s.values;
  } else {
    for (const s of decodeProtobufPushSync(r.body, { maxBytes: 1 << 30 })) out[labelText(s.labels)] = s.entries.map((e) => [e.ns.toString(), e.line]);
  }
  return out;
}

const EXPECTED = {
  '{event_dataset="sshd", host_name="web1", tenant="acme"}': [
    ['1714557601123456789', 'first on web1 "quoted"'],
    ['1714557602000000000', 'second on web1'],
  ],
  '{event_dataset="sshd", host_name="web2", tenant="acme"}': [['1714557601000000000', 'first on web2']],
  '{event_dataset="sshd", host_name="web1", tenant="globex"}': [['1714557603000000000', 'globex line']],
  '{event_dataset="sshd", tenant="acme"}': [['1714557604000000000', 'no host']],
};

test('JSON: one stream per label set, entries in time order, nanoseconds kept; the push path and headers', async () => {
  const loki = await fakeLoki();
  await sink({ url: loki.url, encoding: 'json', gzip: false, token: 'tok' }).send(BATCH);
  const [r] = loki.got;
  assert.equal(r!.url, '/loki/api/v1/push');
  assert.equal(r!.headers['content-type'], 'application/json');
  assert.equal(r!.headers.authorization, 'Bearer tok');
  assert.equal(r!.headers['x-scope-orgid'], undefined);
  assert.deepEqual(pushed(r!), EXPECTED);
  await loki.app.close();
});

test('protobuf + snappy (the default): the same streams, decoded as Loki decodes them', async () => {
  const loki = await fakeLoki();
  await sink({ url: `${loki.url}/loki/api/v1/push`, username: 'inst', password: 'key' }).send(BATCH);
  const [r] = loki.got;
  assert.equal(r!.url, '/loki/api/v1/push');
  assert.equal(r!.headers['content-type'], 'application/x-protobuf');
  assert.equal(r!.headers['content-encoding'], undefined);
  assert.equal(r!.headers.authorization, `Basic ${Buffer.from('inst:key').toString('base64')}`);
  assert.deepEqual(pushed(r!), EXPECTED);
  await loki.app.close();
});

test('the protobuf body is logproto.PushRequest byte for byte, in snappy\'s block format', async () => {
  const body = await encodeProtobufPush([{ labels: { a: 'b' }, entries: [{ ns: 1_000_000_002n, line: 'hi' }] }]);
  // Assembled by hand from logproto: PushRequest.streams(1) { labels(1) "{a=\"b\"}", entries(2) {
  // timestamp(1) { seconds(1) 1, nanos(2) 2 }, line(2) "hi" } }.
  const entry = [0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, 0x12, 0x02, ...Buffer.from('hi')];
  const stream = [0x0a, 0x07, ...Buffer.from('{a="b"}'), 0x12, entry.length, ...entry];
  assert.deepEqual([...(uncompressSync(body) as Buffer)], [0x0a, stream.length, ...stream]);
});

test('org_id: fixed, or {tenant} (then one request per tenant); format json; static labels', async () => {
  const loki = await fakeLoki();
  await sink({ url: loki.url, org_id: 'soc' }).send(BATCH);
  assert.equal(loki.got.length, 1);
  assert.equal(loki.got[0]!.headers['x-scope-orgid'], 'soc');
  loki.got.length = 0;
  await sink({ url: loki.url, org_id: 'vigil-{tenant}', format: 'json', labels: ['event.dataset'], static_labels: { job: 'vigil' } }).send(BATCH);
  assert.deepEqual(
    loki.got.map((r) => r.headers['x-scope-orgid']),
    ['vigil-acme', 'vigil-globex'],
  );
  const acme = pushed(loki.got[0]!);
  assert.deepEqual(Object.keys(acme), ['{event_dataset="sshd", job="vigil"}']);
  const docs = acme['{event_dataset="sshd", job="vigil"}']!.map(([, line]) => JSON.parse(line));
  assert.deepEqual(docs.map((d) => d.vigil), [{ tenant: 'acme', id: '2' }, { tenant: 'acme', id: '3' }, { tenant: 'acme', id: '1' }, { tenant: 'acme', id: '5' }], 'in time order');
  await loki.app.close();
});

test('labels: names made valid, values cut, non-scalars skipped, never an empty label set', () => {
  assert.equal(labelName('event.dataset'), 'event_dataset');
  assert.equal(labelName('@timestamp'), '_timestamp');
  assert.equal(labelName('1x'), '_1x');
  const e: OutEvent = { tenant: 'acme', id: '1', doc: { host: { name: 'h'.repeat(3000), ip: ['10.0.0.1'] }, event: { severity: 3, dataset: '' } } };
  assert.deepEqual(labelsOf(e, { labels: ['host.name', 'host.ip', 'event.severity', 'event.dataset'], static_labels: {} }), { host_name: 'h'.repeat(1024), event_severity: '3' });
  assert.deepEqual(labelsOf(e, { labels: ['nothing.here'], static_labels: {} }), { service_name: 'vigil' });
  assert.equal(labelText({ b: 'x"y\\z\n', a: '1' }), '{a="1", b="x\\"y\\\\z\\n"}');
  assert.equal(lokiEndpoint('http://loki:3100'), 'http://loki:3100/loki/api/v1/push');
  assert.equal(lokiEndpoint('https://gw/tenant-x/'), 'https://gw/tenant-x/loki/api/v1/push');
  assert.equal(lokiSink.options.safeParse({ url: 'http://l', gzip: true }).success, false, 'gzip with protobuf');
  assert.equal(lokiSink.options.safeParse({ url: 'http://l', gzip: true, encoding: 'json' }).success, true);
  assert.equal(lokiSink.options.safeParse({ url: 'http://l', static_labels: { 'bad-name': 'x' } }).success, false);
});

test('Loki\'s answers: 429 waits as told, 400 is final with Loki\'s reason', async () => {
  const loki = await fakeLoki();
  const s = sink({ url: loki.url });
  loki.script.push({ status: 429, body: 'Ingestion rate limit exceeded', headers: { 'retry-after': '3' } });
  let e = await s.send(BATCH).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError);
  assert.deepEqual([e.opts.retryAfterMs, e.opts.permanent], [3000, undefined]);
  loki.script.push({ status: 400, body: "entry for stream '{tenant=\"acme\"}' has timestamp too old" });
  e = await s.send(BATCH).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError);
  assert.equal(e.opts.permanent, true);
  assert.match(e.message, /answered 400: entry for stream .* has timestamp too old/);
  await loki.app.close();
});
