// Per-tenant retention: a background job deletes each tenant's events older than its retention_days.
import type { DuckStore } from './duckdb-store.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';

export interface RetentionTenant {
  name: string;
  retention_days: number;
}

export async function enforceRetention(
  store: DuckStore,
  tenants: RetentionTenant[],
  now: Date,
  metrics?: Metrics,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const t of tenants) {
    const before = new Date(now.getTime() - t.retention_days * 86_400_000);
    const n = await store.deleteOlderThan(t.name, before);
    deleted[t.name] = n;
    if (n > 0) metrics?.retentionDeleted.inc({ tenant: t.name }, n);
  }
  return deleted;
}

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: DuckStore,
    private readonly tenants: () => RetentionTenant[],
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  start(): void {
    const tick = () => {
      this.running = enforceRetention(this.store, this.tenants(), new Date(), this.metrics)
        .then((d) => {
          const total = Object.values(d).reduce((a, b) => a + b, 0);
          if (total > 0) this.log.info({ deleted: d }, 'retention removed expired events');
        })
        .catch((err: unknown) => this.log.error({ err }, 'retention job failed'));
    };
    // First run shortly after start, then on the interval.
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.intervalMs).unref();
    }, 5_000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
