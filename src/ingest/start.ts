// Every input a config asks for, started in one place: the HTTP shipper routes on Vigil's server, and
// the socket listeners (syslog TCP/UDP/TLS, Fluent forward, Beats), each bound to its tenant.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Intake } from '../queue/intake.js';
import type { Metrics } from '../core/metrics.js';
import type { Logger } from '../core/log.js';
import { eventsRoute } from './http/events-route.js';
import { hecRoutes } from './hec/index.js';
import { lokiRoutes } from './loki/index.js';
import { otlpRoutes } from './otlp/index.js';
import { esRoutes } from './es/index.js';
import { defaultInflightBytes } from './inflight-budget.js';
import { SyslogStreamServer } from './syslog/stream-server.js';
import { SyslogUdpServer } from './syslog/udp-server.js';
import { fluentForwardServer } from './fluent-forward/index.js';
import { beatsServer } from './lumberjack/index.js';
import type { ShipperDeps } from './shipper-deps.js';

export interface InputDeps {
  intake: Intake;
  metrics: Metrics;
  log: Logger;
  tenantExists: (tenant: string) => boolean;
  /** For `?source=` on /api/v1/events. */
  parserExists: (id: string) => boolean;
}

/** Vigil's own /api/v1/events and the shipper protocols (Splunk HEC, Loki, OTLP, Elasticsearch). */
export async function registerHttpInputs(http: FastifyInstance, config: Config, d: InputDeps): Promise<void> {
  const shipper: ShipperDeps = { intake: d.intake, metrics: d.metrics, tenantExists: d.tenantExists, bodyLimit: config.http.body_limit_bytes, maxLineBytes: config.http.max_line_bytes };
  await http.register(eventsRoute, { ...shipper, parserExists: d.parserExists, maxInflightBytes: defaultInflightBytes(config.http.body_limit_bytes) });
  await http.register(hecRoutes, shipper);
  await http.register(lokiRoutes, shipper);
  await http.register(otlpRoutes, shipper);
  await http.register(esRoutes, shipper);
}

export interface Listeners {
  /** Bound ports of the syslog listeners, in config order. */
  syslogPorts: { protocol: string; port: number; tenant: string }[];
  /** Bound ports of the TCP shipper listeners (fluent_forward, beats), in config order. */
  listenerPorts: { input: 'fluent-forward' | 'beats'; port: number; tenant: string }[];
  stop(): Promise<void>;
}

type Tls = { cert?: string | undefined; key?: string | undefined; ca?: string | undefined };
const tlsOf = (l: Tls) => ({ ...(l.cert ? { cert: l.cert } : {}), ...(l.key ? { key: l.key } : {}), ...(l.ca ? { ca: l.ca } : {}) });

export async function startListeners(config: Config, d: InputDeps): Promise<Listeners> {
  const { intake, metrics, log } = d;
  const servers: { stop(): Promise<void> }[] = [];
  const syslogPorts: Listeners['syslogPorts'] = [];
  const listenerPorts: Listeners['listenerPorts'] = [];
  for (const l of config.syslog ?? []) {
    const server =
      l.protocol === 'udp'
        ? new SyslogUdpServer({ listen: l.listen, tenant: l.tenant, maxFrameBytes: l.max_frame_bytes }, intake, metrics, log)
        : new SyslogStreamServer({ protocol: l.protocol, listen: l.listen, tenant: l.tenant, maxFrameBytes: l.max_frame_bytes, ...tlsOf(l) }, intake, metrics, log);
    syslogPorts.push({ protocol: l.protocol, port: await server.start(), tenant: l.tenant });
    servers.push(server);
  }
  // Fluent forward and Beats (Lumberjack): each record is capped like an HTTP shipper's.
  for (const l of config.fluent_forward ?? []) {
    const o = { listen: l.listen, tenant: l.tenant, maxMessageBytes: l.max_message_bytes, maxRecordBytes: config.http.max_line_bytes, ...tlsOf(l) };
    const server = fluentForwardServer({ ...o, ...(l.shared_key ? { sharedKey: l.shared_key } : {}) }, intake, metrics, log);
    listenerPorts.push({ input: 'fluent-forward', port: await server.start(), tenant: l.tenant });
    servers.push(server);
  }
  for (const l of config.beats ?? []) {
    const server = beatsServer({ listen: l.listen, tenant: l.tenant, maxMessageBytes: l.max_message_bytes, maxRecordBytes: config.http.max_line_bytes, ...tlsOf(l) }, intake, metrics, log);
    listenerPorts.push({ input: 'beats', port: await server.start(), tenant: l.tenant });
    servers.push(server);
  }
  return { syslogPorts, listenerPorts, stop: async () => void (await Promise.all(servers.map((s) => s.stop()))) };
}
