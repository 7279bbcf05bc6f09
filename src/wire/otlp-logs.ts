// OpenTelemetry's OTLP logs export, both directions and both encodings: Vigil's OTLP/HTTP input decodes
// it (src/ingest/otlp) and an OTLP output can encode it. The encoding follows the Content-Type, as
// OTLP/HTTP defines it:
//   application/x-protobuf   binary protobuf (otlp-logs-protobuf.ts)
//   application/json         OTLP/JSON (otlp-logs-json.ts)
// Both decode to one normalised ExportLogsRequest (otlp-logs-model.ts). Answers use the request's
// encoding: ExportLogsServiceResponse on success, google.rpc.Status on failure.
// Content-Encoding (gzip) is HTTP's business and is undone before these functions see the body.
import { decodeLogsRequestJson, encodeLogsResponseJson, encodeStatusJson } from './otlp-logs-json.js';
import { decodeLogsRequestProtobuf, encodeLogsResponseProtobuf, encodeStatusProtobuf } from './otlp-logs-protobuf.js';
import type { ExportLogsRequest, LogsPartialSuccess, RpcStatus } from './otlp-logs-model.js';

export type OtlpEncoding = 'protobuf' | 'json';

export const OTLP_CONTENT_TYPE: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The encoding a Content-Type names, or null for one OTLP/HTTP does not define. */
export function otlpEncoding(contentType: string | undefined): OtlpEncoding | null {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  return null;
}

export function decodeLogsRequest(body: Uint8Array, encoding: OtlpEncoding): ExportLogsRequest {
  return encoding === 'json' ? decodeLogsRequestJson(body) : decodeLogsRequestProtobuf(body);
}

/** The body of a 200 answer; an empty response unless records were refused. */
export function encodeLogsResponse(encoding: OtlpEncoding, partial?: LogsPartialSuccess): Buffer {
  return encoding === 'json' ? Buffer.from(encodeLogsResponseJson(partial), 'utf8') : Buffer.from(encodeLogsResponseProtobuf(partial));
}

/** The body of an error answer. */
export function encodeStatus(encoding: OtlpEncoding, status: RpcStatus): Buffer {
  return encoding === 'json' ? Buffer.from(encodeStatusJson(status), 'utf8') : Buffer.from(encodeStatusProtobuf(status));
}

export { decodeLogsRequestJson, encodeLogsRequestJson, encodeLogsResponseJson, encodeStatusJson, MAX_VALUE_DEPTH } from './otlp-logs-json.js';
export {
  decodeLogsRequestProtobuf,
  decodeLogsResponseProtobuf,
  decodeStatusProtobuf,
  encodeLogsRequestProtobuf,
  encodeLogsResponseProtobuf,
  encodeStatusProtobuf,
} from './otlp-logs-protobuf.js';
export {
  RPC_CODE,
  type ExportLogsRequest,
  type LogsPartialSuccess,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpLogRecord,
  type OtlpResource,
  type OtlpResourceLogs,
  type OtlpScope,
  type OtlpScopeLogs,
  type RpcStatus,
} from './otlp-logs-model.js';
