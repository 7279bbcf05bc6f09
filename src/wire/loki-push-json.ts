// Loki's JSON push body (Content-Type: application/json), what Fluent Bit's loki output and Vector's loki
// sink (without snappy) send:
//   {"streams":[{"stream":{"job":"x"},"values":[["<unix ns>","line"],["<unix ns>","line",{"trace_id":"t"}]]}]}
// The third element of a value is the entry's structured metadata. The legacy form of /api/prom/push,
// {"streams":[{"labels":"{job=\"x\"}","entries":[{"ts":"<RFC 3339>","line":"..."}]}]}, is read too.
// Every refusal names the element it is about (streams[1].values[3][0]).
import { parseLabels } from './loki-labels.js';
import { addLabel, labelSet, malformed, nsFromDecimal, nsFromRfc3339, withWhere, type LokiEntry, type LokiStream } from './loki-stream.js';
import type { LabelSet } from './loki-labels.js';
import { isRecord } from '../core/event.js';


export function decodeJsonPush(body: Buffer | string): LokiStream[] {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    throw malformed('body', `not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(doc)) throw malformed('body', 'a Loki push is a JSON object {"streams":[...]}');
  if (doc.streams === undefined || doc.streams === null) return [];
  if (!Array.isArray(doc.streams)) throw malformed('streams', 'must be an array');
  return doc.streams.map((s, i) => decodeStream(s, `streams[${i}]`));
}

function decodeStream(s: unknown, where: string): LokiStream {
  if (!isRecord(s)) throw malformed(where, 'a stream must be an object');
  if (typeof s.labels === 'string' && s.stream === undefined) return decodeLegacyStream(s, where);
  const labels = stringMap(s.stream ?? {}, `${where}.stream`);
  const values = s.values ?? [];
  if (!Array.isArray(values)) throw malformed(`${where}.values`, 'must be an array of [timestamp, line] or [timestamp, line, {metadata}]');
  return { labels, entries: values.map((v, j) => decodeValue(v, `${where}.values[${j}]`)) };
}

function decodeValue(v: unknown, where: string): LokiEntry {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) throw malformed(where, 'a value must be [timestamp, line] or [timestamp, line, {metadata}]');
  const [ts, line, meta] = v as [unknown, unknown, unknown];
  if (typeof ts !== 'string') throw malformed(`${where}[0]`, `the timestamp must be Unix epoch nanoseconds as a decimal string, got ${JSON.stringify(ts)}`);
  if (typeof line !== 'string') throw malformed(`${where}[1]`, 'the line must be a string');
  const entry: LokiEntry = { ns: nsFromDecimal(ts, `${where}[0]`), line };
  if (v.length === 3) {
    const metadata = stringMap(meta, `${where}[2]`);
    if (Object.keys(metadata).length > 0) entry.metadata = metadata;
  }
  return entry;
}

function decodeLegacyStream(s: Record<string, unknown>, where: string): LokiStream {
  const labels = withWhere(`${where}.labels`, () => parseLabels(s.labels as string));
  const entries = s.entries ?? [];
  if (!Array.isArray(entries)) throw malformed(`${where}.entries`, 'must be an array of {"ts","line"}');
  return {
    labels,
    entries: entries.map((e, j) => {
      const at = `${where}.entries[${j}]`;
      if (!isRecord(e) || typeof e.ts !== 'string' || typeof e.line !== 'string') throw malformed(at, 'an entry must be {"ts":"<RFC 3339>","line":"..."}');
      return { ns: nsFromRfc3339(e.ts, `${at}.ts`), line: e.line };
    }),
  };
}

/** A JSON object of string values as a label set (stream labels, structured metadata). */
function stringMap(v: unknown, where: string): LabelSet {
  if (!isRecord(v)) throw malformed(where, 'must be an object of string values');
  const out = labelSet();
  for (const [name, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw malformed(`${where}.${name}`, `a label value must be a string, got ${JSON.stringify(value)}`);
    addLabel(out, name, value, where);
  }
  return out;
}

/** Loki's JSON push body for these streams. */
export function encodeJsonPush(streams: readonly LokiStream[]): Buffer {
  const body = {
    streams: streams.map((s) => ({
      stream: { ...s.labels },
      values: s.entries.map((e) => (e.metadata && Object.keys(e.metadata).length > 0 ? [e.ns.toString(), e.line, { ...e.metadata }] : [e.ns.toString(), e.line])),
    })),
  };
  return Buffer.from(JSON.stringify(body), 'utf8');
}
