// Loki's protobuf push body: a logproto.PushRequest compressed with snappy's block format (not the framed
// stream format), Content-Type application/x-protobuf: what Promtail, Grafana Alloy, the Loki docker
// driver and Vector's loki sink (snappy) send. Field numbers as in grafana/loki pkg/push/push.proto:
//   PushRequest      { repeated StreamAdapter streams = 1; string format = 2; }
//   StreamAdapter    { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
//   EntryAdapter     { google.protobuf.Timestamp timestamp = 1; string line = 2;
//                      repeated LabelPairAdapter structuredMetadata = 3; repeated LabelPairAdapter parsed = 4; }
//   LabelPairAdapter { string name = 1; string value = 2; }
//   Timestamp        { int64 seconds = 1; int32 nanos = 2; }
// The strings are declared `bytes` here: identical on the wire, but Loki (gogoproto) does not check that
// they are UTF-8 and senders ship Latin-1 lines, so a line is decoded leniently (U+FFFD) instead of
// failing the whole batch. `hash`, `format` and `parsed` are not read (`parsed` is query-side only).
import protobuf from 'protobufjs';
import { uncompress, compress, compressSync, uncompressSync } from 'snappy';
import { VigilError } from '../core/errors.js';
import { formatLabels, parseLabels } from './loki-labels.js';
import { checkWireTypes, decodeKeepingUnknowns, type Msg } from './protobuf-strict.js';
import { addLabel, labelSet, malformed, nsFromTimestamp, timestampOf, withWhere, type LokiEntry, type LokiStream } from './loki-stream.js';

const root = protobuf.parse(`
syntax = "proto3";
package logproto;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message LabelPairAdapter { bytes name = 1; bytes value = 2; }
message EntryAdapter { Timestamp timestamp = 1; bytes line = 2; repeated LabelPairAdapter structuredMetadata = 3; repeated LabelPairAdapter parsed = 4; }
message StreamAdapter { bytes labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message PushRequest { repeated StreamAdapter streams = 1; string format = 2; }
`).root;
const T = {
  push: root.lookupType('logproto.PushRequest'),
  stream: root.lookupType('logproto.StreamAdapter'),
  entry: root.lookupType('logproto.EntryAdapter'),
  pair: root.lookupType('logproto.LabelPairAdapter'),
  time: root.lookupType('logproto.Timestamp'),
};

type Long = { toString(): string };
interface PairMsg extends Msg {
  name?: Uint8Array;
  value?: Uint8Array;
}
interface TimeMsg extends Msg {
  seconds?: number | Long;
  nanos?: number;
}
interface EntryMsg extends Msg {
  timestamp?: TimeMsg;
  line?: Uint8Array;
  structuredMetadata?: PairMsg[];
}
interface StreamMsg extends Msg {
  labels?: Uint8Array;
  entries?: EntryMsg[];
}
interface PushMsg extends Msg {
  streams?: StreamMsg[];
}

const text = (b: Uint8Array | undefined): string => (b && b.length > 0 ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8') : '');

/** The uncompressed length a snappy block declares in its first bytes (a varint); null when it has none. */
export function snappyDeclaredLength(body: Uint8Array): number | null {
  let value = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const b = body[i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return value;
  }
  return null;
}

/** snappy's framed format starts with its stream identifier chunk: ff 06 00 00 "sNaPpY". */
const FRAMED = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);

/** Refuses, before any work, a body that is not a snappy block or declares more than `maxBytes`. */
function checkSnappy(body: Buffer, maxBytes: number): void {
  if (body.subarray(0, FRAMED.length).equals(FRAMED)) throw malformed('body', "snappy's framed (stream) format; a Loki push is snappy's block format");
  const declared = snappyDeclaredLength(body);
  if (declared === null) throw malformed('body', 'not a snappy block: it does not start with its uncompressed length');
  if (declared > maxBytes) {
    throw new VigilError('payload_too_large', `the snappy body declares ${declared} bytes uncompressed, over the limit of ${maxBytes}`, { limit_bytes: maxBytes });
  }
}

const corruptSnappy = (err: unknown) => malformed('body', `not valid snappy (block format): ${(err as Error).message}`);

