// The composition root: builds every stage from the config and wires them in data-flow order.
//   inputs (syslog, HTTP) -> intake -> WAL -> processor (decode, parse, normalise) -> store
//   API (search, admin) reads the store; the audit log writes through the intake like any input.
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/schema.js';
import { ConfigError } from './config/load.js';
import { createLogger, type Logger } from './core/log.js';
import { Metrics } from './core/metrics.js';
import { TenantRegistry } from './tenants/registry.js';
import { AuditLog } from './auth/audit.js';
import { Wal } from './queue/wal.js';
import { Intake } from './queue/intake.js';
import { DuckStore } from './store/duckdb-store.js';
import { RetentionJob } from './store/retention.js';
import { ParserRegistry, selectParsers } from './process/parsers/registry.js';
import { PARSERS } from './process/parsers/registry.generated.js';
import { Processor, STORE_CONSUMER } from './process/processor.js';
import { SyslogStreamServer } from './ingest/syslog/stream-server.js';
import { SyslogUdpServer } from './ingest/syslog/udp-server.js';
import { buildHttpServer } from './http/server.js';
import { eventsRoute } from './ingest/http/events-route.js';
import { apiRoutes } from './api/routes.js';
import { splitHostPort } from './ingest/listen.js';

export interface RunningServer {
  config: Config;
  dataDir: string;
  httpUrl: string;
  /** Bound ports of the syslog listeners, in config order ("tcp:5514"). */
  syslogPorts: { protocol: string; port: number; tenant: string }[];
  adminToken: { path: string; created: boolean };
  processor: Processor;
  store: DuckStore;
  wal: Wal;
  log: Logger;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { log?: Logger; configFile?: string } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.log.level);
  // Config problems the schema cannot see (parser ids) fail before anything is opened.
  let registry: ParserRegistry;
  try {
    registry = new ParserRegistry(selectParsers(PARSERS, config.parsers));
  } catch (err) {
    throw new ConfigError(opts.configFile ?? 'the configuration', [{ key: 'parsers', problem: (err as Error).message.replace(/^parsers: /, '') }]);
  }
  const dataDir = resolve(config.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const metrics = new Metrics();
  const tenants = new TenantRegistry(dataDir, config);
  const adminToken = tenants.ensureAdminToken();

  // A stored row holds the raw line and what was parsed from it: allow a few times the largest input.
  const maxInput = Math.max(config.http.max_line_bytes, ...(config.syslog ?? []).map((l) => l.max_frame_bytes));
  const store = await DuckStore.open({ dataDir, memoryLimit: config.store.memory_limit, maxRowBytes: 4 * maxInput + (1 << 20) });
  const checkpoint = await store.checkpoint(STORE_CONSUMER);
  const wal = await Wal.open({ dir: join(dataDir, 'wal'), segmentBytes: config.queue.segment_bytes, startAt: checkpoint ?? 0 });
  wal.on('torn', (t) => log.warn(t, 'WAL had a torn tail (an unacknowledged write at crash); cut it off'));

  let processor: Processor | null = null;
  const intake = new Intake(
    wal,
    { maxPendingBytes: config.queue.max_pending_bytes, maxLagBytes: config.queue.max_lag_bytes },
    metrics,
    () => processor?.checkpoint ?? wal.tail,
  );
  processor = new Processor({
    wal,
    store,
    metrics,
    log,
    registry,
    batchMaxEvents: config.store.batch_max_events,
    onBatch: () => intake.check(),
  });
  await processor.start();

  const audit = new AuditLog(intake, log);
  const http = buildHttpServer({ tokens: tenants.tokens, audit, metrics, log, bodyLimit: config.http.body_limit_bytes });
  await http.register(eventsRoute, {
    intake,
    metrics,
    tenantExists: (t) => tenants.get(t) !== undefined,
    parserExists: (id) => registry.has(id),
    maxLineBytes: config.http.max_line_bytes,
    bodyLimit: config.http.body_limit_bytes,
    maxInflightBytes: Math.max(config.http.body_limit_bytes * 4, 256 * 1024 * 1024),
  });
  await http.register(apiRoutes, {
    store,
    tenants,
    audit,
    metrics,
    ready: () => {
      const p = intake.pressure();
      return p === 'ok' ? { ok: true } : { ok: false, reason: p };
    },
    collect: () => {
      const s = wal.stats();
      metrics.queueLag.set(Math.max(0, s.durable - (processor?.checkpoint ?? 0)));
      metrics.walBytes.set(s.diskBytes);
      metrics.walSegments.set(s.segments);
      metrics.storeBytes.set(store.diskBytes());
    },
  });
  wal.on('durable', () => metrics.fsync.observe(wal.lastFsyncMs / 1000));

  const listeners: (SyslogStreamServer | SyslogUdpServer)[] = [];
  const syslogPorts: RunningServer['syslogPorts'] = [];
  for (const l of config.syslog ?? []) {
    const server =
      l.protocol === 'udp'
        ? new SyslogUdpServer({ listen: l.listen, tenant: l.tenant, maxFrameBytes: l.max_frame_bytes }, intake, metrics, log)
        : new SyslogStreamServer(
            {
              protocol: l.protocol,
              listen: l.listen,
              tenant: l.tenant,
              maxFrameBytes: l.max_frame_bytes,
              ...(l.cert ? { cert: l.cert } : {}),
              ...(l.key ? { key: l.key } : {}),
              ...(l.ca ? { ca: l.ca } : {}),
            },
            intake,
            metrics,
            log,
          );
    const port = await server.start();
    listeners.push(server);
    syslogPorts.push({ protocol: l.protocol, port, tenant: l.tenant });
  }

  const { host, port } = splitHostPort(config.http.listen);
  await http.listen({ host, port });
  const addr = http.server.address() as AddressInfo;
  const httpUrl = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;

  const retention = new RetentionJob(
    store,
    () => tenants.list(),
    config.store.retention_interval_minutes * 60_000,
    log,
    metrics,
  );
  retention.start();
  log.info({ http: httpUrl, syslog: syslogPorts, dataDir }, 'vigil is running');

  let stopped = false;
  return {
    config,
    dataDir,
    httpUrl,
    syslogPorts,
    adminToken,
    processor,
    store,
    wal,
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(listeners.map((l) => l.stop()));
      await http.close();
      await audit.flush();
      await retention.stop();
      await processor.drained();
      await processor.stop();
      await wal.close();
      await store.close();
    },
  };
}
