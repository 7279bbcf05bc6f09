// One output: takes the processed events its route selects, transformed, into its disk buffer, and
// delivers them from the buffer to its sink in batches, in order, at least once. A peer that fails is
// retried with exponential back-off (or when it said to, Retry-After); meanwhile the buffer absorbs
// new events up to its disk limit and then drops the oldest, so a slow or dead peer never holds up
// ingest or the other outputs.
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { OutputBuffer } from './buffer.js';
import type { Route } from './route.js';
import type { Transform } from './transform.js';
import { asSinkError, type OutEvent, type Sink } from './sink.js';
import { entryOffsetOf, type ProcessedEvent } from '../process/pipeline.js';

/** An event the process stage produced, with its id (whose high bits are its queue entry's offset). */
export type Offered = ProcessedEvent;

export interface OutputSettings {
  name: string;
  type: string;
  maxEvents: number;
  maxWaitMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface OutputStatus {
  name: string;
  type: string;
  state: 'idle' | 'sending' | 'retrying' | 'stopped';
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  backlog_events: number;
  backlog_bytes: number;
  last_error: { at: string; message: string } | null;
  last_sent_at: string | null;
  next_attempt_at: string | null;
}

export class Output {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  /** Ends a back-off sleep; only stop() calls it (new events must not hurry a retry). */
  private endBackoff: (() => void) | null = null;
  /** The counters; the backlog is read from the buffer when a snapshot is taken. */
  private status: Omit<OutputStatus, 'backlog_events' | 'backlog_bytes'>;

  constructor(
    readonly settings: OutputSettings,
    private readonly route: Route,
    private readonly transform: Transform | null,
    readonly buffer: OutputBuffer,
    private readonly sink: Sink,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /** Tells the platform that events were dropped (an alert in `_platform`). */
    private readonly onDrop: (output: string, dropped: number, reason: string) => void,
  ) {
    this.status = {
      name: settings.name,
      type: settings.type,
      state: 'stopped',
      sent: 0,
      failed: 0,
      retried: 0,
      dropped: 0,
      last_error: null,
      last_sent_at: null,
      next_attempt_at: null,
    };
  }

  /**
   * Takes a processed batch that covers the main queue up to `upTo`. Events of entries below the
   * buffer's `covered` mark were taken before a crash and are skipped, so a replay adds nothing twice.
   */
  async offer(events: readonly Offered[], upTo: number): Promise<void> {
    if (upTo <= this.buffer.covered) return;
    const covered = BigInt(this.buffer.covered);
    const out: OutEvent[] = [];
    for (const e of events) {
      if (entryOffsetOf(e.id) < covered) continue;
      if (!this.route(e.tenant, e.doc)) continue;
      out.push({ tenant: e.tenant, id: e.id.toString(), doc: this.transform ? this.transform(e.doc) : e.doc });
    }
    await this.buffer.append(out, upTo, this.settings.maxEvents);
    if (out.length) {
      const dropped = await this.buffer.enforceLimit();
      if (dropped) this.dropped(dropped, 'buffer over its max_bytes: the oldest undelivered events were dropped');
      this.kick();
    }
    this.gauge();
  }

  start(): void {
    this.running = true;
    this.status.state = 'idle';
    this.loopDone = this.loop().catch((err: unknown) => {
      this.log.error({ err, output: this.settings.name }, 'output stopped');
      this.status.state = 'stopped';
    });
  }

  kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  snapshot(): OutputStatus {
    return { ...this.status, backlog_events: this.buffer.backlogEvents, backlog_bytes: this.buffer.diskBytes };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    this.endBackoff?.();
    await this.loopDone;
    this.status.state = 'stopped';
    await this.sink.close().catch(() => undefined);
    await this.buffer.close();
  }

  /** Sleeps for `ms`; new events (kick) end it early unless `onlyStop` (a back-off, a linger). */
  private sleep(ms: number, onlyStop = false): Promise<void> {
    return new Promise((r) => {
      const done = () => {
        clearTimeout(t);
        if (onlyStop) this.endBackoff = null;
        r();
      };
      const t = setTimeout(done, ms);
      t.unref();
      if (onlyStop) this.endBackoff = done;
      else this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    let lingered = false;
    while (this.running) {
      const { events, next } = await this.buffer.read(this.settings.maxEvents);
      if (events.length === 0) {
        this.status.state = 'idle';
        await this.sleep(1000);
        continue;
      }
      // A short batch waits once, up to max_wait, for more: fewer, larger requests under steady load.
      if (events.length < this.settings.maxEvents && !lingered && this.settings.maxWaitMs > 0) {
        lingered = true;
        await this.sleep(this.settings.maxWaitMs, true);
        continue;
      }
      lingered = false;
      const delivered = await this.deliver(events);
      if (!this.running && !delivered) return;
      await this.buffer.ack(next, events.length);
      this.gauge();
    }
  }

  /** Sends until the peer took the batch or refused it for good; false when stopped first. */
  private async deliver(batch: OutEvent[]): Promise<boolean> {
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      this.status.state = attempt === 0 ? 'sending' : 'retrying';
      try {
        await this.sink.send(pending);
        this.count('sent', pending.length);
        this.status.last_sent_at = new Date().toISOString();
        this.status.next_attempt_at = null;
        return true;
      } catch (err) {
        const e = asSinkError(err);
        this.status.last_error = { at: new Date().toISOString(), message: e.message };
        const failedIds = new Set(e.opts.failedIds ?? []);
        if (e.opts.permanent) {
          this.log.error({ output: this.settings.name, events: pending.length, err: e.message }, 'output refused events for good; they are not retried');
          this.count('failed', pending.length);
          return true;
        }
        if (e.opts.retryIds) {
          // Partly delivered (Elasticsearch per-item results): only the rest is sent again.
          const retry = new Set(e.opts.retryIds);
          const sent = pending.filter((x) => !retry.has(x.id) && !failedIds.has(x.id)).length;
          if (sent) this.count('sent', sent);
          if (failedIds.size) this.count('failed', pending.filter((x) => failedIds.has(x.id)).length);
          pending = pending.filter((x) => retry.has(x.id));
          if (pending.length === 0) return true;
        }
        this.count('retried', pending.length);
        const backoff = Math.min(this.settings.retryMaxMs, this.settings.retryInitialMs * 2 ** Math.min(attempt, 20));
        const jittered = backoff * (0.8 + Math.random() * 0.4);
        const delay = e.opts.retryAfterMs !== undefined ? Math.min(e.opts.retryAfterMs, 5 * 60_000) : jittered;
        this.status.next_attempt_at = new Date(Date.now() + delay).toISOString();
        this.log.warn({ output: this.settings.name, attempt, retryInMs: Math.round(delay), err: e.message }, 'output delivery failed; retrying');
        await this.sleep(delay, true);
        if (!this.running) return false;
      }
    }
  }

  private count(outcome: 'sent' | 'failed' | 'retried' | 'dropped', n: number): void {
    this.status[outcome] += n;
    this.metrics.outputEvents.inc({ output: this.settings.name, outcome }, n);
  }

  private dropped(n: number, reason: string): void {
    this.count('dropped', n);
    this.log.error({ output: this.settings.name, dropped: n }, reason);
    this.onDrop(this.settings.name, n, reason);
  }

  private gauge(): void {
    this.metrics.outputBacklog.set({ output: this.settings.name }, this.buffer.backlogEvents);
    this.metrics.outputBacklogBytes.set({ output: this.settings.name }, this.buffer.diskBytes);
  }
}
