// One record an input hands to the queue, the cap that keeps it storable, and how a request's records
// become WAL entries. Every input that takes events one by one in a request or a window (HEC, Loki,
// Fluent forward, Beats) uses these, so a cut record is flagged the same way everywhere.
//
// A record longer than the longest allowed (http.max_line_bytes) is cut and flagged, never refused,
// where the protocol has no per-event error to answer with: an envelope loses the end of its message
// first and stays JSON; anything else is kept as the text it now is.
import type { Codec, EntryMeta } from '../queue/entry.js';
import type { Intake } from '../queue/intake.js';
import { cutUtf8 } from '../core/utf8.js';

export interface IngestRecord {
  codec: Extract<Codec, 'json' | 'text'>;
  data: Buffer;
  /** A JSON envelope whose `message` is the event (EntryMeta.envelope). */
  envelope?: boolean;
  truncated: boolean;
}

/** A record of bytes as sent; past maxBytes, its first maxBytes as text, flagged truncated. */
export function capRecord(codec: IngestRecord['codec'], data: Buffer, maxBytes: number, envelope = false): IngestRecord {
  if (data.length <= maxBytes) return { codec, data, truncated: false, ...(envelope ? { envelope: true } : {}) };
  // A cut JSON record is no longer JSON: it is kept as the text it now is.
  return { codec: 'text', data: cutUtf8(data, maxBytes), truncated: true };
}

/** A JSON document as a record; an envelope too long for maxBytes keeps what fits of its message. */
export function jsonRecord(doc: Record<string, unknown>, envelope: boolean, maxBytes: number): IngestRecord {
  const data = Buffer.from(JSON.stringify(doc), 'utf8');
  if (data.length <= maxBytes) return { codec: 'json', data, truncated: false, ...(envelope ? { envelope: true } : {}) };
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

/**
 * Queues records in order, one WAL entry per run of consecutive records that share codec and flags;
 * resolves once all are fsync'd.
 */
export async function submitRecords(intake: Intake, base: Omit<EntryMeta, 'codec' | 'envelope' | 'truncated'>, records: readonly IngestRecord[]): Promise<void> {
  const runs: { meta: EntryMeta; data: Buffer[] }[] = [];
  for (const r of records) {
    const last = runs[runs.length - 1];
    const envelope = r.envelope === true;
    if (last && last.meta.codec === r.codec && (last.meta.envelope === true) === envelope && (last.meta.truncated === true) === r.truncated) {
      last.data.push(r.data);
      continue;
    }
    const meta: EntryMeta = { ...base, codec: r.codec, ...(envelope ? { envelope: true } : {}), ...(r.truncated ? { truncated: true } : {}) };
    runs.push({ meta, data: [r.data] });
  }
  await Promise.all(runs.map((run) => intake.submit(run.meta, run.data)));
}
