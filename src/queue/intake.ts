// The one door into the durable queue for every input. It splits big batches into WAL entries, counts
// what was accepted, and says when to push back: too many bytes waiting for fsync (memory) or too many
// bytes not yet processed (the store is behind). Inputs turn "overloaded" into 503/429 or TCP pause.
import { EventEmitter } from 'node:events';
import { MAX_RECORDS_PER_ENTRY, type EntryMeta } from './entry.js';
import type { Wal } from './wal.js';
import type { Metrics } from '../core/metrics.js';

export interface IntakeLimits {
  maxPendingBytes: number;
  maxLagBytes: number;
}

export type Pressure = 'ok' | 'fsync-backlog' | 'processing-backlog';

export class Intake extends EventEmitter {
  private wasOverloaded = false;

  constructor(
    private readonly wal: Wal,
    private readonly limits: IntakeLimits,
    private readonly metrics: Metrics,
    /** The lowest WAL position any consumer still needs. */
    private readonly consumerPosition: () => number,
  ) {
    super();
    this.setMaxListeners(0);
    // Whenever the queue moves, tell paused inputs if they may resume.
    wal.on('durable', () => this.check());
  }

  pressure(): Pressure {
    if (this.wal.pendingBytes > this.limits.maxPendingBytes) return 'fsync-backlog';
    // head, not durable: bytes handed to the WAL count at once, so concurrent senders see each other.
    if (this.wal.head - this.consumerPosition() > this.limits.maxLagBytes) return 'processing-backlog';
    return 'ok';
  }

  overloaded(): boolean {
    return this.pressure() !== 'ok';
  }

  /** Re-evaluates pressure; emits 'relief' when it ends. Call when a consumer advances. */
  check(): void {
    const now = this.overloaded();
    if (this.wasOverloaded && !now) this.emit('relief');
    this.wasOverloaded = now;
  }

  /** Queues records; resolves once they are fsync'd. */
  async submit(meta: EntryMeta, records: Buffer[]): Promise<void> {
    if (records.length === 0) return;
    const entries = [];
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_ENTRY) {
      entries.push({ meta, records: records.slice(i, i + MAX_RECORDS_PER_ENTRY) });
    }
    await this.wal.append(entries);
    this.metrics.received.inc({ tenant: meta.tenant, input: meta.input }, records.length);
    if (this.overloaded()) this.wasOverloaded = true;
  }

  /** Resolves when the pressure is gone. */
  whenRelieved(): Promise<void> {
    if (!this.overloaded()) return Promise.resolve();
    this.wasOverloaded = true;
    return new Promise((resolve) => {
      const poll = setInterval(() => {
        if (!this.overloaded()) done();
      }, 250);
      const done = () => {
        clearInterval(poll);
        this.off('relief', done);
        resolve();
      };
      this.on('relief', done);
    });
  }
}
