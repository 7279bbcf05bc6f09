// One record that a TCP shipper protocol (Fluent forward, Beats/Lumberjack) hands to the queue, and the
// cap that keeps it storable. These protocols have no per-event error to answer with, so a record longer
// than the longest allowed (http.max_line_bytes, as for HEC and _bulk) is cut and flagged, never refused:
// an envelope loses the end of its message first and stays JSON; anything else is kept as the text it
// now is (HEC's rule).
import type { Codec } from '../../queue/entry.js';
import { cutUtf8 } from '../../core/utf8.js';

export interface ShipperRecord {
  codec: Extract<Codec, 'json' | 'text'>;
  data: Buffer;
  /** A JSON envelope whose `message` is the event (EntryMeta.envelope). */
  envelope?: boolean;
  truncated?: boolean;
}


/** A record of bytes as sent; past maxBytes, its first maxBytes as text, flagged truncated. */
export function rawRecord(codec: ShipperRecord['codec'], data: Buffer, maxBytes: number, envelope = false): ShipperRecord {
  if (data.length <= maxBytes) return { codec, data, ...(envelope ? { envelope: true } : {}) };
  return { codec: 'text', data: cutUtf8(data, maxBytes), truncated: true };
}

/** A JSON document as a record; an envelope too long for maxBytes keeps what fits of its message. */
export function jsonRecord(doc: Record<string, unknown>, envelope: boolean, maxBytes: number): ShipperRecord {
  const data = Buffer.from(JSON.stringify(doc), 'utf8');
  if (data.length <= maxBytes) return { codec: 'json', data, ...(envelope ? { envelope: true } : {}) };
  if (envelope && typeof doc.message === 'string') {
    const message = Buffer.from(doc.message, 'utf8');
    // JSON escaping makes the encoded length of a cut message only roughly predictable: shrink and retry.
    let keep = message.length - (data.length - maxBytes);
    for (let i = 0; i < 4 && keep > 0; i++) {
      const cut = { ...doc, message: cutUtf8(message, keep).toString('utf8') };
      const out = Buffer.from(JSON.stringify(cut), 'utf8');
      if (out.length <= maxBytes) return { codec: 'json', data: out, envelope: true, truncated: true };
      keep -= out.length - maxBytes;
    }
  }
  return { codec: 'text', data: cutUtf8(data, maxBytes), truncated: true };
}
