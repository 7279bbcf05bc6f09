// Vigil's own Prometheus metrics. One registry per server instance (tests run several in one process).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly received = new Counter({
    name: 'vigil_events_received_total',
    help: 'Records accepted into the durable queue, by tenant and input',
    labelNames: ['tenant', 'input'] as const,
    registers: [this.registry],
  });
  readonly stored = new Counter({
    name: 'vigil_events_stored_total',
    help: 'Events written to the store, by tenant',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly unparsed = new Counter({
    name: 'vigil_events_unparsed_total',
    help: 'Stored events that no parser recognised (or malformed), by tenant and input',
    labelNames: ['tenant', 'input', 'status'] as const,
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: 'vigil_events_dropped_total',
    help: 'Records refused or lost before the queue (UDP overload, oversized), by input and reason',
    labelNames: ['input', 'reason'] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'vigil_requests_rejected_total',
    help: 'Requests refused by back-pressure or limits, by input and reason',
    labelNames: ['input', 'reason'] as const,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'vigil_auth_failures_total',
    help: 'Requests with a missing, unknown or insufficient token',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly queueLag = new Gauge({
    name: 'vigil_queue_lag_bytes',
    help: 'Durable queue bytes not yet processed into the store',
    registers: [this.registry],
  });
  readonly queueLagSeconds = new Gauge({
    name: 'vigil_queue_lag_seconds',
    help: 'Age of the oldest unprocessed queue entry at the last processed batch',
    registers: [this.registry],
  });
  readonly walBytes = new Gauge({
    name: 'vigil_wal_bytes',
    help: 'Bytes in write-ahead log segments on disk',
    registers: [this.registry],
  });
  readonly walSegments = new Gauge({
    name: 'vigil_wal_segments',
    help: 'Write-ahead log segment files on disk',
    registers: [this.registry],
  });
  readonly fsync = new Histogram({
    name: 'vigil_wal_fsync_seconds',
    help: 'Time of each WAL group-commit fdatasync',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly storeBatch = new Histogram({
    name: 'vigil_store_batch_seconds',
    help: 'Time to write one batch (and its checkpoint) to the store',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly storeBatchEvents = new Histogram({
    name: 'vigil_store_batch_events',
    help: 'Events per store batch',
    buckets: [1, 10, 100, 1000, 10000, 50000, 100000],
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'vigil_alerts_total',
    help: 'Alerts raised (created) and repeats folded into open alerts (updated), by tenant',
    labelNames: ['tenant', 'change'] as const,
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'vigil_notifications_total',
    help: 'Alert deliveries (searchable event, webhook, syslog, email) by destination and outcome: sent, retry, failed',
    labelNames: ['destination', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: 'vigil_store_write_errors_total',
    help: 'Failed store batch writes (each is retried)',
    registers: [this.registry],
  });
  readonly storeBytes = new Gauge({
    name: 'vigil_store_bytes',
    help: 'Bytes of the DuckDB database and its WAL on disk',
    registers: [this.registry],
  });
  readonly retentionDeleted = new Counter({
    name: 'vigil_retention_deleted_total',
    help: 'Events deleted by the retention job, by tenant',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly searchSeconds = new Histogram({
    name: 'vigil_search_seconds',
    help: 'Search latency',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly outputEvents = new Counter({
    name: 'vigil_output_events_total',
    help: 'Events handled by each output: sent, failed (the peer refused them for good), retried, dropped (backlog over its disk limit)',
    labelNames: ['output', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly outputBacklog = new Gauge({
    name: 'vigil_output_backlog_events',
    help: 'Events buffered on disk for each output and not yet delivered',
    labelNames: ['output'] as const,
    registers: [this.registry],
  });
  readonly outputBacklogBytes = new Gauge({
    name: 'vigil_output_backlog_bytes',
    help: 'Bytes of each output\'s disk buffer',
    labelNames: ['output'] as const,
    registers: [this.registry],
  });
}
