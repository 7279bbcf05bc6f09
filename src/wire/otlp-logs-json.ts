// OTLP logs in OTLP/JSON (Content-Type application/json): the protobuf messages in proto3's JSON mapping
// with the OTLP specification's exceptions: trace and span ids are hex strings (not base64), enum
// values are integers. As proto3's JSON readers do, field names are taken in lowerCamelCase or as
// declared (time_unix_nano), 64-bit integers as decimal strings or numbers, null as the default, enum
// values also by name, and unknown fields are ignored (the specification requires it). Every refusal
// names the element it is about: resourceLogs[0].scopeLogs[1].logRecords[2].timeUnixNano: …
import { isRecord } from '../core/event.js';
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

type Obj = Record<string, unknown>;

/** AnyValues nested deeper than this are refused (protobuf stops at protobufjs's 100 message levels). */
export const MAX_VALUE_DEPTH = 48;

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
};

/** A field by its JSON name or its proto name; null and absent are both the default. */
function get(o: Obj, camel: string, snake = camel): unknown {
  const v = o[camel] ?? o[snake];
  return v === null ? undefined : v;
}

function message(v: unknown, where: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw malformed(where, `must be an object, got ${show(v)}`);
  return v;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw malformed(where, `must be an array, got ${show(v)}`);
  return v;
}

function str(v: unknown, where: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw malformed(where, `must be a string, got ${show(v)}`);
  return v;
}

function integer(v: unknown, where: string, min: bigint, max: bigint, kind: string): bigint {
  if (v === undefined) return 0n;
  let n: bigint;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) n = BigInt(v);
  else throw malformed(where, `must be ${kind} as a decimal string or a number, got ${show(v)}`);
  if (n < min || n > max) throw malformed(where, `${v} is outside the range of ${kind}`);
  return n;
}

const uint64 = (v: unknown, where: string) => integer(v, where, 0n, UINT64_MAX, 'a uint64');
const int64 = (v: unknown, where: string) => integer(v, where, INT64_MIN, INT64_MAX, 'an int64');
const uint32 = (v: unknown, where: string) => Number(integer(v, where, 0n, 0xffffffffn, 'a uint32'));

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

function severity(v: unknown, where: string): number {
  if (typeof v === 'string' && v.startsWith('SEVERITY_NUMBER_')) {
    const n = SEVERITY_NAMES.indexOf(v.slice('SEVERITY_NUMBER_'.length));
    if (n >= 0) return n;
  }
  return Number(integer(v, where, -(2n ** 31n), 2n ** 31n - 1n, 'a SeverityNumber (an integer, 0 to 24)'));
}

function double(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw malformed(where, `must be a number, got ${show(v)}`);
}

function bytes(v: unknown, where: string): Uint8Array {
  // proto3 JSON: standard or URL-safe base64, padded or not.
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v) || v.replace(/=+$/, '').length % 4 === 1) {
    throw malformed(where, `must be base64, got ${show(v)}`);
  }
  return Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64');
}

function hexId(v: unknown, size: number, what: string, where: string): string {
  const s = str(v, where);
  if (s === '') return '';
  if (s.length !== size * 2 || !/^[0-9a-fA-F]+$/.test(s)) {
    throw malformed(where, `a ${what} is ${size * 2} hex digits in OTLP/JSON (not base64), got ${show(s)}`);
  }
  return s.toLowerCase();
}

const ANY_MEMBERS: [camel: string, snake: string][] = [
  ['stringValue', 'string_value'],
  ['boolValue', 'bool_value'],
  ['intValue', 'int_value'],
  ['doubleValue', 'double_value'],
  ['arrayValue', 'array_value'],
  ['kvlistValue', 'kvlist_value'],
  ['bytesValue', 'bytes_value'],
];

function anyValue(v: unknown, where: string, depth: number): OtlpAnyValue {
  if (depth > MAX_VALUE_DEPTH) throw malformed(where, `values are nested more than ${MAX_VALUE_DEPTH} levels deep`);
  const o = message(v, where);
  const set = ANY_MEMBERS.filter(([c, s]) => get(o, c, s) !== undefined);
  if (set.length === 0) return { type: 'empty' };
  if (set.length > 1) throw malformed(where, `an AnyValue holds one value, this one has ${set.map(([c]) => c).join(' and ')}`);
  const [camel, snake] = set[0]!;
  const x = get(o, camel, snake);
  const at = `${where}.${camel}`;
  switch (camel) {
    case 'stringValue':
      return { type: 'string', value: str(x, at) };
    case 'boolValue':
      if (typeof x !== 'boolean') throw malformed(at, `must be true or false, got ${show(x)}`);
      return { type: 'bool', value: x };
    case 'intValue':
      return { type: 'int', value: int64(x, at) };
    case 'doubleValue':
      return { type: 'double', value: double(x, at) };
    case 'bytesValue':
      return { type: 'bytes', value: bytes(x, at) };
    case 'arrayValue':
      return { type: 'array', value: list(get(message(x, at), 'values'), `${at}.values`).map((e, i) => anyValue(e, `${at}.values[${i}]`, depth + 1)) };
    default:
      return { type: 'kvlist', value: keyValues(get(message(x, at), 'values'), `${at}.values`, depth + 1) };
  }
}

function keyValues(v: unknown, where: string, depth = 0): OtlpKeyValue[] {
  return list(v, where).map((e, i) => {
    const kv = message(e, `${where}[${i}]`);
    return { key: str(get(kv, 'key'), `${where}[${i}].key`), value: anyValue(get(kv, 'value'), `${where}[${i}].value`, depth) };
  });
}

