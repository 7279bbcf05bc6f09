// The process stage for one WAL entry: decode bytes, read the syslog header if there is one, hand the
// content to the parser registry, then normalise. Every record becomes exactly one event: what no
// parser recognises is kept with vigil.parse.status "unparsed" and its raw text in event.original.
import { mergeInto, setPath, type EcsDoc } from '../core/event.js';
import type { ReadEntry } from '../queue/wal.js';
import type { EntryMeta } from '../queue/entry.js';
import { decodeText } from './decode/text.js';
import { parseSyslog, syslogToEcs, type SyslogMessage } from './decode/syslog.js';
import type { ParserRegistry } from './parsers/registry.js';
import type { ParseInput } from './parsers/define.js';

export type ParseStatus = 'parsed' | 'unparsed' | 'malformed';

export interface ProcessedEvent {
  tenant: string;
  id: bigint;
  doc: EcsDoc;
}

export interface ProcessOptions {
  registry: ParserRegistry;
  /** Minutes east of UTC for zone-less syslog time stamps. */
  timeZoneOffsetMinutes?: number;
}

/** Event ids: the entry's WAL offset and the record's index in it, so a replay yields the same ids. */
export function eventId(entryOffset: number, index: number): bigint {
  return (BigInt(entryOffset) << 16n) | BigInt(index);
}

export function processEntry(re: ReadEntry, opts: ProcessOptions): ProcessedEvent[] {
  const { meta, records } = re.entry;
  const received = new Date(meta.received);
  const ingested = received.toISOString();
  const out: ProcessedEvent[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    out[i] = {
      tenant: meta.tenant,
      id: eventId(re.offset, i),
      doc: processRecord(records[i]!, meta, received, ingested, opts),
    };
  }
  return out;
}

export function processRecord(raw: Buffer, meta: EntryMeta, received: Date, ingested: string, opts: ProcessOptions): EcsDoc {
  const { text, lossy } = decodeText(raw);
  let base: EcsDoc = {};
  let status: ParseStatus = 'unparsed';
  let error: string | undefined;
  let parser: string | undefined;
  const input: ParseInput = { message: text, line: text };

  const looksJson = meta.codec === 'json' || (meta.codec === 'text' && text.charCodeAt(0) === 0x7b /* { */);
  if (looksJson) {
    const json = tryJson(text);
    if (json) input.json = json;
    else if (meta.codec === 'json') {
      status = 'malformed';
      error = 'invalid JSON';
    }
  }
  if (!input.json) {
    // Syslog inputs always carry a header; file and HTTP text lines often do (auth.log, exported syslog).
    const sys: SyslogMessage | null = parseSyslog(text, {
      received,
      timeZoneOffsetMinutes: opts.timeZoneOffsetMinutes ?? 0,
    });
    if (sys) {
      base = syslogToEcs(sys);
      input.syslog = sys;
      input.message = sys.message;
      if (sys.appName) input.program = sys.appName;
      // A JSON payload inside syslog (e.g. audit JSON over syslog) is offered to JSON parsers too.
      if (sys.message.charCodeAt(0) === 0x7b) {
        const json = tryJson(sys.message);
        if (json) input.json = json;
      }
    } else if (meta.codec === 'syslog') {
      status = 'malformed';
      error = 'no syslog header';
      base = { message: text };
    } else {
      base = { message: text };
    }
  }

  const result = opts.registry.parse(input, meta.parser);
  if (result) {
    parser = result.parser;
    status = 'parsed';
    error = undefined;
    mergeInto(base, result.doc);
  } else if (meta.parser) {
    error = `parser "${meta.parser}" did not recognise the record`;
  }
  return normalise(base, { meta, text, lossy, ingested, received, status, parser, error });
}

interface NormaliseContext {
  meta: EntryMeta;
  text: string;
  lossy: boolean;
  ingested: string;
  received: Date;
  status: ParseStatus;
  parser: string | undefined;
  error: string | undefined;
}

/** The child object at `key`, created if absent (or replacing a scalar, which ECS does not allow there). */
function child(doc: EcsDoc, key: string): EcsDoc {
  const v = doc[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  const created: EcsDoc = {};
  doc[key] = created;
  return created;
}

/** Fields every stored event has, whatever parsed it. Direct property writes: this is the hot path. */
function normalise(doc: EcsDoc, c: NormaliseContext): EcsDoc {
  const ts = doc['@timestamp'];
  if (ts === undefined || (typeof ts !== 'string' && typeof ts !== 'number') || Number.isNaN(new Date(ts).getTime())) {
    if (ts !== undefined) setPath(doc, 'vigil.parse.invalid_timestamp', String(ts));
    doc['@timestamp'] = c.ingested;
  }
  const event = child(doc, 'event');
  event.ingested = c.ingested;
  event.original = c.text;
  if (event.kind === undefined) event.kind = 'event';
  const vigil = child(doc, 'vigil');
  vigil.input = c.meta.input;
  const parse = child(vigil, 'parse');
  parse.status = c.status;
  if (c.parser) parse.parser = c.parser;
  if (c.error) parse.error = c.error;
  // event.original holds the bytes as latin1 when they were not UTF-8 (byte-for-byte reversible).
  if (c.lossy) parse.encoding = 'latin1';
  if (c.meta.truncated) parse.truncated = true;
  if (c.meta.peer) child(child(doc, 'log'), 'source').address = c.meta.peer;
  return doc;
}

function tryJson(text: string): EcsDoc | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as EcsDoc) : null;
  } catch {
    return null;
  }
}
