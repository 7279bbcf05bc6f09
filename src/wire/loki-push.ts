// Grafana Loki's push API body, both directions: Vigil's Loki input decodes it (src/ingest/loki) and a
// Loki output can encode it. Two forms, chosen by Content-Type as Loki chooses:
//   application/json   {"streams":[{"stream":{labels},"values":[["<unix ns>","line",{metadata}]]}]}
//   anything else      a snappy-compressed protobuf PushRequest (application/x-protobuf)
// Content-Encoding (gzip) is HTTP's business and is undone before these functions see the body.
import { decodeJsonPush } from './loki-push-json.js';
import { decodeProtobufPush } from './loki-push-protobuf.js';
import type { LokiStream } from './loki-stream.js';

export type PushFormat = 'json' | 'protobuf';

/** Loki reads JSON only when told so; no Content-Type, or any other, means snappy protobuf. */
export function pushFormat(contentType: string | undefined): PushFormat {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return mime === 'application/json' ? 'json' : 'protobuf';
}

/** The streams of a push body in either form; `maxBytes` caps the snappy-decompressed size. */
export async function decodePush(body: Buffer, format: PushFormat, opts: { maxBytes: number }): Promise<LokiStream[]> {
  return format === 'json' ? decodeJsonPush(body) : decodeProtobufPush(body, opts);
}

export { decodeJsonPush, encodeJsonPush } from './loki-push-json.js';
export {
  decodeProtobufPush,
  decodeProtobufPushSync,
  decodePushRequest,
  encodePushRequest,
  encodeProtobufPush,
  encodeProtobufPushSync,
  snappyDeclaredLength,
  unsnappy,
} from './loki-push-protobuf.js';
export { formatLabels, parseLabels, quoteLabelValue, labelSet, type LabelSet } from './loki-labels.js';
export { timestampOf, NS_PER_SECOND, type LokiEntry, type LokiStream } from './loki-stream.js';
