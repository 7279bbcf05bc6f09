// The Fluent forward input (fluentd and Fluent Bit `forward` output, Docker's fluentd log driver, the
// fluent-logger libraries): a TCP/TLS listener bound to one tenant, each connection a ForwardSession.
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { TcpShipperServer } from '../tcp-shipper/server.js';
import { ForwardSession } from './session.js';

export const FLUENT_FORWARD_INPUT = 'fluent-forward';

export interface FluentForwardOptions {
  listen: string;
  tenant: string;
  sharedKey?: string;
  cert?: string;
  key?: string;
  ca?: string;
  maxMessageBytes: number;
  maxRecordBytes: number;
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** server_hostname in PONG; default os.hostname(). */
  hostname?: string;
}

export function fluentForwardServer(o: FluentForwardOptions, intake: Intake, metrics: Metrics, log: Logger): TcpShipperServer {
  return new TcpShipperServer(
    {
      ...o,
      input: FLUENT_FORWARD_INPUT,
      session: (write, peer) =>
        new ForwardSession(
          {
            maxMessageBytes: o.maxMessageBytes,
            maxRecordBytes: o.maxRecordBytes,
            ...(o.sharedKey ? { sharedKey: o.sharedKey } : {}),
            ...(o.hostname ? { hostname: o.hostname } : {}),
            onIgnored: (what, count) => {
              metrics.dropped.inc({ input: FLUENT_FORWARD_INPUT, reason: `not_logs` }, count);
              log.warn({ input: FLUENT_FORWARD_INPUT, peer, what, count }, 'forward message of metrics or traces acknowledged and not stored (Vigil takes logs)');
            },
          },
          write,
        ),
    },
    intake,
    metrics,
    log,
  );
}

export { ForwardSession } from './session.js';
export { EventTime } from './record.js';
