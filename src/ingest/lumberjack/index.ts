// The Beats input (Filebeat, Winlogbeat, ... `output.logstash`): Lumberjack v2 over TCP/TLS, bound to
// one tenant. Each window is queued, and acknowledged with its last sequence number once fsync'd.
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { TcpShipperServer, type Batch, type Session } from '../tcp-shipper/server.js';
import { LumberjackReader, ackFrame } from './frames.js';
import { beatsRecord } from './event.js';

export const BEATS_INPUT = 'beats';

export interface BeatsOptions {
  listen: string;
  tenant: string;
  cert?: string;
  key?: string;
  ca?: string;
  /** Largest event payload or compressed frame (which may inflate to 4x this). */
  maxMessageBytes: number;
  /** Longest single record queued (a longer one is cut and flagged). */
  maxRecordBytes: number;
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** A window that waits this long for its fsync gets a keep-alive ACK 0 (and again after as long). */
  keepaliveMs?: number;
}

export function lumberjackSession(maxMessageBytes: number, maxRecordBytes: number): Session {
  const reader = new LumberjackReader(maxMessageBytes);
  return {
    keepalive: ackFrame(0),
    push(chunk: Buffer, emit: (batch: Batch) => void): void {
      reader.push(chunk, (w) => emit({ records: w.events.map((e) => beatsRecord(e, maxRecordBytes)), ack: ackFrame(w.lastSeq) }));
    },
  };
}

export function beatsServer(o: BeatsOptions, intake: Intake, metrics: Metrics, log: Logger): TcpShipperServer {
  return new TcpShipperServer(
    {
      ...o,
      input: BEATS_INPUT,
      session: () => lumberjackSession(o.maxMessageBytes, o.maxRecordBytes),
    },
    intake,
    metrics,
    log,
  );
}
