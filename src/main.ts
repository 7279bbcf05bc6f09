// The composition root: builds every stage from the config and wires them in data-flow order.
//   inputs (syslog, HTTP, shipper protocols: ingest/start.ts) -> intake -> WAL
//     -> processor (decode, parse, normalise, classify) -> { store, detect, forward (outputs) }
//   API (search, coverage, alerts, outputs) reads the store; the audit log, the silent-source watch and
//   the outputs' drop alerts write through the intake like any input.
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
import { buildHttpServer } from './http/server.js';
import { apiRoutes } from './api/routes.js';
import { uiRoutes } from './ui/routes.js';
import { splitHostPort } from './ingest/listen.js';
import { registerHttpInputs, startListeners, type Listeners } from './ingest/start.js';
import { BUILTIN_CATALOG_DIR, CatalogError, loadCatalog } from './catalog/load.js';
import type { Catalog } from './catalog/catalog.js';
import { PRODUCED_FIELDS } from './process/parsers/fields.generated.js';
import { Classifier } from './process/classify.js';
import { coverageRoutes } from './api/coverage-routes.js';
import { MONITOR_INPUT, SilentSourceWatch } from './monitor/silent-sources.js';
import type { SilencePolicy } from './query/sources.js';
import { parseDuration } from './ql/time.js';
import { RuleSet } from './detect/rule-set.js';
import { Detector } from './detect/detector.js';
import { buildCorrelator } from './detect/correlate.js';
import { FirstSeen } from './detect/first-seen.js';
import { OutboxWorker } from './detect/notify/outbox-worker.js';
import { openAlerts, savedState, sightings } from './detect/restore.js';
import { alertRoutes } from './api/alert-routes.js';
import { outputRoutes } from './api/output-routes.js';
import { Forwarder } from './forward/forwarder.js';
import { SINKS } from './forward/sinks/index.js';
import { processEntry } from './process/pipeline.js';
import type { EcsDoc } from './core/event.js';
import { PLATFORM_TENANT } from './config/schema.js';

export interface RunningServer {
  config: Config;
  dataDir: string;
  httpUrl: string;
  /** Bound ports of the syslog listeners, in config order ("tcp:5514"). */
  syslogPorts: Listeners['syslogPorts'];
  /** Bound ports of the TCP shipper listeners (fluent_forward, beats), in config order. */
  listenerPorts: Listeners['listenerPorts'];
  adminToken: { path: string; created: boolean };
  processor: Processor;
  store: DuckStore;
  catalog: Catalog;
  watch: SilentSourceWatch;
  outbox: OutboxWorker;
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
  const catalog = loadConfiguredCatalog(config, opts.configFile);
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

  // Rules: a broken or unsupported one is reported, never fatal; the rest load.
  const rules = RuleSet.load({ paths: config.rules.paths, builtin: config.rules.builtin, disable: config.rules.disable, placeholders: config.rules.placeholders });
  const correlation = buildCorrelator(rules);
  for (const p of [...rules.problems, ...correlation.problems]) log.warn({ file: p.file, line: p.line, rule: p.id ?? p.title, reason: p.reason }, 'rule not loaded');
  log.info({ rules: rules.compiled.length, correlations: rules.correlations.length - correlation.problems.length, problems: rules.problems.length + correlation.problems.length }, 'rules loaded');
  const saved = await savedState(store, 'correlation');
  if (saved !== undefined) correlation.engine.restore(saved);
  const firstSeen = new FirstSeen(parseDuration(config.rules.first_seen_learning)!);
  const seen = await sightings(store);
  firstSeen.restore(seen.rows, seen.since);
  const dedupWindowMs = parseDuration(config.alerting.dedup_window)!;
  const detector = new Detector({
    rules,
    correlator: correlation.engine,
    dedupWindowMs,
    firstSeen,
    destinations: [
      ...config.alerting.webhooks.map((w, i) => ({ name: `webhook:${i}`, minLevel: w.min_level })),
      ...config.alerting.syslog.map((w, i) => ({ name: `syslog:${i}`, minLevel: w.min_level })),
      ...config.alerting.email.map((w, i) => ({ name: `email:${i}`, minLevel: w.min_level })),
    ],
  });
  detector.restoreOpen(await openAlerts(store, dedupWindowMs));

