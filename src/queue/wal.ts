// The durable queue between inputs and processing: an append-only, segmented write-ahead log.
//
// - Positions are global byte offsets; a segment file is named by the offset of its first byte.
// - Appends are group-committed: every append waiting while a write+fdatasync runs joins the next
//   one, so many concurrent senders share one fsync. An append resolves only once its bytes are synced.
// - Readers see only synced bytes, so nothing downstream can get ahead of what survives a crash.
// - On open, a torn tail (partial or corrupt entry) in the last segment is truncated away.
// - Segments wholly below every consumer's cursor are deleted by release(); the active one never is,
//   so the head offset survives restarts and event ids (derived from offsets) never repeat.
import { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEntry, encodeEntry, ENTRY_HEADER_BYTES, type Entry } from './entry.js';

export interface WalOptions {
  dir: string;
  /** Roll to a new segment past this size. */
  segmentBytes?: number;
  /** The lowest position a consumer still needs; an empty WAL starts here. */
  startAt?: number;
  /** Skip fdatasync (tests of throughput only; never in production). */
  unsafeNoSync?: boolean;
}

export interface WalStats {
  head: number;
  durable: number;
  pendingBytes: number;
  segments: number;
  diskBytes: number;
  fsyncs: number;
  lastFsyncMs: number;
}

export interface ReadEntry {
  offset: number;
  size: number;
  entry: Entry;
}

interface Segment {
  base: number;
  size: number;
  path: string;
}

interface Waiter {
  resolve: (pos: { first: number; next: number }) => void;
  reject: (err: Error) => void;
  first: number;
  next: number;
}

const SEGMENT_SUFFIX = '.wal';

function segmentName(base: number): string {
  return String(base).padStart(20, '0') + SEGMENT_SUFFIX;
}

/** writev may write less than asked; finish the rest so a commit is all or error. */
async function writeAll(fh: FileHandle, bufs: Buffer[], size: number, position: number): Promise<void> {
  const { bytesWritten } = await fh.writev(bufs, position);
  if (bytesWritten === size) return;
  const rest = Buffer.concat(bufs).subarray(bytesWritten);
  let done = 0;
  while (done < rest.length) {
    const r = await fh.write(rest, done, rest.length - done, position + bytesWritten + done);
    done += r.bytesWritten;
  }
}

export class Wal extends EventEmitter {
  private readonly dir: string;
  private readonly segmentBytes: number;
  private readonly noSync: boolean;
  private segments: Segment[] = [];
  private fh: FileHandle | null = null;
  private headOffset = 0; // next byte to be assigned
  private durableOffset = 0; // every byte below is synced
  private pending: Buffer[] = [];
  private pendingSize = 0;
  private waiters: Waiter[] = [];
  private flushing = false;
  private closed = false;
  private readers = new Map<string, FileHandle>();
  fsyncCount = 0;
  lastFsyncMs = 0;

  private constructor(opts: WalOptions) {
    super();
    this.dir = opts.dir;
    this.segmentBytes = opts.segmentBytes ?? 64 * 1024 * 1024;
    this.noSync = opts.unsafeNoSync ?? false;
  }

  static async open(opts: WalOptions): Promise<Wal> {
    const wal = new Wal(opts);
    await wal.recover(opts.startAt ?? 0);
    return wal;
  }

  get head(): number {
    return this.headOffset;
  }
  /** The oldest position still on disk. */
  get tail(): number {
    return this.segments[0]!.base;
  }
  get durable(): number {
    return this.durableOffset;
  }
  get pendingBytes(): number {
    return this.pendingSize;
  }

