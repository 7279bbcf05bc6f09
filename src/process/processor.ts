// The consumer of the durable queue that feeds the store. It reads synced WAL entries from its
// checkpoint, processes them into events and writes each batch together with the new checkpoint in one
// store transaction. Processing of the next batch overlaps the store write of the previous one.
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { Wal, ReadEntry } from '../queue/wal.js';
import type { DetectWrite, DuckStore, PreparedBatch } from '../store/duckdb-store.js';
import type { SourceSeen } from '../store/sources.js';
import type { EcsDoc } from '../core/event.js';
import { processEntry, type ProcessedEvent, type ProcessOptions } from './pipeline.js';

export const STORE_CONSUMER = 'store';

export interface ProcessorOptions extends ProcessOptions {
  wal: Wal;
  store: DuckStore;
  metrics: Metrics;
  log: Logger;
  /** Aim for batches of about this many events. */
  batchMaxEvents: number;
  /** Read this many WAL bytes at a time. */
  readBytes?: number;
  /** Called after each committed batch (later stages hook forwarding here). */
  onBatch?: (events: ProcessedEvent[], detected?: DetectWrite) => void;
  /**
   * Detection over a processed batch, before it is written: its alerts, deliveries owed and state
   * commit in the same transaction as the events (store/alerts.ts).
   */
  detect?: (events: ProcessedEvent[]) => DetectWrite | undefined;
  /**
   * Re-forwarding: takes each processed batch into the outputs' disk buffers, with the queue position
   * it covers. Runs beside the store write; the next batch waits for both.
   */
  forward?: (events: ProcessedEvent[], upTo: number) => Promise<void>;
  /** The lowest queue position another consumer (an output) still needs; the WAL keeps it. */
  retainFrom?: () => number;
}

/** Inputs whose events are Vigil's own. */
export const UNTRACKED_INPUTS: ReadonlySet<string> = new Set(['audit', 'monitor', 'detect']);

/** The host a source is known by: the observer (a DNS server, a proxy) or else the host that logged. */
export function sourceHost(doc: EcsDoc): string {
  const name = (k: string) => {
    const v = (doc[k] as EcsDoc | undefined)?.name;
    return typeof v === 'string' && v ? v : undefined;
  };
  return name('observer') ?? name('host') ?? '';
}

