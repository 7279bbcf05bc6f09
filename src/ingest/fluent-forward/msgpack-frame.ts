// Where one msgpack value ends in a TCP stream, found from its headers alone (nothing is decoded), so a
// message is handed to the decoder only once it is whole, and one larger than the cap is refused as soon
// as its headers say so, before its bytes are buffered.
import { ProtocolError } from '../tcp-shipper/server.js';

/** Where a scan stopped: the offset of the first value not yet whole, and how many values remain. */
export interface ScanState {
  o: number;
  pending: number;
}

export type Scan = { complete: true; length: number } | { complete: false; atLeast: number; resume: ScanState };

/**
 * Header size, payload size and child count of the value starting at `o`. A length not yet received
 * reads as 0: the header itself then runs past the end of `buf`, which the caller sees as incomplete.
 */
function sizes(buf: Buffer, o: number): { head: number; body: number; items: number } {
  const b = buf[o]!;
  const u = (k: number): number => {
    if (o + 1 + k > buf.length) return 0;
    return k === 1 ? buf[o + 1]! : k === 2 ? buf.readUInt16BE(o + 1) : buf.readUInt32BE(o + 1);
  };
  if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) return { head: 1, body: 0, items: 0 };
  if (b >= 0x80 && b <= 0x8f) return { head: 1, body: 0, items: 2 * (b & 0x0f) };
  if (b >= 0x90 && b <= 0x9f) return { head: 1, body: 0, items: b & 0x0f };
  if (b >= 0xa0 && b <= 0xbf) return { head: 1, body: b & 0x1f, items: 0 };
  switch (b) {
    case 0xc4: case 0xd9: return { head: 2, body: u(1), items: 0 }; // bin8, str8
    case 0xc5: case 0xda: return { head: 3, body: u(2), items: 0 }; // bin16, str16
    case 0xc6: case 0xdb: return { head: 5, body: u(4), items: 0 }; // bin32, str32
    case 0xc7: return { head: 3, body: u(1), items: 0 }; // ext8 (+type)
    case 0xc8: return { head: 4, body: u(2), items: 0 }; // ext16
    case 0xc9: return { head: 6, body: u(4), items: 0 }; // ext32
    case 0xca: return { head: 5, body: 0, items: 0 }; // float32
    case 0xcb: return { head: 9, body: 0, items: 0 }; // float64
    case 0xcc: case 0xd0: return { head: 2, body: 0, items: 0 };
    case 0xcd: case 0xd1: return { head: 3, body: 0, items: 0 };
    case 0xce: case 0xd2: return { head: 5, body: 0, items: 0 };
    case 0xcf: case 0xd3: return { head: 9, body: 0, items: 0 };
    case 0xd4: return { head: 3, body: 0, items: 0 }; // fixext1 (+type)
    case 0xd5: return { head: 4, body: 0, items: 0 };
    case 0xd6: return { head: 6, body: 0, items: 0 };
    case 0xd7: return { head: 10, body: 0, items: 0 };
    case 0xd8: return { head: 18, body: 0, items: 0 };
    case 0xdc: return { head: 3, body: 0, items: u(2) }; // array16
    case 0xdd: return { head: 5, body: 0, items: u(4) }; // array32
    case 0xde: return { head: 3, body: 0, items: 2 * u(2) }; // map16
    case 0xdf: return { head: 5, body: 0, items: 2 * u(4) }; // map32
  }
  throw new ProtocolError('malformed', `byte 0x${b.toString(16)} is not msgpack`); // 0xc1, never used
}

/**
 * The length of the msgpack value at the start of `buf`, or the fewest bytes it can still need and
 * where to resume once more has arrived (`from`), so a large message is walked once, not once per chunk.
 */
export function scanValue(buf: Buffer, from: ScanState = { o: 0, pending: 1 }): Scan {
  let { o, pending } = from; // pending: values still to read; each takes at least one byte
  while (pending > 0) {
    if (o >= buf.length) return { complete: false, atLeast: o + pending, resume: { o, pending } };
    const s = sizes(buf, o);
    const next = o + s.head + s.body;
    // A value that runs past the end is read again from its header when more has arrived.
    if (next > buf.length) return { complete: false, atLeast: next + pending + s.items - 1, resume: { o, pending } };
    pending += s.items - 1;
    o = next;
  }
  return { complete: true, length: o };
}

/**
 * Splits a byte stream into whole msgpack values, none longer than maxBytes. A message begun is kept in
 * one buffer that grows by doubling, so its bytes are copied a bounded number of times however finely
 * the stream is cut; messages handed on are views of a buffer that is never written again.
 */
export class MessageSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private size = 0;
  private need = 1;
  private resume: ScanState | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Hands each whole message to `each` in order; throws at the first one over the limit or not msgpack. */
  push(chunk: Buffer, each: (message: Buffer) => void): void {
    this.append(chunk);
    if (this.size < this.need) return;
    const buf = this.buf.subarray(0, this.size);
    let o = 0;
    while (o < buf.length) {
      const r = scanValue(buf.subarray(o), this.resume);
      this.resume = undefined;
      const len = r.complete ? r.length : r.atLeast;
      if (len > this.maxBytes) {
        throw new ProtocolError('too_large', `a message of ${r.complete ? '' : 'at least '}${len} bytes is over the ${this.maxBytes}-byte limit`);
      }
      if (!r.complete) {
        this.need = r.atLeast;
        this.resume = r.resume;
        break;
      }
      const message = buf.subarray(o, o + r.length);
      o += r.length;
      each(message);
    }
    if (o === buf.length) this.need = 1;
    if (o > 0) {
      // The rest moves to a buffer of its own: the one just read holds the messages handed on.
      this.buf = Buffer.from(buf.subarray(o));
      this.size = this.buf.length;
    }
  }

  private append(chunk: Buffer): void {
    if (this.size === 0) {
      // Nothing begun: the chunk itself is the buffer (no copy; it has no room to grow into).
      this.buf = chunk;
      this.size = chunk.length;
      return;
    }
    if (this.size + chunk.length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.size + chunk.length, 2 * this.buf.length));
      this.buf.copy(grown, 0, 0, this.size);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.size);
    this.size += chunk.length;
  }

  /** Bytes of a message begun but not finished. */
  get buffered(): number {
    return this.size;
  }
}