  private async recover(startAt: number): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const names = readdirSync(this.dir)
      .filter((n) => n.endsWith(SEGMENT_SUFFIX))
      .sort();
    for (const name of names) {
      const base = Number(name.slice(0, -SEGMENT_SUFFIX.length));
      if (!Number.isSafeInteger(base)) continue;
      const path = join(this.dir, name);
      const fh = await open(path, 'r');
      const { size } = await fh.stat();
      await fh.close();
      this.segments.push({ base, size, path });
    }
    if (this.segments.length === 0) {
      await this.createSegment(startAt);
    } else {
      const last = this.segments[this.segments.length - 1]!;
      last.size = await this.validTail(last);
      this.fh = await open(last.path, 'r+');
      await this.fh.truncate(last.size);
      await this.fh.sync();
    }
    const last = this.segments[this.segments.length - 1]!;
    this.headOffset = last.base + last.size;
    this.durableOffset = this.headOffset;
  }

  /** Length of the prefix of a segment made of whole, checksummed entries. */
  private async validTail(seg: Segment): Promise<number> {
    const fh = await open(seg.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(seg.size);
      await fh.read(buf, 0, seg.size, 0);
      let o = 0;
      while (o < buf.length) {
        const r = decodeEntry(buf, o);
        if (!r.ok) break;
        o += r.size;
      }
      if (o < seg.size) this.emit('torn', { segment: seg.path, validBytes: o, droppedBytes: seg.size - o });
      return o;
    } finally {
      await fh.close();
    }
  }

  private async createSegment(base: number): Promise<void> {
    const path = join(this.dir, segmentName(base));
    this.fh = await open(path, 'w+');
    this.segments.push({ base, size: 0, path });
    // The new name must itself survive a crash.
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  /** Appends entries; resolves with their position once they are on disk. */
  append(entries: Entry[]): Promise<{ first: number; next: number }> {
    if (this.closed) return Promise.reject(new Error('WAL is closed'));
    const first = this.headOffset;
    for (const e of entries) {
      const buf = encodeEntry(e);
      this.pending.push(buf);
      this.pendingSize += buf.length;
      this.headOffset += buf.length;
    }
    const next = this.headOffset;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject, first, next });
      if (!this.flushing) {
        this.flushing = true;
        // Let every append issued in this turn of the event loop join this commit.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const bufs = this.pending;
      const waiters = this.waiters;
      const size = this.pendingSize;
      this.pending = [];
      this.waiters = [];
      this.pendingSize = 0;
      try {
        let active = this.segments[this.segments.length - 1]!;
        if (active.size > 0 && active.size + size > this.segmentBytes) {
          await this.fh!.close();
          await this.createSegment(active.base + active.size);
          active = this.segments[this.segments.length - 1]!;
        }
        await writeAll(this.fh!, bufs, size, active.size);
        const t0 = performance.now();
        if (!this.noSync) await this.fh!.datasync();
        this.lastFsyncMs = performance.now() - t0;
        this.fsyncCount++;
        active.size += size;
        this.durableOffset = active.base + active.size;
        for (const w of waiters) w.resolve({ first: w.first, next: w.next });
        this.emit('durable', this.durableOffset);
      } catch (err) {
        // The bytes may be half-written: cut them off so the log stays a sequence of whole entries,
        // and fail every waiter of this commit and of those queued behind it (their offsets moved).
        const active = this.segments[this.segments.length - 1]!;
        await this.fh?.truncate(active.size).catch(() => undefined);
        const later = this.waiters;
        this.pending = [];
        this.waiters = [];
        this.pendingSize = 0;
        this.headOffset = active.base + active.size;
        const e = err instanceof Error ? err : new Error(String(err));
        for (const w of [...waiters, ...later]) w.reject(e);
        this.emit('error-write', e);
      }
    }
    this.flushing = false;
  }

  /**
   * Reads whole entries starting at `from` (an entry boundary), up to about `maxBytes`, never past the
   * durable offset. Returns the entries and the position after the last one.
   */
  async read(from: number, maxBytes: number): Promise<{ entries: ReadEntry[]; next: number }> {
    const seg = this.segmentAt(from);
    if (!seg) return { entries: [], next: from };
    const segEnd = Math.min(seg.base + seg.size, this.durableOffset);
    if (from >= segEnd) {
      // At the end of a finished segment: continue in the next one.
      const idx = this.segments.indexOf(seg);
      const nextSeg = this.segments[idx + 1];
      if (nextSeg && from === seg.base + seg.size) return this.read(nextSeg.base, maxBytes);
      return { entries: [], next: from };
    }
    const fh = await this.reader(seg);
    const local = from - seg.base;
    let want = Math.min(maxBytes, segEnd - from);
    let buf = Buffer.allocUnsafe(want);
    await fh.read(buf, 0, want, local);
    const entries: ReadEntry[] = [];
    let o = 0;
    while (o < buf.length) {
      const r = decodeEntry(buf, o);
      if (!r.ok) {
        if (r.reason === 'corrupt') throw new Error(`WAL corrupt at offset ${from + o} in ${seg.path}`);
        if (entries.length === 0 && o + ENTRY_HEADER_BYTES <= buf.length) {
          // A single entry larger than maxBytes: read exactly it.
          want = ENTRY_HEADER_BYTES + buf.readUInt32LE(o);
          buf = Buffer.allocUnsafe(want);
          await fh.read(buf, 0, want, local);
          continue;
        }
        break;
      }
      entries.push({ offset: from + o, size: r.size, entry: r.entry });
      o += r.size;
    }
    return { entries, next: from + o };
  }

  private segmentAt(pos: number): Segment | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (pos >= s.base) return pos <= s.base + s.size ? s : undefined;
    }
    return undefined;
  }

  private async reader(seg: Segment): Promise<FileHandle> {
    let fh = this.readers.get(seg.path);
    if (!fh) {
      fh = await open(seg.path, 'r');
      this.readers.set(seg.path, fh);
    }
    return fh;
  }

  /** Where each segment on disk starts, oldest first (a consumer that must drop data drops whole ones). */
  segmentStarts(): number[] {
    return this.segments.map((s) => s.base);
  }

  /** Deletes segments that end at or below `upTo` (the lowest cursor of all consumers). */
  async release(upTo: number): Promise<number> {
    let removed = 0;
    while (this.segments.length > 1) {
      const s = this.segments[0]!;
      if (s.base + s.size > upTo) break;
      this.segments.shift();
      const r = this.readers.get(s.path);
      if (r) {
        this.readers.delete(s.path);
        await r.close();
      }
      await unlink(s.path);
      removed++;
    }
    return removed;
  }

  stats(): WalStats {
    return {
      head: this.headOffset,
      durable: this.durableOffset,
      pendingBytes: this.pendingSize,
      segments: this.segments.length,
      diskBytes: this.segments.reduce((n, s) => n + s.size, 0),
      fsyncs: this.fsyncCount,
      lastFsyncMs: this.lastFsyncMs,
    };
  }

  /** Waits for pending appends, then closes files. */
  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 2));
    this.closed = true;
    await this.fh?.close();
    this.fh = null;
    for (const r of this.readers.values()) await r.close();
    this.readers.clear();
  }
}