export class Processor {
  private position = 0;
  private running = false;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: ProcessorOptions) {}

  /** The WAL position up to which events are in the store. */
  get checkpoint(): number {
    return this.position;
  }

  get lagBytes(): number {
    return this.o.wal.durable - this.position;
  }

  async start(): Promise<void> {
    this.position = (await this.o.store.checkpoint(STORE_CONSUMER)) ?? this.o.wal.tail;
    this.running = true;
    this.o.wal.on('durable', this.onDurable);
    this.loopDone = this.loop().catch((err: unknown) => {
      // Inputs keep queueing to the WAL until back-pressure refuses more; nothing acknowledged is lost.
      this.o.log.fatal({ err }, 'processor stopped');
    });
  }

  private onDurable = (): void => {
    const w = this.wake;
    this.wake = null;
    w?.();
  };

  /** Resolves when everything durable at the time of the call is in the store. */
  async drained(): Promise<void> {
    const target = this.o.wal.durable;
    while (this.position < target) {
      await new Promise<void>((r) => this.idleWaiters.push(r));
    }
  }

  private async loop(): Promise<void> {
    // Small reads keep a batch close to batchMaxEvents instead of overshooting by a whole read.
    const readBytes = this.o.readBytes ?? 1024 * 1024;
    let pendingWrite: Promise<void> | null = null;
    let readPos = this.position;
    while (this.running) {
      const events: ProcessedEvent[] = [];
      const sources = new Map<string, SourceSeen>();
      let oldest = Infinity;
      // Gather entries until the batch is big enough or the queue is empty.
      while (events.length < this.o.batchMaxEvents) {
        const { entries, next } = await this.o.wal.read(readPos, readBytes);
        if (entries.length === 0) break;
        for (const e of entries) {
          oldest = Math.min(oldest, e.entry.meta.received);
          for (const ev of this.processOne(e, sources)) events.push(ev);
        }
        readPos = next;
      }
      const upTo = readPos;
      if (events.length === 0 && upTo === this.position) {
        if (pendingWrite) {
          await pendingWrite;
          pendingWrite = null;
          continue;
        }
        this.notifyIdle();
        await new Promise<void>((r) => {
          this.wake = r;
          // Wake regardless now and then: a durable event could race with setting `wake`.
          setTimeout(r, 200).unref();
        });
        continue;
      }
      // One store commit in flight at a time. The next batch is processed and prepared (the JavaScript
      // half of the write) while DuckDB loads the previous one.
      const detected = this.o.detect?.(events);
      const prepared = await this.o.store.prepareBatch(events, [...sources.values()], detected);
      if (pendingWrite) await pendingWrite;
      // After the previous batch's offer: an output takes batches one at a time, in queue order.
      const forwarded = this.o.forward?.(events, upTo);
      const written = this.write(events, prepared, upTo, oldest);
      pendingWrite = forwarded ? Promise.all([written, forwarded]).then(() => undefined) : written;
    }
    if (pendingWrite) await pendingWrite;
  }

  private processOne(e: ReadEntry, sources: Map<string, SourceSeen>): ProcessedEvent[] {
    const events = processEntry(e, this.o);
    const { tenant, input, received } = e.entry.meta;
    // Vigil's own events (audit, the watch's alerts) are not a source that can fall silent.
    const tracked = !UNTRACKED_INPUTS.has(input);
    for (const ev of events) {
      const parse = (ev.doc.vigil as { parse?: { status?: string; parser?: string } } | undefined)?.parse;
      if (parse?.status !== 'parsed') this.o.metrics.unparsed.inc({ tenant, input, status: parse?.status ?? 'unknown' });
      if (!tracked) continue;
      const host = sourceHost(ev.doc);
      const parser = parse?.parser ?? '';
      const key = `${tenant}\u0000${host}\u0000${parser}`;
      const s = sources.get(key);
      if (s) {
        s.events++;
        if (received > s.lastSeen) s.lastSeen = received;
      } else sources.set(key, { tenant, host, parser, events: 1, lastSeen: received });
    }
    return events;
  }

  private async write(events: ProcessedEvent[], prepared: PreparedBatch, upTo: number, oldest: number): Promise<void> {
    const t0 = performance.now();
    const perTenant = new Map<string, number>();
    for (const e of events) perTenant.set(e.tenant, (perTenant.get(e.tenant) ?? 0) + 1);
    // A failed write (out of memory, disk full) is retried with back-off, never skipped: the events
    // stay in the WAL, and inputs push back once the queue fills.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.store.commitBatch(prepared, STORE_CONSUMER, upTo);
        this.o.store.discard(prepared);
        break;
      } catch (err) {
        if (!this.running) throw err;
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        this.o.log.error({ err, attempt, retryInMs: delay, events: events.length }, 'store write failed; retrying');
        this.o.metrics.storeErrors.inc();
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    this.position = upTo;
    const secs = (performance.now() - t0) / 1000;
    this.o.metrics.storeBatch.observe(secs);
    this.o.metrics.storeBatchEvents.observe(events.length);
    for (const [tenant, n] of perTenant) this.o.metrics.stored.inc({ tenant }, n);
    if (Number.isFinite(oldest)) this.o.metrics.queueLagSeconds.set(Math.max(0, (Date.now() - oldest) / 1000));
    this.o.onBatch?.(events, prepared.detect);
    await this.o.wal.release(Math.min(upTo, this.o.retainFrom?.() ?? Infinity));
    if (this.position >= this.o.wal.durable) this.notifyIdle();
  }

  private notifyIdle(): void {
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.onDurable();
    await this.loopDone.catch(() => undefined);
    this.o.wal.off('durable', this.onDurable);
    this.notifyIdle();
  }
}
