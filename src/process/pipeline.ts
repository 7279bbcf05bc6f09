// The process stage for one WAL entry: decode bytes, read the syslog header if there is one, hand the
// content to the parser registry, then normalise. Every record becomes exactly one event: what no
// parser recognises is kept with vigil.parse.status "unparsed" and its raw text in event.original.
import { expandDottedKeys, getPath, isDoc, mergeInto, setPath, type EcsDoc } from '../core/event.js';
import type { ReadEntry } from '../queue/wal.js';
import type { EntryMeta } from '../queue/entry.js';
import { decodeText } from './decode/text.js';
import { parseSyslog, syslogToEcs, type SyslogMessage } from './decode/syslog.js';
import type { ParserRegistry, RecordInput } from './parsers/registry.js';
import type { Classifier } from './classify.js';

/** Inputs that carry Vigil's own findings about a tenant rather than the tenant's logs. */
export const OWN_FINDINGS: ReadonlySet<string> = new Set(['detect', 'monitor']);

/** Inputs whose JSON may carry Vigil's own fields (vigil.*): Vigil writes them itself. */
const OWN_INPUTS: ReadonlySet<string> = new Set([...OWN_FINDINGS, 'audit']);

export type ParseStatus = 'parsed' | 'partial' | 'unparsed' | 'malformed';

export interface ProcessedEvent {
  tenant: string;
  id: bigint;
  doc: EcsDoc;
}

export interface ProcessOptions {
  registry: ParserRegistry;
  /** Minutes east of UTC for zone-less syslog time stamps. */
  timeZoneOffsetMinutes?: number;
  /** Tags events with the catalogue requirements they evidence (absent in parser-only tests). */
  classifier?: Classifier;
}

/**
 * Event ids: the entry's WAL offset and the event's index in it, so a replay yields the same ids.
 * 20 bits of index leave room for container records (a CloudTrail file) that expand into many events;
 * 44 bits of offset address 16 TiB of queue.
 */
export const EVENT_INDEX_BITS = 20n;
export const MAX_EVENTS_PER_ENTRY = 1 << Number(EVENT_INDEX_BITS);
export function eventId(entryOffset: number, index: number): bigint {
  return (BigInt(entryOffset) << EVENT_INDEX_BITS) | BigInt(index);
}

/** The WAL offset of the entry an event came from (eventId's inverse, less the index). */
export function entryOffsetOf(id: bigint): bigint {
  return id >> EVENT_INDEX_BITS;
}

export function processEntry(re: ReadEntry, opts: ProcessOptions): ProcessedEvent[] {
  const { meta, records } = re.entry;
  const received = new Date(meta.received);
  const ingested = received.toISOString();
  const out: ProcessedEvent[] = [];
  for (const raw of records) {
    const inner = meta.codec !== 'syslog' && raw[0] === 0x7b ? opts.registry.split(raw.toString('utf8')) : null;
    // A container expands into its records, unless that would overflow the entry's id space.
    const parts = inner && out.length + inner.length <= MAX_EVENTS_PER_ENTRY ? inner.map((r) => Buffer.from(JSON.stringify(r))) : [raw];
    for (const part of parts) {
      const doc = processRecord(part, meta, received, ingested, opts);
      // Vigil's own findings (alerts, silent-source notices) are not evidence of what a tenant collects.
      if (!OWN_FINDINGS.has(meta.input)) opts.classifier?.classify(doc, meta.tenant);
      out.push({ tenant: meta.tenant, id: eventId(re.offset, out.length), doc });
    }
  }
  return out;
}

export function processRecord(raw: Buffer, meta: EntryMeta, received: Date, ingested: string, opts: ProcessOptions): EcsDoc {
  const { text, lossy } = decodeText(raw);
  // A shipper's envelope (a Loki line, an OTLP record) always has its message parsed as the event, so
  // the envelope itself goes to no parser: it only fills what the line does not say.
  const envelope = meta.envelope && looksJson(text, meta) ? tryJson(text) : null;
  if (envelope && hasMessage(envelope)) return fromMessage(envelope, text, meta, received, ingested, lossy, opts)!;
  const parsed = parseText(text, meta, received, opts);
  const json = parsed.json;
  // Other JSON that only the generic parser took (a Filebeat document) is re-read through its message
  // when a line parser knows that line.
  if (json && hasMessage(json) && parsed.parser === GENERIC_JSON && json.message.charCodeAt(0) !== 0x7b) {
    const doc = fromMessage(json, text, meta, received, ingested, lossy, opts);
    if (doc) return doc;
  }
  // A sender's own `vigil` object (another Vigil forwarding, or anyone) must not pass for Vigil's:
  // requirement tags in it would count as coverage. It is kept, searchable, as vigil.upstream.
  if (parsed.parser === GENERIC_JSON && !OWN_INPUTS.has(meta.input) && parsed.doc.vigil !== undefined) parsed.doc.vigil = { upstream: parsed.doc.vigil };
  return normalise(parsed.doc, { meta, text, lossy, ingested, received, status: parsed.status, parser: parsed.parser, error: parsed.error });
}

function hasMessage(json: EcsDoc): json is EcsDoc & { message: string } {
  return typeof json.message === 'string' && json.message !== '';
}

/**
 * The event a JSON record's message makes, with the record's other fields filling its gaps; null when
 * no line parser knows the line and the record is not an envelope (its own parse stands then).
 */
