// Loki's push body both ways: JSON and snappy protobuf, checked against PushRequests assembled by hand
// from grafana/loki pkg/push/push.proto (not by this codec), and every refusal naming its element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressSync } from 'snappy';
import { VigilError } from '../core/errors.js';
import {
  decodeJsonPush,
  decodeProtobufPush,
  decodeProtobufPushSync,
  decodePushRequest,
  encodeJsonPush,
  encodeProtobufPush,
  encodeProtobufPushSync,
  encodePushRequest,
  pushFormat,
  snappyDeclaredLength,
  type LokiStream,
} from './loki-push.js';

const MAX = 1 << 20;
/** Streams as plain data (label sets have no prototype). */
const plain = (streams: LokiStream[]) =>
  streams.map((s) => ({ labels: { ...s.labels }, entries: s.entries.map((e) => ({ ns: e.ns, line: e.line, ...(e.metadata ? { metadata: { ...e.metadata } } : {}) })) }));

// --- protobuf assembled by hand: tag = field << 3 | wire type (0 varint, 2 length-delimited) ---
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
}
const len = (field: number, bytes: number[] | string) => {
  const b = typeof bytes === 'string' ? [...Buffer.from(bytes, 'utf8')] : bytes;
  return [(field << 3) | 2, ...varint(b.length), ...b];
};
const num = (field: number, n: number | bigint) => [(field << 3) | 0, ...varint(n)];
const timestamp = (s: number, nanos: number) => [...(s ? num(1, s) : []), ...(nanos ? num(2, nanos) : [])];
const pair = (name: string, value: string) => [...len(1, name), ...len(2, value)];
const entry = (s: number, nanos: number, line: string | number[], meta: [string, string][] = []) => [
  ...len(1, timestamp(s, nanos)),
  ...len(2, line),
  ...meta.flatMap(([n, v]) => len(3, pair(n, v))),
];
const stream = (labels: string, entries: number[][], hash?: number) => [...len(1, labels), ...entries.flatMap((e) => len(2, e)), ...(hash ? num(3, hash) : [])];
const push = (...streams: number[][]) => Buffer.from(streams.flatMap((s) => len(1, s)));

const SSHD = 'Nov 23 08:00:00 bastion1 sshd[77]: Failed password for invalid user admin from 203.0.113.7 port 52144 ssh2';

