// An output's disk buffer: the events it has taken but not yet delivered, in a WAL of its own (the
// same segmented, checksummed, group-committed log as the main queue) under data/outputs/<name>/,
// with a small state file:
//   covered  the main-queue position up to which the processed events were offered to this output;
//            on restart, the stage replays the main queue from here, so nothing the store took is missed
//   cursor   the buffer position up to which the peer acknowledged delivery
// Both only move forward after the bytes they point past are on disk, so a crash repeats deliveries
// (at least once) but never skips one. Past max_bytes, whole segments are dropped, oldest first.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import { join } from 'node:path';
import { Wal } from '../queue/wal.js';
import type { OutEvent } from './sink.js';

interface State {
  covered: number;
  cursor: number;
}

export interface BufferOptions {
  dir: string;
  maxBytes: number;
  /** The main-queue position a new output starts from (it forwards what arrives from now on). */
  startCovered: number;
}

interface Stored {
  t: string;
  i: string;
  d: OutEvent['doc'];
}

export class OutputBuffer {
  private state: State;
  private backlog = 0;

  private constructor(
    private readonly wal: Wal,
    private readonly statePath: string,
    state: State,
    private readonly maxBytes: number,
    private readonly segmentBytes: number,
  ) {
    this.state = state;
  }

  static async open(o: BufferOptions): Promise<OutputBuffer> {
    mkdirSync(o.dir, { recursive: true });
    // Segments small enough that dropping the oldest frees a fraction of the budget, not all of it.
    const segmentBytes = Math.max(256 * 1024, Math.floor(o.maxBytes / 8));
    const statePath = join(o.dir, 'state.json');
    const saved = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as State) : null;
    const wal = await Wal.open({ dir: join(o.dir, 'buffer'), segmentBytes, startAt: 0 });
    const state = saved ?? { covered: o.startCovered, cursor: wal.tail };
    // A cursor below the oldest segment (dropped while the state was being written) moves up to it.
    if (state.cursor < wal.tail) state.cursor = wal.tail;
    const b = new OutputBuffer(wal, statePath, state, o.maxBytes, segmentBytes);
    b.backlog = await b.countFrom(state.cursor, wal.durable);
    if (!saved) b.save();
    return b;
  }

  get covered(): number {
    return this.state.covered;
  }

  get backlogEvents(): number {
    return this.backlog;
  }

  get diskBytes(): number {
    return this.wal.stats().diskBytes;
  }

  /**
   * Appends events (in entries of at most `perEntry` events and one segment's bytes) and records that
   * the queue is covered up to `upTo`. Appends go in groups of at most a segment's bytes, so segments
   * roll and the oldest can be dropped whole: one large batch never becomes one undroppable segment.
   */
  async append(events: OutEvent[], upTo: number, perEntry: number): Promise<void> {
    if (events.length) {
      const meta = { tenant: '', input: 'forward', codec: 'json' as const, received: Date.now() };
      let group: { meta: typeof meta; records: Buffer[] }[] = [];
      let groupBytes = 0;
      let records: Buffer[] = [];
      let entryBytes = 0;
      const endEntry = () => {
        if (records.length) group.push({ meta, records });
        groupBytes += entryBytes;
        records = [];
        entryBytes = 0;
      };
      const flush = async () => {
        endEntry();
        if (group.length) await this.wal.append(group);
        group = [];
        groupBytes = 0;
      };
      for (const e of events) {
        const r = Buffer.from(JSON.stringify({ t: e.tenant, i: e.id, d: e.doc } satisfies Stored));
        if (records.length >= perEntry || (records.length && entryBytes + r.length > this.segmentBytes)) endEntry();
        if (groupBytes + entryBytes + r.length > this.segmentBytes && (group.length || records.length)) await flush();
        records.push(r);
        entryBytes += r.length + 4;
      }
      await flush();
      this.backlog += events.length;
    }
    if (upTo > this.state.covered) {
      this.state.covered = upTo;
      this.save();
    }
  }

  /** Whole entries from the cursor, up to `maxEvents` events (at least one entry when any is there). */
  async read(maxEvents: number): Promise<{ events: OutEvent[]; next: number }> {
    const events: OutEvent[] = [];
    let pos = this.state.cursor;
    fill: for (;;) {
      const { entries } = await this.wal.read(pos, 1024 * 1024);
      if (entries.length === 0) break;
      for (const e of entries) {
        if (events.length > 0 && events.length + e.entry.records.length > maxEvents) break fill;
        for (const r of e.entry.records) {
          const s = JSON.parse(r.toString('utf8')) as Stored;
          events.push({ tenant: s.t, id: s.i, doc: s.d });
        }
        pos = e.offset + e.size;
      }
      if (events.length >= maxEvents) break;
    }
    return { events, next: pos };
  }

  /** The peer has everything before `next`: move the cursor and free whole segments behind it. */
  async ack(next: number, delivered: number): Promise<void> {
    this.state.cursor = next;
    this.backlog = Math.max(0, this.backlog - delivered);
    this.save();
    await this.wal.release(next);
  }

  /** Drops the oldest segments while the buffer is over its limit; returns how many events were lost. */
  async enforceLimit(): Promise<number> {
    let dropped = 0;
    for (;;) {
      const starts = this.wal.segmentStarts();
      if (this.wal.stats().diskBytes <= this.maxBytes || starts.length < 2) return dropped;
      const to = starts[1]!;
      if (this.state.cursor < to) {
        const n = await this.countFrom(this.state.cursor, to);
        dropped += n;
        this.backlog = Math.max(0, this.backlog - n);
        this.state.cursor = to;
        this.save();
      }
      await this.wal.release(to);
    }
  }

  async close(): Promise<void> {
    await this.wal.close();
  }

  private async countFrom(from: number, to: number): Promise<number> {
    let n = 0;
    let pos = from;
    while (pos < to) {
      const { entries, next } = await this.wal.read(pos, 4 * 1024 * 1024);
      if (entries.length === 0) break;
      for (const e of entries) if (e.offset < to) n += e.entry.records.length;
      pos = next;
    }
    return n;
  }

  /** Written whole and synced, then renamed over the old state: a crash leaves the old or the new. */
  private save(): void {
    writeFileAtomicSync(this.statePath, JSON.stringify(this.state));
  }
}