function fromMessage(json: EcsDoc & { message: string }, text: string, meta: EntryMeta, received: Date, ingested: string, lossy: boolean, opts: ProcessOptions): EcsDoc | null {
  // A bare line names no program; the envelope may (OTel's service.name, Fluent's ident, a Loki
  // service_name label), so program-bound parsers such as sshd still get their lines.
  const line = parseText(json.message, { ...meta, codec: 'text' }, received, opts, programOf(json));
  if (!meta.envelope && line.status === 'unparsed') return null;
  fillGaps(line.doc, envelopeFields(json));
  if (json.vigil !== undefined && !OWN_INPUTS.has(meta.input)) child(line.doc, 'vigil').upstream = json.vigil;
  const original = meta.envelope ? json.message : text;
  return normalise(line.doc, { meta, text: original, lossy, ingested, received, status: line.status, parser: line.parser, error: line.error });
}

const GENERIC_JSON = 'json';

interface Parsed {
  doc: EcsDoc;
  status: ParseStatus;
  parser: string | undefined;
  error: string | undefined;
  /** The record as JSON, when it was a JSON object. */
  json: EcsDoc | undefined;
}

/** Header and parser for one record's text, before the fields every event gets. */
function parseText(text: string, meta: EntryMeta, received: Date, opts: ProcessOptions, program?: string): Parsed {
  let base: EcsDoc = {};
  let status: ParseStatus = 'unparsed';
  let error: string | undefined;
  let parser: string | undefined;
  const input: RecordInput = { message: text, line: text, tenant: meta.tenant };

  if (looksJson(text, meta)) {
    const json = tryJson(text);
    if (json) input.json = json;
    else if (meta.codec === 'json') {
      status = 'malformed';
      error = 'invalid JSON';
    }
  }
  const json = input.json;
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
        const inner = tryJson(sys.message);
        if (inner) input.json = inner;
      }
    } else if (meta.codec === 'syslog') {
      status = 'malformed';
      error = 'no syslog header';
      base = { message: text };
    } else {
      base = { message: text };
      if (program) input.program = program;
    }
  }

  const result = opts.registry.parse(input, meta.parser);
  if (result) {
    parser = result.parser;
    const claimed = (result.doc.vigil as EcsDoc | undefined)?.parse as EcsDoc | undefined;
    status = claimed?.status === 'partial' ? 'partial' : 'parsed';
    error = status === 'partial' ? String(claimed?.error ?? 'partly read') : undefined;
    mergeInto(base, result.doc);
  } else if (meta.parser) {
    error = `parser "${meta.parser}" did not recognise the record`;
  }
  return { doc: base, status, parser, error, json };
}

/** The program an envelope names for its line: process.name, else service.name. */
function programOf(json: EcsDoc): string | undefined {
  for (const path of ['process.name', 'service.name']) {
    const v = getPath(json, path);
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** What an envelope says about its event: every field but the message, and never Vigil's own. */
function envelopeFields(json: EcsDoc): EcsDoc {
  const { message: _message, vigil: _vigil, ...rest } = json;
  const doc = expandDottedKeys(rest);
  delete doc.vigil;
  return doc;
}

/** Copies into `doc` what it lacks from `from`; what the parser found always wins. */
function fillGaps(doc: EcsDoc, from: EcsDoc): void {
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined) continue;
    const cur = doc[k];
    if (cur === undefined) doc[k] = v;
    else if (isDoc(cur) && isDoc(v)) fillGaps(cur, v);
  }
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
  if (c.parser && event.dataset === undefined) event.dataset = c.parser;
  if (c.parser) addRelated(doc);
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
  if (c.meta.index !== undefined) child(vigil, 'es').index = c.meta.index;
  return doc;
}

const RELATED_IP = ['source.ip', 'destination.ip', 'client.ip', 'server.ip', 'host.ip'] as const;
const RELATED_USER = ['user.name', 'user.target.name', 'user.effective.name', 'source.user.name', 'destination.user.name', 'client.user.name'] as const;

const SPLIT = new Map<string, string[]>([...RELATED_IP, ...RELATED_USER].map((p) => [p, p.split('.')]));

function at(doc: EcsDoc, path: string): unknown {
  let cur: unknown = doc;
  for (const k of SPLIT.get(path)!) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as EcsDoc)[k];
  }
  return cur;
}

/** related.ip and related.user from the entity fields, as ECS intends, merged with what a parser set. */
function addRelated(doc: EcsDoc): void {
  const collect = (paths: readonly string[], existing: unknown): string[] => {
    const out = new Set<string>(Array.isArray(existing) ? existing.filter((x): x is string => typeof x === 'string') : []);
    for (const p of paths) {
      const v = at(doc, p);
      if (typeof v === 'string' && v) out.add(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string' && x) out.add(x);
    }
    return [...out];
  };
  const related = doc.related as EcsDoc | undefined;
  const ips = collect(RELATED_IP, related?.ip);
  const users = collect(RELATED_USER, related?.user);
  if (ips.length === 0 && users.length === 0) return;
  const r = child(doc, 'related');
  if (ips.length) r.ip = ips;
  if (users.length) r.user = users;
}

/** A JSON record, or a text line that opens like one. */
function looksJson(text: string, meta: EntryMeta): boolean {
  return meta.codec === 'json' || (meta.codec === 'text' && text.charCodeAt(0) === 0x7b /* { */);
}

function tryJson(text: string): EcsDoc | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as EcsDoc) : null;
  } catch {
    return null;
  }
}
