// The socket side shared by the TCP shipper protocols (Fluent forward, Beats/Lumberjack): one listener
// bound to a tenant, TLS when a cert and key are given, idle timeout and connection cap as the syslog
// listener has. A protocol is a Session that turns bytes into batches; this file queues each batch and
// writes its acknowledgement only once the WAL has fsync'd it, in the order the batches arrived.
// Back-pressure is TCP's own: while the queue is overloaded, or too many batches of one connection wait
// for their fsync, the socket is paused and the sender's window closes.
import net from 'node:net';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { StreamListener } from '../stream-listener.js';
import { submitRecords, type IngestRecord } from '../records.js';

/** What a protocol hands back for each complete request: its records and the bytes that acknowledge it. */
export interface Batch {
  records: IngestRecord[];
  /** Written once every record is durable; null when the sender asked for no acknowledgement. */
  ack: Buffer | null;
}

export interface Session {
  /**
   * Bytes in; each complete batch is handed to `emit` as soon as it is read. Throws (any error) on a
   * stream that breaks the protocol; the batches emitted before the fault still count.
   */
  push(chunk: Buffer, emit: (batch: Batch) => void): void;
  /** Written every keepaliveMs while a batch waits for its fsync (Lumberjack's zero ACK). */
  readonly keepalive?: Buffer;
}

/** A protocol refusal with the reason counted in vigil_requests_rejected_total. */
export class ProtocolError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TcpShipperOptions {
  /** The input name stored with each event (vigil.input) and used in metrics. */
  input: string;
  listen: string;
  tenant: string;
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
  /** Idle connections (no bytes either way for this long) are closed. */
  idleTimeoutMs?: number | undefined;
  maxConnections?: number | undefined;
  keepaliveMs?: number | undefined;
  /** A fresh protocol state for each connection; `write` sends bytes to that peer at once (handshakes). */
  session: (write: (b: Buffer) => void, peer: string) => Session;
}

const MAX_INFLIGHT = 4;

export class TcpShipperServer {
  private readonly listener: StreamListener;

  constructor(
    private readonly o: TcpShipperOptions,
    private readonly intake: Intake,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.listener = new StreamListener(o, (s) => this.onConnection(s), log);
  }

  get input(): string {
    return this.o.input;
  }

  start(): Promise<number> {
    return this.listener.start();
  }

  private onConnection(socket: net.Socket): void {
    const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
    const write = (b: Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(b);
    };
    let session: Session;
    try {
      session = this.o.session(write, peer);
    } catch (err) {
      this.log.error({ err, input: this.o.input }, 'could not start a session');
      socket.destroy();
      return;
    }
    // Acks leave in arrival order: each waits for its own fsync and for the ack before it.
    let acks: Promise<void> = Promise.resolve();
    let inflight = 0;
    // Since when the oldest unacknowledged batch has had no word from us (for keep-alives).
    let waitingSince = 0;
    let closing = false;
    const keepaliveMs = this.o.keepaliveMs ?? 5000;
    const keepalive = session.keepalive
      ? setInterval(() => {
          if (inflight > 0 && Date.now() - waitingSince >= keepaliveMs) {
            write(session.keepalive!);
            waitingSince = Date.now();
          }
        }, Math.max(10, keepaliveMs / 4))
      : null;
    keepalive?.unref();

    socket.setTimeout(this.o.idleTimeoutMs ?? 10 * 60_000);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => undefined); // resets and aborts are normal; the close handler cleans up
    socket.on('close', () => {
      if (keepalive) clearInterval(keepalive);
    });

    const refuse = (err: unknown) => {
      closing = true;
      socket.pause();
      const reason = err instanceof ProtocolError ? err.reason : 'malformed';
      this.metrics.rejected.inc({ input: this.o.input, reason });
      this.log.warn({ input: this.o.input, peer, reason, err: (err as Error).message }, 'closing a connection that broke the protocol');
      // What came before the fault is acknowledged; then the connection ends (a PONG refusal is flushed).
      void acks.finally(() => {
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      });
    };

    // Reading resumes once this connection's fsyncs have caught up and the queue is no longer overloaded.
    let waitingForRelief = false;
    const maybeResume = () => {
      if (!socket.isPaused() || closing || socket.destroyed || inflight > MAX_INFLIGHT || waitingForRelief) return;
      if (!this.intake.overloaded()) {
        socket.resume();
        return;
      }
      waitingForRelief = true;
      void this.intake.whenRelieved().then(() => {
        waitingForRelief = false;
        maybeResume();
      });
    };

    const queue = (batch: Batch) => {
      if (inflight++ === 0) waitingSince = Date.now();
      const durable = this.submit(batch.records, peer);
      durable.catch(() => undefined); // handled in its turn below, not as an unhandled rejection now
      acks = acks.then(async () => {
        try {
          await durable;
        } catch (err) {
          // Never acknowledged: the sender keeps the batch and sends it again on a new connection.
          this.metrics.dropped.inc({ input: this.o.input, reason: 'queue_error' }, batch.records.length);
          this.log.error({ err, input: this.o.input }, 'could not queue a batch; closing the connection unacknowledged');
          closing = true;
          socket.destroy();
          return;
        } finally {
          inflight--;
        }
        if (batch.ack) write(batch.ack);
        waitingSince = Date.now();
        maybeResume();
      });
    };

    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      const before = inflight;
      try {
        session.push(chunk, queue);
      } catch (err) {
        refuse(err);
        return;
      }
      if (inflight > before && (inflight > MAX_INFLIGHT || this.intake.overloaded())) {
        socket.pause();
        maybeResume();
      }
    });
  }

  /** Queues a batch in order; resolves once fsync'd. */
  private submit(records: IngestRecord[], peer: string): Promise<void> {
    return submitRecords(this.intake, { tenant: this.o.tenant, input: this.o.input, received: Date.now(), peer }, records);
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }
}
