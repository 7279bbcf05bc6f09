// Lumberjack v2 framing as Beats' logstash output writes it (elastic/go-lumber, protocol/v2):
//   '2' 'W' u32 count                         a window: the next `count` events form one batch
//   '2' 'J' u32 seq u32 length, JSON payload  one event; seq counts 1..count within the window
//   '2' 'C' u32 length, zlib payload          compressed frames (J, or C again) of the current window
//   '2' 'A' u32 seq                           server -> client: every event up to seq is safe
// All integers are big-endian. A window is answered once, with the sequence number of its last event;
// while it waits, '2' 'A' 0 is a keep-alive (go-lumber's server sends the same). Lumberjack v1 ('1')
// frames are refused: every Beat speaks v2.
import { inflateSync } from 'node:zlib';
import { ProtocolError } from '../tcp-shipper/server.js';

export interface Window {
  events: Buffer[];
  /** The sequence number to acknowledge: that of the window's last event. */
  lastSeq: number;
}

const V2 = 0x32; // '2'
const W = 0x57;
const J = 0x4a;
const C = 0x43;
const A = 0x41;

export function ackFrame(seq: number): Buffer {
  const b = Buffer.alloc(6);
  b[0] = V2;
  b[1] = A;
  b.writeUInt32BE(seq >>> 0, 2);
  return b;
}

const bad = (message: string) => new ProtocolError('malformed', message);

export class LumberjackReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private need = 2;
  private window: { size: number; events: Buffer[]; lastSeq: number } | null = null;

  /** maxFrameBytes: the largest J payload or C frame; a C frame may inflate to 4x that. */
  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes in; each complete window goes to `emit` as soon as it is read. Throws at a protocol fault. */
  push(chunk: Buffer, emit: (w: Window) => void): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) return;
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    let o = 0;
    for (;;) {
      const len = this.frameLength(buf, o, true);
      if (o + len > buf.length) {
        this.need = len;
        break;
      }
      const frame = buf.subarray(o, o + len);
      o += len;
      this.frame(frame, emit);
    }
    const rest = buf.subarray(o);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
  }

  /** The whole length of the frame at `o`; while its header is incomplete, the header's length. */
  private frameLength(buf: Buffer, o: number, top: boolean): number {
    if (buf.length - o < 2) return 2;
    const version = buf[o]!;
    const type = buf[o + 1]!;
    if (version === 0x31) throw new ProtocolError('unsupported', 'Lumberjack v1 frames are not supported; Beats send v2');
    if (version !== V2) throw bad(`frame version byte 0x${version.toString(16)}, expected '2'`);
    switch (type) {
      case W:
        if (!top) throw bad('a window frame inside a compressed frame');
        return 6;
      case J: {
        if (buf.length - o < 10) return 10;
        const n = buf.readUInt32BE(o + 6);
        if (n > this.maxFrameBytes) throw new ProtocolError('too_large', `an event of ${n} bytes is over the ${this.maxFrameBytes}-byte limit`);
        return 10 + n;
      }
      case C: {
        if (buf.length - o < 6) return 6;
        const n = buf.readUInt32BE(o + 2);
        if (n > this.maxFrameBytes) throw new ProtocolError('too_large', `a compressed frame of ${n} bytes is over the ${this.maxFrameBytes}-byte limit`);
        return 6 + n;
      }
      default:
        throw bad(`unknown frame type 0x${type.toString(16)}`);
    }
  }

  private frame(f: Buffer, emit: (w: Window) => void): void {
    const type = f[1];
    if (type === W) {
      if (this.window) throw bad(`a new window before the last one was complete (${this.window.events.length} of ${this.window.size} events)`);
      const size = f.readUInt32BE(2);
      if (size > 0) this.window = { size, events: [], lastSeq: 0 };
      return;
    }
    if (!this.window) throw bad('an event frame before any window frame');
    if (type === J) {
      this.window.lastSeq = f.readUInt32BE(2);
      this.window.events.push(f.subarray(10));
      if (this.window.events.length === this.window.size) {
        const w = { events: this.window.events, lastSeq: this.window.lastSeq };
        this.window = null;
        emit(w);
      }
      return;
    }
    let inner: Buffer;
    try {
      inner = inflateSync(f.subarray(6), { maxOutputLength: 4 * this.maxFrameBytes });
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new ProtocolError(tooLarge ? 'too_large' : 'malformed', `compressed frame: ${(err as Error).message}`);
    }
    let o = 0;
    while (o < inner.length) {
      const len = this.frameLength(inner, o, false);
      if (o + len > inner.length) throw bad('a compressed frame ends inside a frame');
      if (!this.window) throw bad('a compressed frame holds more events than its window');
      this.frame(inner.subarray(o, o + len), emit);
      o += len;
    }
  }
}