  let processor: Processor | null = null;
  let outbox: OutboxWorker | null = null;
  let intakeRef: Intake | null = null;
  // Re-forwarding: outputs open before processing starts, and first take what they missed last time.
  const forwarder = await Forwarder.open({
    outputs: config.outputs,
    sinks: SINKS,
    dataDir,
    tenantExists: (t) => tenants.get(t) !== undefined,
    metrics,
    log,
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    startCovered: checkpoint ?? wal.tail,
    onDrop: (output, dropped, reason) => void intakeRef?.submit(OWN_META(), [Buffer.from(JSON.stringify(droppedEvent(output, dropped, reason)))]).catch((err: unknown) => log.error({ err }, 'could not record dropped output events')),
  });
  if (forwarder.size) {
    // Fresh parser and classifier state: replaying must not disturb the live sequences.
    const replayOpts = { registry: new ParserRegistry(selectParsers(PARSERS, config.parsers)), classifier: new Classifier(catalog) };
    await forwarder.replay(wal, checkpoint ?? wal.tail, (re) => processEntry(re, replayOpts));
  }
  const intake = new Intake(
    wal,
    { maxPendingBytes: config.queue.max_pending_bytes, maxLagBytes: config.queue.max_lag_bytes },
    metrics,
    () => processor?.checkpoint ?? wal.tail,
  );
  intakeRef = intake;
  processor = new Processor({
    wal,
    store,
    metrics,
    log,
    registry,
    classifier: new Classifier(catalog),
    batchMaxEvents: config.store.batch_max_events,
    detect: (events) => detector.run(events),
    ...(forwarder.size ? { forward: (events, upTo) => forwarder.offer(events, upTo), retainFrom: () => forwarder.covered } : {}),
    onBatch: (_events, detected) => {
      intake.check();
      if (detected?.alerts.length) {
        for (const a of detected.alerts) metrics.alerts.inc({ tenant: a.tenant, change: a.created ? 'created' : 'updated' });
      }
      if (detected?.outbox.length) outbox?.kick();
    },
  });
  await processor.start();
  forwarder.start();
  outbox = new OutboxWorker(store, intake, config.alerting, log, metrics);
  outbox.start();

  const audit = new AuditLog(intake, log);
  const http = buildHttpServer({ tokens: tenants.tokens, audit, metrics, log, bodyLimit: config.http.body_limit_bytes });
  const inputDeps = { intake, metrics, log, tenantExists: (t: string) => tenants.get(t) !== undefined, parserExists: (id: string) => registry.has(id) };
  await registerHttpInputs(http, config, inputDeps);
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
  const silence = silencePolicy(config);
  await http.register(coverageRoutes, { store, tenants, catalog, silence });
  await http.register(outputRoutes, { outputs: () => forwarder.status() });
  await http.register(uiRoutes);
  await http.register(alertRoutes, {
    store,
    tenants,
    rules: () => ({
      rules: [
        ...rules.compiled.map((c) => ({ id: c.rule.id, title: c.rule.title, kind: 'rule' as const, level: c.rule.level, tags: c.rule.tags, logsource: c.rule.logsource, file: c.rule.file, builtin: rules.isBuiltin(c.rule.file) })),
        ...correlation.rules.map((c) => ({ id: c.id, title: c.title, kind: 'correlation' as const, level: c.level, tags: c.tags, file: c.file, builtin: rules.isBuiltin(c.file) })),
      ],
      errors: [...rules.problems, ...correlation.problems.map((p) => ({ ...p, kind: 'invalid' as const }))],
    }),
  });
  wal.on('durable', () => metrics.fsync.observe(wal.lastFsyncMs / 1000));

