// Hand-assembled OTLP protobuf bytes, written from opentelemetry-proto's field numbers without
// protobufjs, so that tests check Vigil's decoder against an encoder that shares no code with it:
//   ExportLogsServiceRequest.resource_logs = 1
//   ResourceLogs { resource = 1; scope_logs = 2 }   Resource { attributes = 1 }
//   ScopeLogs { scope = 1; log_records = 2 }        InstrumentationScope { name = 1; version = 2 }
//   LogRecord { time_unix_nano = 1 (fixed64); severity_number = 2; severity_text = 3; body = 5;
//               attributes = 6; trace_id = 9; span_id = 10; observed_time_unix_nano = 11 (fixed64);
//               event_name = 12 }
//   KeyValue { key = 1; value = 2 }                 AnyValue { string_value = 1; int_value = 3 }

export function varint(n: bigint | number): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

const tag = (field: number, wire: number) => varint((field << 3) | wire);

/** A length-delimited field: a string, bytes or an embedded message. */
export function ld(field: number, content: Buffer | string): Buffer {
  const b = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Buffer.concat([tag(field, 2), varint(b.length), b]);
}

export function fixed64(field: number, v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return Buffer.concat([tag(field, 1), b]);
}

export const uvarintField = (field: number, v: bigint | number) => Buffer.concat([tag(field, 0), varint(v)]);

/** A KeyValue with a string value, as field `field` of its parent. */
export const stringAttribute = (field: number, key: string, value: string) => ld(field, Buffer.concat([ld(1, key), ld(2, ld(1, value))]));

export interface HandRecord {
  time?: bigint;
  observed?: bigint;
  severityNumber?: number;
  severityText?: string;
  body?: string;
  attributes?: Record<string, string>;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

export function handLogRecord(r: HandRecord): Buffer {
  const parts: Buffer[] = [];
  if (r.time !== undefined) parts.push(fixed64(1, r.time));
  if (r.severityNumber !== undefined) parts.push(uvarintField(2, r.severityNumber));
  if (r.severityText !== undefined) parts.push(ld(3, r.severityText));
  if (r.body !== undefined) parts.push(ld(5, ld(1, r.body)));
  for (const [k, v] of Object.entries(r.attributes ?? {})) parts.push(stringAttribute(6, k, v));
  if (r.traceId !== undefined) parts.push(ld(9, Buffer.from(r.traceId, 'hex')));
  if (r.spanId !== undefined) parts.push(ld(10, Buffer.from(r.spanId, 'hex')));
  if (r.observed !== undefined) parts.push(fixed64(11, r.observed));
  if (r.eventName !== undefined) parts.push(ld(12, r.eventName));
  return Buffer.concat(parts);
}

/** An ExportLogsServiceRequest with one resource and one scope. */
export function handExportRequest(opts: { resource: Record<string, string>; scope?: { name: string; version?: string }; records: HandRecord[] }): Buffer {
  const resource = Buffer.concat(Object.entries(opts.resource).map(([k, v]) => stringAttribute(1, k, v)));
  const scope = opts.scope ? ld(1, Buffer.concat([ld(1, opts.scope.name), ...(opts.scope.version ? [ld(2, opts.scope.version)] : [])])) : Buffer.alloc(0);
  const scopeLogs = ld(2, Buffer.concat([scope, ...opts.records.map((r) => ld(2, handLogRecord(r)))]));
  return ld(1, Buffer.concat([ld(1, resource), scopeLogs]));
}
