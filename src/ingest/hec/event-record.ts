// One HEC event envelope -> one Vigil record. The envelope is checked the way Splunk checks it (event
// required and not blank, time a number of epoch seconds, metadata strings, indexed fields flat), and
// any failure names the event so the whole batch can be refused with Splunk's code.
//
// Mapping (what the pipeline then sees):
//   "event": "<text>"  -> an envelope record (EntryMeta.envelope): the string is the event, parsed like
//                         any line (a syslog header gives @timestamp and host.name, the program picks a
//                         text parser, a JSON object string goes to the JSON parsers), and event.original
//                         is the sender's string byte for byte. The envelope's time, host, source,
//                         sourcetype, index and fields (mapped as for objects, below) fill only what the
//                         line itself does not say.
//   "event": {…}       -> a JSON record: the object's own fields at the top level (so format-specific
//                         JSON parsers such as CloudTrail or Okta still recognise it), plus
//                           time       -> @timestamp (ISO 8601), unless the object has its own @timestamp
//                           host       -> host.name, unless the object sets host (then splunk.host)
//                           source     -> log.file.path, unless the object sets log.file.path (then splunk.source)
//                           sourcetype -> splunk.sourcetype
//                           index      -> splunk.index (the tenant comes from the token, never from here)
//                           fields     -> splunk.fields
//                         event.original is this JSON record.
//   "event": 42 / true / […] -> a text record of its JSON text.
// A record longer than maxRecordBytes is cut there (on a UTF-8 boundary) and flagged truncated, as
// Splunk truncates long events instead of refusing the batch.
import { HecError } from './replies.js';
import { cutUtf8 } from '../../core/utf8.js';
import { capRecord, type IngestRecord } from '../records.js';

/** Request-level metadata (query parameters) that an envelope's own keys override. */
export interface HecDefaults {
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Epoch milliseconds from HEC `time`: seconds, fractional or not, as a number or a numeric string. */
export function hecTimeMs(v: unknown): number | null {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) n = Number(v);
  else return null;
  if (!Number.isFinite(n)) return null;
  // Seconds as Splunk documents; a value past year 5138 in seconds is a sender writing milliseconds.
  const ms = Math.round(Math.abs(n) >= 1e11 ? n : n * 1000);
  return Number.isNaN(new Date(ms).getTime()) ? null : ms;
}

function metaString(ev: Obj, key: string, number: number): string | undefined {
  const v = ev[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new HecError('invalid_data_format', { invalidEvent: number });
}

/** Indexed fields are flat: a value is a scalar or a list of scalars. */
function indexedFields(v: unknown, number: number): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  if (!isObj(v)) throw new HecError('indexed_fields', { invalidEvent: number });
  for (const x of Object.values(v)) {
    if (!(scalar(x) || (Array.isArray(x) && x.every(scalar)))) throw new HecError('indexed_fields', { invalidEvent: number });
  }
  return v;
}


/** Validates the envelope numbered `number` (0-based) and builds its record. */
export function eventRecord(ev: Obj, number: number, defaults: HecDefaults, maxRecordBytes: number): IngestRecord {
  if (!('event' in ev)) throw new HecError('event_required', { invalidEvent: number });
  const event = ev.event;
  if (event === null || (typeof event === 'string' && event.trim() === '')) {
    throw new HecError('event_blank', { invalidEvent: number });
  }
  let timeMs: number | undefined;
  if (ev.time !== undefined && ev.time !== null) {
    const ms = hecTimeMs(ev.time);
    if (ms === null) throw new HecError('invalid_data_format', { invalidEvent: number });
    timeMs = ms;
  }
  const host = metaString(ev, 'host', number) ?? defaults.host;
  const source = metaString(ev, 'source', number) ?? defaults.source;
  const sourcetype = metaString(ev, 'sourcetype', number) ?? defaults.sourcetype;
  const index = metaString(ev, 'index', number) ?? defaults.index;
  const fields = indexedFields(ev.fields, number);

  if (!isObj(event) && typeof event !== 'string') return capRecord('text', Buffer.from(JSON.stringify(event), 'utf8'), maxRecordBytes);

  // A string event is cut before it is wrapped, so its envelope stays JSON.
  const line = typeof event === 'string' ? Buffer.from(event, 'utf8') : null;
  const cut = line && line.length > maxRecordBytes ? cutUtf8(line, maxRecordBytes).toString('utf8') : null;
  const doc: Obj = typeof event === 'string' ? { message: cut ?? event } : { ...event };
  const splunk: Obj = isObj(doc.splunk) ? { ...doc.splunk } : {};
  if (timeMs !== undefined && doc['@timestamp'] === undefined) doc['@timestamp'] = new Date(timeMs).toISOString();
  if (host !== undefined) {
    if (doc.host === undefined) doc.host = { name: host };
    else if (isObj(doc.host) && doc.host.name === undefined) doc.host = { ...doc.host, name: host };
    else splunk.host = host;
  }
  if (source !== undefined) {
    const log = isObj(doc.log) ? doc.log : doc.log === undefined ? {} : null;
    const file = log && (isObj(log.file) ? log.file : log.file === undefined ? {} : null);
    if (log && file && file.path === undefined) doc.log = { ...log, file: { ...file, path: source } };
    else splunk.source = source;
  }
  if (sourcetype !== undefined) splunk.sourcetype = sourcetype;
  if (index !== undefined) splunk.index = index;
  if (fields !== undefined) splunk.fields = fields;
  if (Object.keys(splunk).length) doc.splunk = splunk;
  if (typeof event === 'string') return { codec: 'json', data: Buffer.from(JSON.stringify(doc), 'utf8'), truncated: cut !== null, envelope: true };
  return capRecord('json', Buffer.from(JSON.stringify(doc), 'utf8'), maxRecordBytes);
}
