// An OTLP logs export (ExportLogsServiceRequest), normalised: what the protobuf and the JSON encodings
// both say (otlp-logs-protobuf.ts, otlp-logs-json.ts), so that an input reads one shape and an output
// writes one. Absent fields have their proto3 defaults (0, "", []), as on the wire; 64-bit integers are
// bigints, so nothing is rounded; trace and span ids are lowercase hex, "" when absent.

export type OtlpAnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'array'; value: OtlpAnyValue[] }
  | { type: 'kvlist'; value: OtlpKeyValue[] }
  | { type: 'bytes'; value: Uint8Array }
  /** An AnyValue with no member set (valid in OTLP: an "empty" value). */
  | { type: 'empty' };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpLogRecord {
  /** Unix epoch nanoseconds; 0n means unknown. */
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** SeverityNumber: 0 unspecified, 1-4 TRACE … 21-24 FATAL. */
  severityNumber: number;
  severityText: string;
  /** LogRecord.event_name (field 12). */
  eventName: string;
  body: OtlpAnyValue;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  /** The low 8 bits are the W3C trace flags. */
  flags: number;
  /** 32 lowercase hex digits, or "". */
  traceId: string;
  /** 16 lowercase hex digits, or "". */
  spanId: string;
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpScopeLogs {
  scope: OtlpScope;
  logRecords: OtlpLogRecord[];
  schemaUrl: string;
}

export interface OtlpResource {
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpResourceLogs {
  resource: OtlpResource;
  scopeLogs: OtlpScopeLogs[];
  schemaUrl: string;
}

export interface ExportLogsRequest {
  resourceLogs: OtlpResourceLogs[];
}

/** ExportLogsServiceResponse.partial_success; rejectedLogRecords 0 and errorMessage "" mean full success. */
export interface LogsPartialSuccess {
  rejectedLogRecords: number;
  errorMessage: string;
}

/** google.rpc.Status, the body of every OTLP/HTTP error answer (details are never sent). */
export interface RpcStatus {
  code: number;
  message: string;
}

/** gRPC status codes that Vigil's OTLP answers use. */
export const RPC_CODE = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;
export const UINT64_MAX = 2n ** 64n - 1n;
export { INT64_MAX, INT64_MIN, malformed } from './protobuf-strict.js';

export const emptyScope = (): OtlpScope => ({ name: '', version: '', attributes: [], droppedAttributesCount: 0 });
export const emptyResource = (): OtlpResource => ({ attributes: [], droppedAttributesCount: 0 });