/** Undoes snappy off the event loop, the uncompressed size capped at `maxBytes`. */
export async function unsnappy(body: Buffer, maxBytes: number): Promise<Buffer> {
  checkSnappy(body, maxBytes);
  try {
    return (await uncompress(body, { asBuffer: true })) as Buffer;
  } catch (err) {
    throw corruptSnappy(err);
  }
}

/** Streams of a snappy-compressed PushRequest; the uncompressed size is capped at `maxBytes`. */
export async function decodeProtobufPush(body: Buffer, opts: { maxBytes: number }): Promise<LokiStream[]> {
  return decodePushRequest(await unsnappy(body, opts.maxBytes));
}

/** decodeProtobufPush on the calling thread (tests, small bodies). */
export function decodeProtobufPushSync(body: Buffer, opts: { maxBytes: number }): LokiStream[] {
  checkSnappy(body, opts.maxBytes);
  let raw: Buffer;
  try {
    raw = uncompressSync(body, { asBuffer: true }) as Buffer;
  } catch (err) {
    throw corruptSnappy(err);
  }
  return decodePushRequest(raw);
}

/** Streams of an uncompressed PushRequest. */
export function decodePushRequest(bytes: Uint8Array): LokiStream[] {
  let msg: PushMsg;
  try {
    msg = decodeKeepingUnknowns<PushMsg>(T.push, bytes);
  } catch (err) {
    const what = err instanceof RangeError ? 'truncated (a length runs past the end)' : (err as Error).message;
    throw malformed('body', `not a valid protobuf PushRequest: ${what}`);
  }
  checkWireTypes(msg, T.push, 'body');
  return (msg.streams ?? []).map((s, i) => decodeStream(s, `streams[${i}]`));
}

function decodeStream(s: StreamMsg, where: string): LokiStream {
  checkWireTypes(s, T.stream, where);
  const labels = withWhere(`${where}.labels`, () => parseLabels(text(s.labels)));
  return { labels, entries: (s.entries ?? []).map((e, j) => decodeEntry(e, `${where}.entries[${j}]`)) };
}

function decodeEntry(e: EntryMsg, where: string): LokiEntry {
  checkWireTypes(e, T.entry, where);
  let ns = 0n;
  if (e.timestamp) {
    checkWireTypes(e.timestamp, T.time, `${where}.timestamp`);
    const s = e.timestamp.seconds ?? 0;
    ns = nsFromTimestamp(BigInt(typeof s === 'number' ? s : s.toString()), e.timestamp.nanos ?? 0, `${where}.timestamp`);
  }
  const entry: LokiEntry = { ns, line: text(e.line) };
  if (e.structuredMetadata && e.structuredMetadata.length > 0) {
    const metadata = labelSet();
    for (const [k, p] of e.structuredMetadata.entries()) {
      checkWireTypes(p, T.pair, `${where}.structuredMetadata[${k}]`);
      addLabel(metadata, text(p.name), text(p.value), `${where}.structuredMetadata[${k}]`);
    }
    if (Object.keys(metadata).length > 0) entry.metadata = metadata;
  }
  return entry;
}


/** An uncompressed PushRequest for these streams (labels as formatLabels prints them). */
export function encodePushRequest(streams: readonly LokiStream[]): Uint8Array {
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  return T.push
    .encode({
      streams: streams.map((s) => ({
        labels: bytes(formatLabels(s.labels)),
        entries: s.entries.map((e) => {
          const { seconds, nanos } = timestampOf(e.ns);
          return {
            timestamp: { seconds: Number(seconds), nanos },
            line: bytes(e.line),
            structuredMetadata: Object.entries(e.metadata ?? {}).map(([name, value]) => ({ name: bytes(name), value: bytes(value) })),
          };
        }),
      })),
    })
    .finish();
}

/** The snappy-compressed PushRequest a Loki server takes with Content-Type application/x-protobuf. */
export async function encodeProtobufPush(streams: readonly LokiStream[]): Promise<Buffer> {
  return compress(encodePushRequest(streams));
}

/** encodeProtobufPush on the calling thread. */
export function encodeProtobufPushSync(streams: readonly LokiStream[]): Buffer {
  return compressSync(encodePushRequest(streams));
}