  const listeners = await startListeners(config, inputDeps);
  const { syslogPorts, listenerPorts } = listeners;

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
  const watch = new SilentSourceWatch(store, intake, silence, parseDuration(config.sources.check_interval)!, log);
  watch.start();
  log.info({ http: httpUrl, syslog: syslogPorts, shippers: listenerPorts, dataDir }, 'vigil is running');

  let stopped = false;
  return {
    config,
    dataDir,
    httpUrl,
    syslogPorts,
    listenerPorts,
    adminToken,
    processor,
    store,
    catalog,
    watch,
    outbox,
    wal,
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Each step logged at debug: a stop that hangs says where.
      const step = async (name: string, f: () => Promise<unknown>) => {
        log.debug({ step: name }, 'stopping');
        await f();
      };
      await step('listeners', () => listeners.stop());
      await step('http', () => http.close());
      await step('audit', () => audit.flush());
      await step('retention', () => retention.stop());
      await step('watch', () => watch.stop());
      await step('outbox', () => outbox.stop());
      await step('drain', () => processor.drained());
      await step('processor', () => processor.stop());
      await step('outputs', () => forwarder.stop());
      const state = detector.pendingState();
      if (state !== null) await store.exec('INSERT INTO detect_state VALUES ($1, json($2)) ON CONFLICT (name) DO UPDATE SET state = excluded.state', ['correlation', state]);
      await step('wal', () => wal.close());
      await step('store', () => store.close());
    },
  };
}

/**
 * The built-in catalogue plus the config's, checked against the fields parsers produce and against the
 * tenants' declarations: a `provides` or `not_applicable` id the catalogue lacks is a config error.
 */
function loadConfiguredCatalog(config: Config, configFile: string | undefined): Catalog {
  const file = configFile ?? 'the configuration';
  let catalog: Catalog;
  try {
    catalog = loadCatalog([...(config.catalog.builtin ? [BUILTIN_CATALOG_DIR] : []), ...config.catalog.paths], { knownFields: PRODUCED_FIELDS });
  } catch (err) {
    if (err instanceof CatalogError) throw new ConfigError(file, err.problems.map((problem) => ({ key: 'catalog', problem })));
    throw err;
  }
  const problems: { key: string; problem: string }[] = [];
  (config.tenants ?? []).forEach((t, i) => {
    t.provides.forEach((id, j) => {
      if (!catalog.get(id)) problems.push({ key: `tenants[${i}].provides[${j}]`, problem: `"${id}" is not a catalogue id` });
    });
    t.not_applicable.forEach((na, j) => {
      if (!catalog.get(na.id)) problems.push({ key: `tenants[${i}].not_applicable[${j}].id`, problem: `"${na.id}" is not a catalogue id` });
    });
    if (t.provides.length && t.kind !== 'platform') problems.push({ key: `tenants[${i}].provides`, problem: 'only a tenant of kind: platform provides coverage' });
  });
  if (problems.length) throw new ConfigError(file, problems);
  return catalog;
}

const OWN_META = () => ({ tenant: PLATFORM_TENANT, input: MONITOR_INPUT, codec: 'json' as const, received: Date.now() });

/** The platform's own alert that an output lost events (its backlog passed its disk limit). */
function droppedEvent(output: string, dropped: number, reason: string): EcsDoc {
  return {
    '@timestamp': new Date().toISOString(),
    event: { kind: 'alert', category: ['configuration'], type: ['info'], action: 'output-dropped', dataset: 'vigil.forward', severity: 4 },
    rule: { id: 'vigil-output-dropped', name: 'Output dropped undelivered events' },
    message: `output ${output} dropped ${dropped} undelivered events: ${reason}`,
    vigil: { output: { name: output, dropped } },
  };
}

function silencePolicy(config: Config): SilencePolicy {
  const s = config.sources;
  return {
    minSilenceMs: parseDuration(s.min_silence)!,
    factor: s.factor,
    defaultSilenceMs: parseDuration(s.default_silence)!,
    expect: s.expect.map((e) => ({ tenant: e.tenant, host: e.host, parser: e.parser, withinMs: parseDuration(e.within)! })),
  };
}