function logRecord(v: unknown, where: string): OtlpLogRecord {
  const o = message(v, where);
  return {
    timeUnixNano: uint64(get(o, 'timeUnixNano', 'time_unix_nano'), `${where}.timeUnixNano`),
    observedTimeUnixNano: uint64(get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), `${where}.observedTimeUnixNano`),
    severityNumber: severity(get(o, 'severityNumber', 'severity_number'), `${where}.severityNumber`),
    severityText: str(get(o, 'severityText', 'severity_text'), `${where}.severityText`),
    eventName: str(get(o, 'eventName', 'event_name'), `${where}.eventName`),
    body: anyValue(get(o, 'body'), `${where}.body`, 0),
    attributes: keyValues(get(o, 'attributes'), `${where}.attributes`),
    droppedAttributesCount: uint32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), `${where}.droppedAttributesCount`),
    flags: uint32(get(o, 'flags'), `${where}.flags`),
    traceId: hexId(get(o, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'trace id', `${where}.traceId`),
    spanId: hexId(get(o, 'spanId', 'span_id'), SPAN_ID_BYTES, 'span id', `${where}.spanId`),
  };
}

function scopeLogs(v: unknown, where: string): OtlpScopeLogs {
  const o = message(v, where);
  const scope = emptyScope();
  const s = get(o, 'scope');
  if (s !== undefined) {
    const m = message(s, `${where}.scope`);
    scope.name = str(get(m, 'name'), `${where}.scope.name`);
    scope.version = str(get(m, 'version'), `${where}.scope.version`);
    scope.attributes = keyValues(get(m, 'attributes'), `${where}.scope.attributes`);
    scope.droppedAttributesCount = uint32(get(m, 'droppedAttributesCount', 'dropped_attributes_count'), `${where}.scope.droppedAttributesCount`);
  }
  return {
    scope,
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), `${where}.schemaUrl`),
    logRecords: list(get(o, 'logRecords', 'log_records'), `${where}.logRecords`).map((r, i) => logRecord(r, `${where}.logRecords[${i}]`)),
  };
}

function resourceLogs(v: unknown, where: string): OtlpResourceLogs {
  const o = message(v, where);
  const resource = emptyResource();
  const r = get(o, 'resource');
  if (r !== undefined) {
    const m = message(r, `${where}.resource`);
    resource.attributes = keyValues(get(m, 'attributes'), `${where}.resource.attributes`);
    resource.droppedAttributesCount = uint32(get(m, 'droppedAttributesCount', 'dropped_attributes_count'), `${where}.resource.droppedAttributesCount`);
  }
  return {
    resource,
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), `${where}.schemaUrl`),
    scopeLogs: list(get(o, 'scopeLogs', 'scope_logs'), `${where}.scopeLogs`).map((s, i) => scopeLogs(s, `${where}.scopeLogs[${i}]`)),
  };
}

/** An ExportLogsServiceRequest from its OTLP/JSON text (already decompressed). */
export function decodeLogsRequestJson(body: Uint8Array | string): ExportLogsRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  } catch (err) {
    throw malformed('body', `not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(doc)) throw malformed('body', 'an ExportLogsServiceRequest is a JSON object {"resourceLogs":[...]}');
  return { resourceLogs: list(get(doc, 'resourceLogs', 'resource_logs'), 'resourceLogs').map((r, i) => resourceLogs(r, `resourceLogs[${i}]`)) };
}

function anyValueJson(v: OtlpAnyValue): Obj {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value.toString() };
    case 'double':
      return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
    case 'bytes':
      return { bytesValue: Buffer.from(v.value).toString('base64') };
    case 'array':
      return { arrayValue: { values: v.value.map(anyValueJson) } };
    case 'kvlist':
      return { kvlistValue: { values: v.value.map(keyValueJson) } };
    case 'empty':
      return {};
  }
}

const keyValueJson = (kv: OtlpKeyValue): Obj => ({ key: kv.key, value: anyValueJson(kv.value) });

/** The OTLP/JSON text of an ExportLogsServiceRequest (for an OTLP output, and for tests). */
export function encodeLogsRequestJson(req: ExportLogsRequest): string {
  return JSON.stringify({
    resourceLogs: req.resourceLogs.map((r) => ({
      resource: { attributes: r.resource.attributes.map(keyValueJson), droppedAttributesCount: r.resource.droppedAttributesCount },
      schemaUrl: r.schemaUrl,
      scopeLogs: r.scopeLogs.map((s) => ({
        scope: { name: s.scope.name, version: s.scope.version, attributes: s.scope.attributes.map(keyValueJson), droppedAttributesCount: s.scope.droppedAttributesCount },
        schemaUrl: s.schemaUrl,
        logRecords: s.logRecords.map((l) => ({
          timeUnixNano: l.timeUnixNano.toString(),
          observedTimeUnixNano: l.observedTimeUnixNano.toString(),
          severityNumber: l.severityNumber,
          severityText: l.severityText,
          eventName: l.eventName,
          body: anyValueJson(l.body),
          attributes: l.attributes.map(keyValueJson),
          droppedAttributesCount: l.droppedAttributesCount,
          flags: l.flags,
          traceId: l.traceId,
          spanId: l.spanId,
        })),
      })),
    })),
  });
}

/** ExportLogsServiceResponse as OTLP/JSON: {} for a full success. */
export function encodeLogsResponseJson(partial?: LogsPartialSuccess): string {
  if (!partial || (partial.rejectedLogRecords === 0 && partial.errorMessage === '')) return '{}';
  // int64 as a decimal string, proto3 JSON's canonical form.
  return JSON.stringify({ partialSuccess: { rejectedLogRecords: String(partial.rejectedLogRecords), errorMessage: partial.errorMessage } });
}

/** google.rpc.Status as JSON: {"code":3,"message":"…"}. */
export function encodeStatusJson(status: RpcStatus): string {
  return JSON.stringify({ code: status.code, message: status.message });
}
