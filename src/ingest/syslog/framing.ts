// Syslog over TCP framing (RFC 6587): octet counting ("LEN SP MSG") or LF-terminated frames,
// detected per connection from its first non-whitespace byte.
//
// Frames are built from subarrays of the pushed chunks (zero-copy when a frame lies in one chunk),
// so callers must not reuse a chunk's memory after pushing it (net.Socket never does).
// Memory stays bounded by maxFrameBytes (+1) plus the chunks those pieces point into, whatever
// the stream contains: over-long frames are cut and the rest is skipped, never buffered.

export interface Frame {
  data: Buffer;
  truncated: boolean;
}

type Mode = 'unknown' | 'octet-counting' | 'lf';

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
// A 10-digit length already exceeds any sane maxFrameBytes; longer prefixes mean "not octet counting".
const MAX_PREFIX_DIGITS = 10;

function isSpace(b: number): boolean {
  return b === SP || b === LF || b === CR || b === NUL || b === 0x09;
}

export class SyslogFramer {
  private readonly max: number;
  private currentMode: Mode = 'unknown';
  // The frame being assembled, as pieces; concatenated once when it completes.
  private pieces: Buffer[] = [];
  private pendingLen = 0;
  // LF mode: the current line was already emitted truncated; drop bytes until its terminator.
  private discarding = false;
  // Octet mode: raw length-prefix digits seen so far (kept to replay them if the prefix is bad).
  private prefix: number[] = [];
  private bodyLeft = -1; // -1 while reading a length prefix
  private bodyCap = 0;
  private bodyTooLong = false;
  private bodyEmitted = false;

  constructor(opts: { maxFrameBytes: number }) {
    this.max = Math.max(1, Math.floor(opts.maxFrameBytes));
  }

  get mode(): Mode {
    return this.currentMode;
  }

  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let pos = 0;
    if (this.currentMode === 'unknown') {
      while (pos < chunk.length && isSpace(chunk[pos]!)) pos++;
      if (pos === chunk.length) return out;
      const b = chunk[pos]!;
      this.currentMode = b >= 0x31 && b <= 0x39 ? 'octet-counting' : 'lf';
    }
    if (this.currentMode === 'octet-counting') pos = this.pushOctets(chunk, pos, out);
    // Also reached when a bad length prefix just switched the connection to LF mode.
    if (this.currentMode === 'lf' && pos < chunk.length) this.pushLines(chunk, pos, out);
    return out;
  }

  end(): Frame[] {
    const out: Frame[] = [];
    if (this.currentMode === 'lf') {
      if (this.discarding) this.discarding = false;
      else if (this.pendingLen > 0) this.finishLine(out);
    } else if (this.currentMode === 'octet-counting') {
      if (this.bodyLeft > 0 && !this.bodyEmitted && this.pendingLen > 0) {
        // The connection closed mid-frame: keep what arrived, flagged as incomplete.
        out.push({ data: this.takePending(), truncated: true });
      } else if (this.bodyLeft < 0 && this.prefix.length > 0) {
        // Digits with no space before close: not a frame header, so keep them as data.
        out.push({ data: Buffer.from(this.prefix), truncated: false });
      }
      this.prefix = [];
      this.bodyLeft = -1;
    }
    this.pieces = [];
    this.pendingLen = 0;
    return out;
  }

  /** Consumes octet-counted frames; returns where it stopped (chunk.length, or where LF mode begins). */
  private pushOctets(chunk: Buffer, pos: number, out: Frame[]): number {
    const len = chunk.length;
    while (pos < len) {
      if (this.bodyLeft < 0) {
        const b = chunk[pos]!;
        // Some senders put a newline after each counted frame; tolerate separators between frames.
        if (this.prefix.length === 0 && isSpace(b)) {
          pos++;
          continue;
        }
        if (b === SP) {
          this.startBody();
          pos++;
          continue;
        }
        const digitOk = b >= 0x30 && b <= 0x39 && (this.prefix.length > 0 || b !== 0x30);
        if (digitOk && this.prefix.length < MAX_PREFIX_DIGITS) {
          this.prefix.push(b);
          pos++;
          continue;
        }
        // Malformed prefix: the rest of the connection is LF-framed, starting with the digits seen.
        this.currentMode = 'lf';
        const replay = Buffer.from(this.prefix);
        this.prefix = [];
        if (replay.length > 0) this.pushLines(replay, 0, out);
        return pos;
      }
      const take = Math.min(this.bodyLeft, len - pos);
      const keep = this.bodyEmitted ? 0 : Math.min(take, this.bodyCap - this.pendingLen);
      if (keep > 0) {
        this.pieces.push(chunk.subarray(pos, pos + keep));
        this.pendingLen += keep;
      }
      pos += take;
      this.bodyLeft -= take;
      if (this.bodyTooLong && !this.bodyEmitted && this.pendingLen === this.bodyCap) {
        out.push({ data: this.takePending(), truncated: true });
        this.bodyEmitted = true;
      }
      if (this.bodyLeft === 0) {
        if (!this.bodyEmitted) out.push({ data: this.takePending(), truncated: false });
        this.bodyLeft = -1;
      }
    }
    return pos;
  }

  private startBody(): void {
    let n = 0;
    for (const d of this.prefix) n = n * 10 + (d - 0x30);
    this.prefix = [];
    this.bodyLeft = n;
    this.bodyCap = Math.min(n, this.max);
    this.bodyTooLong = n > this.max;
    this.bodyEmitted = false;
  }

  private pushLines(chunk: Buffer, pos: number, out: Frame[]): void {
    const len = chunk.length;
    // Cached next-terminator positions: re-searching both bytes from every frame start would
    // rescan the chunk tail each time (quadratic when one terminator kind never occurs).
    let nl = -2;
    let nul = -2;
    while (pos < len) {
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(LF, pos);
      if (nul !== -1 && nul < pos) nul = chunk.indexOf(NUL, pos);
      const term = nl === -1 ? nul : nul === -1 ? nl : Math.min(nl, nul);
      if (term === -1) {
        this.appendLine(chunk, pos, len, out);
        return;
      }
      this.appendLine(chunk, pos, term, out);
      this.finishLine(out);
      pos = term + 1;
    }
  }

  private appendLine(chunk: Buffer, start: number, end: number, out: Frame[]): void {
    if (this.discarding || start === end) return;
    // Room for max+1 bytes so a line of exactly max bytes plus its CR is not flagged truncated.
    const room = this.max + 1 - this.pendingLen;
    const n = end - start;
    if (n <= room) {
      this.pieces.push(chunk.subarray(start, end));
      this.pendingLen += n;
      return;
    }
    this.pieces.push(chunk.subarray(start, start + room));
    this.pendingLen += room;
    out.push({ data: this.takePending().subarray(0, this.max), truncated: true });
    this.discarding = true;
  }

  private finishLine(out: Frame[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.pendingLen === 0) return;
    let data = this.takePending();
    if (data[data.length - 1] === CR) data = data.subarray(0, data.length - 1);
    if (data.length === 0) return;
    if (data.length > this.max) out.push({ data: data.subarray(0, this.max), truncated: true });
    else out.push({ data, truncated: false });
  }

  private takePending(): Buffer {
    const data = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pendingLen);
    this.pieces = [];
    this.pendingLen = 0;
    return data;
  }
}
