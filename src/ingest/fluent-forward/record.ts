// One Fluent event (tag, time, record) -> one Vigil envelope record (EntryMeta.envelope):
//   @timestamp                      the event time (EventTime or integer/float seconds), unless the
//                                   record has its own @timestamp
//   message                         the record's `log` (Fluent Bit tail, docker), else its `message`,
//                                   when a string: the process stage parses it as a line, and the
//                                   fields below fill only what the line itself does not say
//   fluent.tag                      the Fluent tag (custom: ECS has no routing-key field)
//   fluent.metadata                 Fluent Bit's per-event metadata ([[time, metadata], record]), if any
//   fluent.message                  the record's `message` when `log` was taken as the message
//   container.id, container.name    docker's container_id, container_name (its leading "/" dropped)
//   stream                          docker's source (stdout/stderr), as Filebeat names it (dropped
//                                   when the record's own stream says the same)
//   process.name, process.pid       syslog inputs' ident and pid
//   host.name, service.name, user.name, error.message, url.original, file.path
//                                   a plain value under host, service, user, error, url or file
//   fluent.<key>                    a plain value under any other key that ECS uses for an object
//                                   (source, event, log, ...), so it cannot clash with ECS fields
//   anything else                   kept as given (Fluent Bit's kubernetes.*, stream, logtag, ...)
// msgpack values become JSON: bin as UTF-8 text, EventTime and timestamps as ISO 8601 strings, other
// extension values as {"ext": type, "base64": data}.
import { ExtData } from '@msgpack/msgpack';
import { jsonRecord, type IngestRecord } from '../records.js';
import { isRecord } from '../../core/event.js';
import { ECS_FIELD_SETS, PLAIN_HOME } from '../ecs-field-sets.js';

/** Fluent's EventTime (msgpack ext type 0): seconds and nanoseconds since the epoch. */
export class EventTime {
  constructor(
    readonly sec: number,
    readonly nsec: number,
  ) {}

  get ms(): number {
    return this.sec * 1000 + Math.floor(this.nsec / 1e6);
  }
}

/** Epoch ms of an entry's time, or null when it is not a time. */
export function timeMs(t: unknown): number | null {
  if (t instanceof EventTime) return t.ms;
  if (typeof t === 'number' && Number.isFinite(t)) return Math.floor(t * 1000);
  if (typeof t === 'bigint') return Number(t) * 1000;
  return null;
}

const iso = (ms: number): string | null => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

/** A decoded msgpack value as JSON. */
export function toJson(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  if (v instanceof EventTime) return iso(v.ms);
  if (v instanceof Date) return iso(v.getTime());
  if (v instanceof ExtData) return { ext: v.type, base64: v.data instanceof Uint8Array ? Buffer.from(v.data).toString('base64') : null };
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJson(x);
    return out;
  }
  return null;
}

/** Top-level ECS field sets and this input's own: a plain value under one of these names would clash. */
const ECS_OBJECTS = new Set([...ECS_FIELD_SETS, 'vigil', 'fluent']);


function put(doc: Record<string, unknown>, obj: string, key: string, value: unknown): void {
  const cur = doc[obj];
  const o = isRecord(cur) ? cur : {};
  if (o[key] === undefined) o[key] = value;
  doc[obj] = o;
}

/** The envelope for one event; `record` is already JSON (toJson). */
export function envelopeDoc(tag: string, ms: number | null, record: Record<string, unknown>, metadata?: unknown): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const fluent: Record<string, unknown> = { tag };
  if (isRecord(metadata) && Object.keys(metadata).length > 0) fluent.metadata = metadata;
  const line = typeof record.log === 'string' ? 'log' : typeof record.message === 'string' ? 'message' : null;
  if (line) doc.message = record[line];
  if (line === 'log' && record.message !== undefined) fluent.message = record.message;

  for (const [k, v] of Object.entries(record)) {
    if (k === line || (line === 'log' && k === 'message')) continue;
    if (k === 'container_id' && typeof v === 'string') put(doc, 'container', 'id', v);
    else if (k === 'container_name' && typeof v === 'string') put(doc, 'container', 'name', v.replace(/^\//, ''));
    else if (k === 'ident' && typeof v === 'string') put(doc, 'process', 'name', v);
    else if (k === 'pid' && (typeof v === 'number' || /^\d+$/.test(String(v)))) put(doc, 'process', 'pid', Number(v));
    else if (k === 'source' && (v === 'stdout' || v === 'stderr') && (record.stream === undefined || record.stream === v)) {
      if (record.stream === undefined) doc.stream = v;
    }
    else if (ECS_OBJECTS.has(k) && !isRecord(v)) {
      const home = PLAIN_HOME[k];
      if (home) put(doc, k, home, v);
      else fluent[k] = v;
    } else if (isRecord(v) && isRecord(doc[k])) doc[k] = { ...v, ...(doc[k] as Record<string, unknown>) };
    else doc[k] = v;
  }
  if (doc['@timestamp'] === undefined && ms !== null) {
    const t = iso(ms);
    if (t) doc['@timestamp'] = t;
  }
  doc.fluent = isRecord(doc.fluent) ? { ...(doc.fluent as Record<string, unknown>), ...fluent } : fluent;
  return doc;
}

/** One event as the record the queue takes, capped at maxRecordBytes. */
export function eventRecord(tag: string, time: unknown, record: unknown, metadata: unknown, maxRecordBytes: number): IngestRecord {
  const doc = envelopeDoc(tag, timeMs(time), toJson(record) as Record<string, unknown>, toJson(metadata));
  return jsonRecord(doc, true, maxRecordBytes);
}
