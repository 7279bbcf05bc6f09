// One OTLP log record -> one Vigil envelope (EntryMeta.envelope): a JSON document whose `message` the
// process stage parses like any line, the other fields filling only what the line does not say.
//
//   body (string)                 message, as sent
//   body (kvlist)                 its fields at the top level, as a JSON log's; its `message`, `msg` or
//                                 (journald's) `MESSAGE` string is the message. A plain value under an
//                                 ECS object name goes to host.name, service.name, user.name,
//                                 error.message, url.original or file.path, or else to otel.body.<key>,
//                                 so it cannot clash with ECS; so do `vigil` and a `message` that is
//                                 not the line
//   body (other)                  message: a number or bool as text, bytes as base64, an array as JSON
//   time_unix_nano                @timestamp, else observed_time_unix_nano
//   observed_time_unix_nano       event.created
//   severity_text / _number       log.level / event.severity
//   event_name                    event.action
//   trace_id / span_id            trace.id / span.id (hex; all-zero ids are "none" in OTLP, and dropped)
//   scope name / version          otel.scope.name / otel.scope.version (semconv's names for them)
//   attributes                    ECS fields and labels (map-attributes.ts)
// Precedence, highest first: the body's own fields, the record's fields above, its attributes, the
// scope's attributes, the resource's attributes. Not kept: flags, dropped_attributes_count, schema_url.
import { isDoc, setPath, type EcsDoc, type EcsValue } from '../../core/event.js';
import type { OtlpKeyValue, OtlpLogRecord, OtlpResource, OtlpScope } from '../../wire/otlp-logs.js';
import { mapAttributes } from './map-attributes.js';
import { ECS_FIELD_SETS, PLAIN_HOME } from '../ecs-field-sets.js';
import { plainDoc, valueJson, valueText } from './map-value.js';

/** Body keys that hold the event's line, in the order they are looked for. */
const MESSAGE_KEYS = ['message', 'msg', 'MESSAGE'] as const;

/** Top-level ECS field sets and the ones OTel data fills: a plain value under one of these names would clash. */
const ECS_OBJECTS = new Set([...ECS_FIELD_SETS, 'device', 'kubernetes', 'labels', 'span', 'trace', 'transaction', 'otel']);

/** What every record of one (resource, scope) pair shares; computed once per ScopeLogs. */
export function scopeBase(resource: OtlpResource, scope: OtlpScope): EcsDoc {
  const doc = plainDoc();
  mapAttributes(resource.attributes, doc);
  mapAttributes(scope.attributes, doc);
  if (scope.name) setPath(doc, 'otel.scope.name', scope.name);
  if (scope.version) setPath(doc, 'otel.scope.version', scope.version);
  return doc;
}

/** ISO 8601 (milliseconds) of Unix nanoseconds; undefined for 0 (OTLP's "unknown"). */
export function isoOfNanos(ns: bigint): string | undefined {
  if (ns <= 0n) return undefined;
  const d = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const noneId = (hex: string) => hex === '' || /^0+$/.test(hex);

/** The record's own fields: everything but the body. */
function recordFields(r: OtlpLogRecord): EcsDoc {
  const doc = plainDoc();
  mapAttributes(r.attributes, doc);
  const time = isoOfNanos(r.timeUnixNano) ?? isoOfNanos(r.observedTimeUnixNano);
  if (time) doc['@timestamp'] = time;
  const observed = isoOfNanos(r.observedTimeUnixNano);
  if (observed) setPath(doc, 'event.created', observed);
  if (r.severityText) setPath(doc, 'log.level', r.severityText);
  if (r.severityNumber !== 0) setPath(doc, 'event.severity', r.severityNumber);
  if (r.eventName) setPath(doc, 'event.action', r.eventName);
  if (!noneId(r.traceId)) setPath(doc, 'trace.id', r.traceId);
  if (!noneId(r.spanId)) setPath(doc, 'span.id', r.spanId);
  return doc;
}

/** A kvlist body as the event's own fields. */
function bodyFields(list: readonly OtlpKeyValue[]): EcsDoc {
  const doc = plainDoc();
  const aside = plainDoc();
  const line = MESSAGE_KEYS.find((k) => list.some((kv) => kv.key === k && kv.value.type === 'string' && kv.value.value !== ''));
  for (const { key, value } of list) {
    const v = valueJson(value);
    if (key === line && doc.message === undefined) doc.message = v;
    else if (key === 'vigil' || key === 'message' || (ECS_OBJECTS.has(key) && !isDoc(v))) {
      const home = Object.hasOwn(PLAIN_HOME, key) ? PLAIN_HOME[key] : undefined;
      if (home && v !== null && !Array.isArray(v)) setPath(doc, `${key}.${home}`, v);
      else aside[key] = v;
    } else doc[key] = v;
  }
  if (Object.keys(aside).length > 0) setPath(doc, 'otel.body', aside);
  return doc;
}

/** Copies into `doc` what it lacks from `from`, copying objects so that `from` is never shared. */
function fillGaps(doc: EcsDoc, from: EcsDoc): EcsDoc {
  for (const k of Object.keys(from)) {
    const v = from[k];
    if (v === undefined) continue;
    const cur = doc[k];
    if (cur === undefined) doc[k] = isDoc(v) ? fillGaps(plainDoc(), v) : (v as EcsValue);
    else if (isDoc(cur) && isDoc(v)) fillGaps(cur, v);
  }
  return doc;
}

/** The envelope of one record, given its scope's shared fields (scopeBase). */
export function recordEnvelope(r: OtlpLogRecord, base: EcsDoc): EcsDoc {
  let doc: EcsDoc;
  if (r.body.type === 'kvlist') doc = bodyFields(r.body.value);
  else {
    doc = plainDoc();
    if (r.body.type !== 'empty') {
      const text = valueText(r.body);
      if (text !== '') doc.message = text;
    }
  }
  fillGaps(doc, recordFields(r));
  return fillGaps(doc, base);
}
