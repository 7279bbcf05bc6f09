// OTLP logs in binary protobuf (Content-Type application/x-protobuf): what the OpenTelemetry Collector's
// otlphttp exporter sends by default, and most SDKs, decoded to the normalised request and encoded from
// it, with the schema of otlp-logs-schema.ts.
//
// Unknown field numbers are skipped (newer senders add fields), but a known field whose wire type does
// not fit its declaration is refused, as the Collector refuses it: random bytes mostly look like that.
import { T } from './otlp-logs-schema.js';
import { checkWireTypes, decodeKeepingUnknowns, type Msg } from './protobuf-strict.js';
import {
  INT64_MAX,
  INT64_MIN,
  malformed,
  SPAN_ID_BYTES,
  TRACE_ID_BYTES,
  UINT64_MAX,
  emptyResource,
  emptyScope,
  type ExportLogsRequest,
  type LogsPartialSuccess,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpLogRecord,
  type OtlpResourceLogs,
  type OtlpScopeLogs,
  type RpcStatus,
} from './otlp-logs-model.js';


/** What protobufjs gives for a 64-bit field: a Long (the `long` package is installed) or a number. */
type Long64 = number | { low: number; high: number };
interface AnyValueMsg extends Msg {
  value?: 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue';
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long64;
  doubleValue?: number;
  arrayValue?: Msg & { values?: AnyValueMsg[] };
  kvlistValue?: Msg & { values?: KeyValueMsg[] };
  bytesValue?: Uint8Array;
}
interface KeyValueMsg extends Msg {
  key?: string;
  value?: AnyValueMsg;
}
interface ScopeMsg extends Msg {
  name?: string;
  version?: string;
  attributes?: KeyValueMsg[];
  droppedAttributesCount?: number;
}
interface ResourceMsg extends Msg {
  attributes?: KeyValueMsg[];
  droppedAttributesCount?: number;
}
interface LogRecordMsg extends Msg {
  timeUnixNano?: Long64;
  observedTimeUnixNano?: Long64;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValueMsg;
  attributes?: KeyValueMsg[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}
interface ScopeLogsMsg extends Msg {
  scope?: ScopeMsg;
  logRecords?: LogRecordMsg[];
  schemaUrl?: string;
}
interface ResourceLogsMsg extends Msg {
  resource?: ResourceMsg;
  scopeLogs?: ScopeLogsMsg[];
  schemaUrl?: string;
}
interface RequestMsg extends Msg {
  resourceLogs?: ResourceLogsMsg[];
}

function uint64(v: Long64 | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return BigInt(v);
  return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
}

const int64 = (v: Long64 | undefined): bigint => BigInt.asIntN(64, uint64(v));


function id(bytes: Uint8Array | undefined, size: number, what: string, where: string): string {
  if (!bytes || bytes.length === 0) return '';
  if (bytes.length !== size) throw malformed(where, `a ${what} is ${size} bytes, this one is ${bytes.length}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

function anyValue(m: AnyValueMsg | undefined, where: string): OtlpAnyValue {
  if (!m) return { type: 'empty' };
  checkWireTypes(m, T.anyValue, where);
  switch (m.value) {
    case 'stringValue':
      return { type: 'string', value: m.stringValue ?? '' };
    case 'boolValue':
      return { type: 'bool', value: m.boolValue === true };
    case 'intValue':
      return { type: 'int', value: int64(m.intValue) };
    case 'doubleValue':
      return { type: 'double', value: m.doubleValue ?? 0 };
    case 'bytesValue':
      return { type: 'bytes', value: m.bytesValue ?? new Uint8Array() };
    case 'arrayValue': {
      const a = m.arrayValue ?? {};
      checkWireTypes(a, T.arrayValue, `${where}.arrayValue`);
      return { type: 'array', value: (a.values ?? []).map((v, i) => anyValue(v, `${where}.arrayValue.values[${i}]`)) };
    }
    case 'kvlistValue': {
      const l = m.kvlistValue ?? {};
      checkWireTypes(l, T.kvList, `${where}.kvlistValue`);
      return { type: 'kvlist', value: keyValues(l.values, `${where}.kvlistValue.values`) };
    }
    default:
      return { type: 'empty' };
  }
}

function keyValues(list: KeyValueMsg[] | undefined, where: string): OtlpKeyValue[] {
  return (list ?? []).map((kv, i) => {
    checkWireTypes(kv, T.keyValue, `${where}[${i}]`);
    return { key: kv.key ?? '', value: anyValue(kv.value, `${where}[${i}].value`) };
  });
}

function logRecord(m: LogRecordMsg, where: string): OtlpLogRecord {
  checkWireTypes(m, T.logRecord, where);
  return {
    timeUnixNano: uint64(m.timeUnixNano),
    observedTimeUnixNano: uint64(m.observedTimeUnixNano),
    severityNumber: m.severityNumber ?? 0,
    severityText: m.severityText ?? '',
    eventName: m.eventName ?? '',
    body: anyValue(m.body, `${where}.body`),
    attributes: keyValues(m.attributes, `${where}.attributes`),
    droppedAttributesCount: m.droppedAttributesCount ?? 0,
    flags: (m.flags ?? 0) >>> 0,
    traceId: id(m.traceId, TRACE_ID_BYTES, 'trace id', `${where}.traceId`),
    spanId: id(m.spanId, SPAN_ID_BYTES, 'span id', `${where}.spanId`),
  };
}

function scopeLogs(m: ScopeLogsMsg, where: string): OtlpScopeLogs {
  checkWireTypes(m, T.scopeLogs, where);
  const scope = emptyScope();
  if (m.scope) {
    checkWireTypes(m.scope, T.scope, `${where}.scope`);
    scope.name = m.scope.name ?? '';
    scope.version = m.scope.version ?? '';
    scope.attributes = keyValues(m.scope.attributes, `${where}.scope.attributes`);
    scope.droppedAttributesCount = m.scope.droppedAttributesCount ?? 0;
  }
  return { scope, schemaUrl: m.schemaUrl ?? '', logRecords: (m.logRecords ?? []).map((r, i) => logRecord(r, `${where}.logRecords[${i}]`)) };
}

function resourceLogs(m: ResourceLogsMsg, where: string): OtlpResourceLogs {
  checkWireTypes(m, T.resourceLogs, where);
  const resource = emptyResource();
  if (m.resource) {
    checkWireTypes(m.resource, T.resource, `${where}.resource`);
    resource.attributes = keyValues(m.resource.attributes, `${where}.resource.attributes`);
    resource.droppedAttributesCount = m.resource.droppedAttributesCount ?? 0;
  }
  return { resource, schemaUrl: m.schemaUrl ?? '', scopeLogs: (m.scopeLogs ?? []).map((s, i) => scopeLogs(s, `${where}.scopeLogs[${i}]`)) };
}

/** An ExportLogsServiceRequest from its protobuf bytes (already decompressed). */
export function decodeLogsRequestProtobuf(bytes: Uint8Array): ExportLogsRequest {
  let msg: RequestMsg;
  try {
    msg = decodeKeepingUnknowns<RequestMsg>(T.request, bytes);
  } catch (err) {
    const what = err instanceof RangeError ? 'it is truncated (a length runs past the end of the body)' : (err as Error).message;
    const hint = bytes[0] === 0x7b ? '; the body looks like JSON, which is sent with Content-Type: application/json' : '';
    throw malformed('body', `not a protobuf ExportLogsServiceRequest: ${what}${hint}`);
  }
  checkWireTypes(msg, T.request, 'body');
  return { resourceLogs: (msg.resourceLogs ?? []).map((r, i) => resourceLogs(r, `resourceLogs[${i}]`)) };
}

/** A 64-bit value as the low/high words protobufjs encodes (two's complement for negative int64). */
const long = (v: bigint) => {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0 };
};
const hexBytes = (hex: string) => Buffer.from(hex, 'hex');

function anyValueObject(v: OtlpAnyValue): Record<string, unknown> {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: long(v.value) };
    case 'double':
      return { doubleValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(anyValueObject) } };
    case 'kvlist':
      return { kvlistValue: { values: v.value.map(keyValueObject) } };
    case 'empty':
      return {};
  }
}

const keyValueObject = (kv: OtlpKeyValue) => ({ key: kv.key, value: anyValueObject(kv.value) });

/** The protobuf bytes of an ExportLogsServiceRequest (for an OTLP output, and for tests). */
export function encodeLogsRequestProtobuf(req: ExportLogsRequest): Uint8Array {
  for (const r of req.resourceLogs) for (const s of r.scopeLogs) for (const l of s.logRecords) checkRange(l);
  return T.request
    .encode({
      resourceLogs: req.resourceLogs.map((r) => ({
        resource: { attributes: r.resource.attributes.map(keyValueObject), droppedAttributesCount: r.resource.droppedAttributesCount },
        schemaUrl: r.schemaUrl,
        scopeLogs: r.scopeLogs.map((s) => ({
          scope: { name: s.scope.name, version: s.scope.version, attributes: s.scope.attributes.map(keyValueObject), droppedAttributesCount: s.scope.droppedAttributesCount },
          schemaUrl: s.schemaUrl,
          logRecords: s.logRecords.map((l) => ({
            timeUnixNano: long(l.timeUnixNano),
            observedTimeUnixNano: long(l.observedTimeUnixNano),
            severityNumber: l.severityNumber,
            severityText: l.severityText,
            eventName: l.eventName,
            body: l.body.type === 'empty' ? undefined : anyValueObject(l.body),
            attributes: l.attributes.map(keyValueObject),
            droppedAttributesCount: l.droppedAttributesCount,
            flags: l.flags,
            traceId: hexBytes(l.traceId),
            spanId: hexBytes(l.spanId),
          })),
        })),
      })),
    })
    .finish();
}

function checkRange(l: OtlpLogRecord): void {
  for (const t of [l.timeUnixNano, l.observedTimeUnixNano]) if (t < 0n || t > UINT64_MAX) throw new RangeError(`time ${t} is not a uint64`);
  const ints = (v: OtlpAnyValue): void => {
    if (v.type === 'int' && (v.value < INT64_MIN || v.value > INT64_MAX)) throw new RangeError(`intValue ${v.value} is not an int64`);
    if (v.type === 'array') v.value.forEach(ints);
    if (v.type === 'kvlist') v.value.forEach((kv) => ints(kv.value));
  };
  ints(l.body);
}

/** ExportLogsServiceResponse: empty for a full success, partial_success when records were refused. */
export function encodeLogsResponseProtobuf(partial?: LogsPartialSuccess): Uint8Array {
  if (!partial || (partial.rejectedLogRecords === 0 && partial.errorMessage === '')) return new Uint8Array();
  return T.response.encode({ partialSuccess: { rejectedLogRecords: partial.rejectedLogRecords, errorMessage: partial.errorMessage } }).finish();
}

export function decodeLogsResponseProtobuf(bytes: Uint8Array): LogsPartialSuccess | null {
  const m = T.response.decode(bytes) as Msg & { partialSuccess?: { rejectedLogRecords?: Long64; errorMessage?: string } };
  if (!m.partialSuccess) return null;
  return { rejectedLogRecords: Number(int64(m.partialSuccess.rejectedLogRecords)), errorMessage: m.partialSuccess.errorMessage ?? '' };
}

export function encodeStatusProtobuf(status: RpcStatus): Uint8Array {
  return T.status.encode({ code: status.code, message: status.message }).finish();
}

export function decodeStatusProtobuf(bytes: Uint8Array): RpcStatus {
  const m = T.status.decode(bytes) as Msg & { code?: number; message?: string };
  return { code: m.code ?? 0, message: m.message ?? '' };
}
