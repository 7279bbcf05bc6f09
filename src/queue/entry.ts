// One WAL entry = one batch of raw records that share where they came from (tenant, input, codec, peer,
// receive time). Sharing the metadata keeps the per-record cost to a length prefix.
//
// On disk:  u32 payloadLength | u32 crc32(payload) | payload
// payload:  u8 version(1) | u16 metaLength | meta (JSON) | u32 count | count x (u32 length | bytes)
import { crc32 } from './crc32.js';

export type Codec = 'syslog' | 'json' | 'text';

export interface EntryMeta {
  tenant: string;
  /** Input that received it, e.g. "syslog-tcp", "http", "cli". */
  input: string;
  codec: Codec;
  /** Receive time, epoch ms. */
  received: number;
  /** Peer address, when the input has one. */
  peer?: string;
  /** Parser id forced by the sender (`?source=`). */
  parser?: string;
  /** The records were cut at the input's size limit. */
  truncated?: boolean;
  /** The index or data stream an Elasticsearch-protocol sender named (vigil.es.index). */
  index?: string;
  /**
   * Each record is a JSON envelope a shipper protocol built around one event (a Loki line with its
   * labels, an OTLP log record with its attributes): `message` is the event as its source wrote it, and
   * the other fields describe it. The process stage parses `message` like any line and lets the
   * envelope's fields fill what the parsed event lacks.
   */
  envelope?: boolean;
}

export interface Entry {
  meta: EntryMeta;
  records: Buffer[];
}

export const ENTRY_HEADER_BYTES = 8;
export const MAX_RECORDS_PER_ENTRY = 0xffff;
const VERSION = 1;

export function encodeEntry(entry: Entry): Buffer {
  if (entry.records.length > MAX_RECORDS_PER_ENTRY) throw new RangeError('too many records in one WAL entry');
  const meta = Buffer.from(JSON.stringify(entry.meta));
  let size = ENTRY_HEADER_BYTES + 1 + 2 + meta.length + 4;
  for (const r of entry.records) size += 4 + r.length;
  const out = Buffer.allocUnsafe(size);
  let o = ENTRY_HEADER_BYTES;
  out.writeUInt8(VERSION, o);
  o += 1;
  out.writeUInt16LE(meta.length, o);
  o += 2;
  meta.copy(out, o);
  o += meta.length;
  out.writeUInt32LE(entry.records.length, o);
  o += 4;
  for (const r of entry.records) {
    out.writeUInt32LE(r.length, o);
    o += 4;
    r.copy(out, o);
    o += r.length;
  }
  out.writeUInt32LE(size - ENTRY_HEADER_BYTES, 0);
  out.writeUInt32LE(crc32(out, ENTRY_HEADER_BYTES, size), 4);
  return out;
}

export type DecodeResult =
  | { ok: true; entry: Entry; size: number }
  | { ok: false; reason: 'incomplete' | 'corrupt' };

/** Decodes the entry at `offset` in `buf`. Records are views into `buf` (no copy). */
export function decodeEntry(buf: Buffer, offset: number): DecodeResult {
  if (buf.length - offset < ENTRY_HEADER_BYTES) return { ok: false, reason: 'incomplete' };
  const len = buf.readUInt32LE(offset);
  const crc = buf.readUInt32LE(offset + 4);
  const start = offset + ENTRY_HEADER_BYTES;
  if (len < 7) return { ok: false, reason: 'corrupt' };
  if (buf.length - start < len) return { ok: false, reason: 'incomplete' };
  const end = start + len;
  if (crc32(buf, start, end) !== crc) return { ok: false, reason: 'corrupt' };
  let o = start;
  if (buf.readUInt8(o) !== VERSION) return { ok: false, reason: 'corrupt' };
  o += 1;
  const metaLen = buf.readUInt16LE(o);
  o += 2;
  let meta: EntryMeta;
  try {
    meta = JSON.parse(buf.toString('utf8', o, o + metaLen)) as EntryMeta;
  } catch {
    return { ok: false, reason: 'corrupt' };
  }
  o += metaLen;
  const count = buf.readUInt32LE(o);
  o += 4;
  const records: Buffer[] = new Array(count);
  for (let i = 0; i < count; i++) {
    if (o + 4 > end) return { ok: false, reason: 'corrupt' };
    const rl = buf.readUInt32LE(o);
    o += 4;
    if (o + rl > end) return { ok: false, reason: 'corrupt' };
    records[i] = buf.subarray(o, o + rl);
    o += rl;
  }
  return { ok: true, entry: { meta, records }, size: ENTRY_HEADER_BYTES + len };
}
