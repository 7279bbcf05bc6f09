// Loki's protobuf push body: a logproto.PushRequest, snappy-compressed (the block format), as
// Promtail and Alloy send it. Kept to this one file so that it can use src/wire/loki-push.ts (the
// PushRequest codec of Vigil's Loki input) once that exists; until then the schema is written here.
//   PushRequest   { repeated StreamAdapter streams = 1; }
//   StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
//   EntryAdapter  { google.protobuf.Timestamp timestamp = 1; string line = 2; }
//   Timestamp     { int64 seconds = 1; int32 nanos = 2; }
import protobuf from 'protobufjs';
import { compress, uncompressSync } from 'snappy';
import { labelText, type LokiStream } from './loki-streams.js';

const root = protobuf.parse(`
syntax = "proto3";
package logproto;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }
message PushRequest { repeated StreamAdapter streams = 1; }
`).root;
const PushRequest = root.lookupType('logproto.PushRequest');

const NS = 1_000_000_000n;

export async function encodeProtobufPush(streams: LokiStream[]): Promise<Buffer> {
  const msg = {
    streams: streams.map((s) => ({
      labels: labelText(s.labels),
      entries: s.entries.map((e) => ({ timestamp: { seconds: Number(e.ns / NS), nanos: Number(e.ns % NS) }, line: e.line })),
    })),
  };
  return compress(PushRequest.encode(PushRequest.fromObject(msg)).finish());
}

/** The inverse, for tests: streams as Loki reads them (label text, entries with ns times). */
export function decodeProtobufPush(body: Buffer): { labels: string; entries: { ns: bigint; line: string }[] }[] {
  const raw = uncompressSync(body) as Buffer;
  const obj = PushRequest.toObject(PushRequest.decode(raw), { longs: String, defaults: true }) as {
    streams: { labels: string; entries: { timestamp: { seconds: string; nanos: number }; line: string }[] }[];
  };
  return obj.streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ ns: BigInt(e.timestamp.seconds) * NS + BigInt(e.timestamp.nanos), line: e.line })) }));
}