test('a PushRequest assembled by hand: labels parsed, nanoseconds exact, structured metadata, hash/format/unknown fields skipped', async () => {
  const body = Buffer.concat([
    push(
      stream('{job="varlogs", host="bastion1", filename="/var/log/auth.log"}', [entry(1795420800, 123456789, SSHD), entry(1795420801, 0, 'second', [['trace_id', 'abc'], ['pod', 'p-1']])], 0xdeadbeef),
      stream('{app="x"}', []),
    ),
    Buffer.from([...len(2, 'loki'), ...num(15, 7)]), // PushRequest.format, and a field this schema does not know
  ]);
  const got = await decodeProtobufPush(compressSync(body), { maxBytes: MAX });
  assert.deepEqual(plain(got), [
    {
      labels: { job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' },
      entries: [
        { ns: 1795420800123456789n, line: SSHD },
        { ns: 1795420801000000000n, line: 'second', metadata: { trace_id: 'abc', pod: 'p-1' } },
      ],
    },
    { labels: { app: 'x' }, entries: [] },
  ]);
});

test("the encoder writes Loki's bytes exactly: the hand-assembled PushRequest", () => {
  const streams: LokiStream[] = [
    { labels: { job: 'varlogs', host: 'b1' }, entries: [{ ns: 1_000_000_002n, line: 'hi' }, { ns: 5n, line: 'm', metadata: { k: 'v' } }] },
  ];
  const expected = push(stream('{host="b1", job="varlogs"}', [entry(1, 2, 'hi'), entry(0, 5, 'm', [['k', 'v']])]));
  assert.deepEqual(Buffer.from(encodePushRequest(streams)), expected);
  assert.deepEqual(encodeProtobufPushSync(streams), compressSync(expected));
});

test('protobuf round trip: metadata, times before 1970 and at 0, empty lines, odd label values', async () => {
  const streams: LokiStream[] = [
    {
      labels: Object.assign(Object.create(null), { job: 'a"b\\c\nd', '__proto__': 'p', 'k8s.pod': 'x' }),
      entries: [
        { ns: -1n, line: 'one ns before 1970' },
        { ns: 0n, line: '' },
        { ns: 1795420800999999999n, line: 'é 日本 😀', metadata: Object.assign(Object.create(null), { trace_id: 't', 'a.b': 'c' }) },
      ],
    },
  ];
  const body = await encodeProtobufPush(streams);
  assert.deepEqual(plain(await decodeProtobufPush(body, { maxBytes: MAX })), plain(streams));
  assert.deepEqual(plain(decodeProtobufPushSync(body, { maxBytes: MAX })), plain(streams));
});

test('a line that is not UTF-8 (Latin-1) is read with replacement characters, not refused', () => {
  const got = decodePushRequest(push(stream('{a="b"}', [entry(1, 0, [...Buffer.from('caf'), 0xe9, ...Buffer.from(' ok')])])));
  assert.equal(got[0]!.entries[0]!.line, 'caf\ufffd ok');
});

test('JSON: values with and without structured metadata; empty label values dropped; no streams', () => {
  const body = JSON.stringify({
    streams: [
      { stream: { job: 'fluent-bit', host: 'h1', empty: '' }, values: [['1795420800123456789', SSHD], ['1795420801000000000', 'x', { trace_id: 't1' }], ['1', 'y', {}]] },
      { stream: {}, values: [] },
    ],
  });
  assert.deepEqual(plain(decodeJsonPush(Buffer.from(body))), [
    {
      labels: { job: 'fluent-bit', host: 'h1' },
      entries: [{ ns: 1795420800123456789n, line: SSHD }, { ns: 1795420801000000000n, line: 'x', metadata: { trace_id: 't1' } }, { ns: 1n, line: 'y' }],
    },
    { labels: {}, entries: [] },
  ]);
  assert.deepEqual(decodeJsonPush('{"streams":[]}'), []);
  assert.deepEqual(decodeJsonPush('{}'), []);
});

test("JSON: the legacy /api/prom/push form (labels text, RFC 3339 ts)", () => {
  const body = '{"streams":[{"labels":"{job=\\"old\\"}","entries":[{"ts":"2018-12-18T08:28:06.801064123-04:00","line":"l1"},{"ts":"2018-12-18T12:28:06Z","line":"l2"}]}]}';
  assert.deepEqual(plain(decodeJsonPush(body)), [
    { labels: { job: 'old' }, entries: [{ ns: 1545136086801064123n, line: 'l1' }, { ns: 1545136086000000000n, line: 'l2' }] },
  ]);
});

test('JSON round trip through the encoder', () => {
  const streams: LokiStream[] = [{ labels: { job: 'j', '__proto__': 'p' }, entries: [{ ns: 42n, line: 'a' }, { ns: 43n, line: 'b', metadata: { m: 'v' } }] }];
  streams[0]!.labels = Object.assign(Object.create(null), { job: 'j', ['__proto__']: 'p' });
  const text = encodeJsonPush(streams).toString('utf8');
  assert.equal(text, '{"streams":[{"stream":{"job":"j","__proto__":"p"},"values":[["42","a"],["43","b",{"m":"v"}]]}]}');
  assert.deepEqual(plain(decodeJsonPush(text)), plain(streams));
});

const refuses = (what: string, fn: () => unknown, says: string, code = 'bad_request') =>
  test(`refuses ${what}`, async () => {
    await assert.rejects(
      async () => fn(),
      (e: unknown) => e instanceof VigilError && e.code === code && e.message.includes(says),
    );
  });

// JSON refusals: [what, body, message names]
const BAD_JSON: [string, string, string][] = [
  ['bad JSON', '{"streams":[', 'body: not valid JSON'],
  ['a JSON array', '[]', 'a Loki push is a JSON object'],
  ['streams that are not an array', '{"streams":{}}', 'streams: must be an array'],
  ['a stream that is not an object', '{"streams":[1]}', 'streams[0]: a stream must be an object'],
  ['a label value that is not a string', '{"streams":[{"stream":{"a":1},"values":[]}]}', 'streams[0].stream.a: a label value must be a string'],
  ['values that are not an array', '{"streams":[{"stream":{},"values":{}}]}', 'streams[0].values: must be an array'],
  ['a value with one element', '{"streams":[{"stream":{},"values":[["1"]]}]}', 'streams[0].values[0]: a value must be'],
  ['a numeric timestamp', '{"streams":[{"stream":{},"values":[[1795420800000000000,"x"]]}]}', 'streams[0].values[0][0]: the timestamp must be Unix epoch nanoseconds'],
  ['a timestamp that is not digits', '{"streams":[{"stream":{},"values":[["2024-01-01","x"]]}]}', 'streams[0].values[0][0]'],
  ['a timestamp past int64', '{"streams":[{"stream":{},"values":[["9999999999999999999","x"]]}]}', 'outside the int64 range'],
  ['a line that is not a string', '{"streams":[{"stream":{},"values":[["1",{"msg":"x"}]]}]}', 'streams[0].values[0][1]: the line must be a string'],
  ['metadata that is not an object', '{"streams":[{"stream":{},"values":[["1","x","m"]]}]}', 'streams[0].values[0][2]: must be an object'],
  ['metadata with a number value', '{"streams":[{"stream":{},"values":[["1","x",{"n":1}]]}]}', 'streams[0].values[0][2].n'],
  ['an empty label name', '{"streams":[{"stream":{"":"x"},"values":[]}]}', 'a label name is empty'],
  ['a legacy entry without ts', '{"streams":[{"labels":"{a=\\"b\\"}","entries":[{"line":"x"}]}]}', 'streams[0].entries[0]: an entry must be'],
  ['a legacy ts that is not RFC 3339', '{"streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":"yesterday","line":"x"}]}]}', 'streams[0].entries[0].ts: the timestamp must be RFC 3339'],
  ['legacy labels that do not parse', '{"streams":[{"labels":"{a=b}","entries":[]}]}', 'streams[0].labels: invalid stream labels'],
];
for (const [what, body, says] of BAD_JSON) refuses(`JSON: ${what}`, () => decodeJsonPush(body), says);

const good = push(stream('{a="b"}', [entry(1795420800, 0, 'line')]));
refuses('protobuf: a truncated PushRequest', () => decodePushRequest(good.subarray(0, good.length - 3)), 'truncated');
refuses('protobuf: a truncated PushRequest inside snappy', () => decodeProtobufPush(compressSync(good.subarray(0, good.length - 3)), { maxBytes: MAX }), 'truncated');
refuses('protobuf: streams as a varint (wrong wire type)', () => decodePushRequest(Buffer.from(num(1, 5))), 'body: field streams (1) has wire type 0');
refuses('protobuf: a line as a varint', () => decodePushRequest(push(stream('{a="b"}', [num(2, 3)]))), 'streams[0].entries[0]: field line (2) has wire type 0');
refuses('protobuf: bad stream labels, with where', () => decodePushRequest(push(stream('{job=varlogs}', []))), 'streams[0].labels: invalid stream labels "{job=varlogs}": expected a quoted value for label "job", found "v" at character 6');
refuses('protobuf: nanos out of range', () => decodePushRequest(push(stream('{a="b"}', [entry(1, 1_000_000_000, 'x')]))), "streams[0].entries[0].timestamp: the timestamp's nanos (1000000000)");
refuses('protobuf: seconds past year 9999', () => decodePushRequest(push(stream('{a="b"}', [entry(253402300800, 0, 'x')]))), 'outside years 1 to 9999');
refuses('snappy: garbage', () => decodeProtobufPush(Buffer.from('this is not snappy at all, just text'), { maxBytes: MAX }), 'not valid snappy');
refuses('snappy: plain protobuf sent without compression', () => decodeProtobufPush(good, { maxBytes: MAX }), 'snappy');
refuses('snappy: the framed format', () => decodeProtobufPush(Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 1, 2]), { maxBytes: MAX }), 'framed');
refuses('snappy: no length varint', () => decodeProtobufPush(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), { maxBytes: MAX }), 'does not start with its uncompressed length');
refuses('snappy: a block that declares more than the limit, before inflating', () => decodeProtobufPush(compressSync(Buffer.alloc(4096)), { maxBytes: 4095 }), 'declares 4096 bytes uncompressed, over the limit of 4095', 'payload_too_large');
refuses('snappy: a lying length varint (a bomb header on a tiny body)', () => decodeProtobufPush(Buffer.from([...varint(3_000_000_000), 0x00]), { maxBytes: MAX }), 'over the limit', 'payload_too_large');

test('snappy declared length and the Content-Type rule', () => {
  assert.equal(snappyDeclaredLength(compressSync(Buffer.alloc(300))), 300);
  assert.equal(snappyDeclaredLength(Buffer.alloc(0)), null);
  assert.equal(pushFormat('application/json'), 'json');
  assert.equal(pushFormat('Application/JSON; charset=utf-8'), 'json');
  for (const ct of [undefined, '', 'application/x-protobuf', 'application/octet-stream', 'text/plain']) assert.equal(pushFormat(ct), 'protobuf', String(ct));
});
