// One Loki entry -> one Vigil envelope record (EntryMeta.envelope): the line as `message`, which the
// process stage parses like any log line, and what the stream says about it beside it, filling only what
// the parsed line does not say itself (a syslog header's host and time win).
//   {"@timestamp": ms ISO of the entry's time,     (absent when the sender gave none: receive time then)
//    "message": the line (cut at maxLineBytes on a UTF-8 boundary; the entry is then flagged truncated),
//    "labels": {stream labels, and structured metadata}, dots in names made "_" (ECS labels hold no dots);
//              a metadata name that is also a stream label becomes name_extracted, as Loki's queries name it
//    "host": {"name"}, "service": {"name"}, "log": {"file": {"path"}, "level"}, "container": {"name"}
//              from the first of these labels present (FIELD_LABELS below),
//    "loki": {"timestamp_ns": the exact time, Unix ns as a string}}
// `job` maps to nothing: in Promtail it names the scrape job (varlogs), not a service; it stays labels.job.
// `instance` neither: it is a Prometheus target (host:port, a pod), not reliably a host name.
import type { LabelSet, LokiEntry, LokiStream } from '../../wire/loki-push.js';
import { cutUtf8 } from '../../core/utf8.js';
import type { IngestRecord } from '../records.js';

/** ECS field <- the labels that feed it, first present wins. */
export const FIELD_LABELS: readonly (readonly [path: readonly string[], labels: readonly string[]])[] = [
  [['host', 'name'], ['host', 'hostname', 'host_name']],
  [['service', 'name'], ['service_name', 'service', 'app', 'application']],
  [['log', 'file', 'path'], ['filename']],
  [['log', 'level'], ['level', 'detected_level']],
  [['container', 'name'], ['container_name', 'container']],
];

const ecsName = (name: string) => name.replaceAll('.', '_');

/** Stream labels, then the entry's structured metadata, as ECS `labels` (no prototype, no dots). */
export function ecsLabels(stream: LabelSet, metadata?: LabelSet): LabelSet {
  const out = Object.create(null) as LabelSet;
  for (const [k, v] of Object.entries(stream)) out[ecsName(k)] = v;
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      const name = ecsName(k);
      out[Object.hasOwn(stream, k) || Object.hasOwn(out, name) ? `${name}_extracted` : name] = v;
    }
  }
  return out;
}

/** `"labels":{...},"host":{...},...` for one label set: the part of a record shared by a whole stream. */
function fieldsJson(labels: LabelSet): string {
  const doc: Record<string, unknown> = {};
  if (Object.keys(labels).length > 0) doc.labels = labels;
  for (const [path, names] of FIELD_LABELS) {
    const name = names.find((n) => Object.hasOwn(labels, n));
    if (name === undefined) continue;
    let at = doc;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = labels[name];
  }
  return JSON.stringify(doc).slice(1, -1);
}

const NS_PER_MS = 1_000_000n;

/** Milliseconds ISO time of Unix nanoseconds, rounded down (also before 1970). */
export function isoOfNs(ns: bigint): string {
  const rem = ((ns % NS_PER_MS) + NS_PER_MS) % NS_PER_MS;
  return new Date(Number((ns - rem) / NS_PER_MS)).toISOString();
}

/** The line cut to at most `max` UTF-8 bytes, never inside a character. */
export function capLine(line: string, max: number): { line: string; truncated: boolean } {
  if (line.length <= max / 3 || Buffer.byteLength(line, 'utf8') <= max) return { line, truncated: false };
  return { line: cutUtf8(Buffer.from(line, 'utf8'), max).toString('utf8'), truncated: true };
}

function record(entry: LokiEntry, fields: string, maxLineBytes: number): IngestRecord {
  const { line, truncated } = capLine(entry.line, maxLineBytes);
  const parts: string[] = [];
  if (entry.ns !== 0n) parts.push(`"@timestamp":"${isoOfNs(entry.ns)}"`);
  parts.push(`"message":${JSON.stringify(line)}`);
  if (fields) parts.push(fields);
  if (entry.ns !== 0n) parts.push(`"loki":{"timestamp_ns":"${entry.ns}"}`);
  return { codec: 'json', envelope: true, data: Buffer.from(`{${parts.join(',')}}`, 'utf8'), truncated };
}

/** The envelope records of a stream's entries, in order. */
export function streamRecords(stream: LokiStream, maxLineBytes: number): IngestRecord[] {
  let shared: string | undefined;
  return stream.entries.map((e) => {
    if (e.metadata) return record(e, fieldsJson(ecsLabels(stream.labels, e.metadata)), maxLineBytes);
    shared ??= fieldsJson(ecsLabels(stream.labels));
    return record(e, shared, maxLineBytes);
  });
}
