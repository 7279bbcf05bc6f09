// Syslog over TCP and TLS (RFC 6587 / RFC 5425): one framer per connection, one WAL entry per read
// chunk. Back-pressure is TCP's own: while the queue is overloaded, or a connection's previous chunk is
// still being synced, the socket is paused and the sender's window closes.
import net from 'node:net';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { SyslogFramer, type Frame } from './framing.js';
import { StreamListener } from '../stream-listener.js';

export interface StreamListenerOptions {
  protocol: 'tcp' | 'tls';
  listen: string;
  tenant: string;
  maxFrameBytes: number;
  cert?: string;
  key?: string;
  ca?: string;
  /** Idle connections (no bytes for this long) are closed: slowloris senders cannot hold sockets. */
  idleTimeoutMs?: number;
  maxConnections?: number;
}

export class SyslogStreamServer {
  private readonly listener: StreamListener;
  readonly input: string;

  constructor(
    private readonly o: StreamListenerOptions,
    private readonly intake: Intake,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.input = `syslog-${o.protocol}`;
    const tlsFiles = o.protocol === 'tls' ? { cert: o.cert, key: o.key, ca: o.ca } : {};
    this.listener = new StreamListener({ input: this.input, listen: o.listen, maxConnections: o.maxConnections, ...tlsFiles }, (s) => this.onConnection(s), log);
  }

  start(): Promise<number> {
    return this.listener.start();
  }

  private onConnection(socket: net.Socket): void {
    const framer = new SyslogFramer({ maxFrameBytes: this.o.maxFrameBytes });
    const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`;
    const meta = { tenant: this.o.tenant, input: this.input, codec: 'syslog' as const, peer };
    let inflight = 0;
    socket.setTimeout(this.o.idleTimeoutMs ?? 10 * 60_000);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => undefined); // resets and aborts are normal; the close handler cleans up
    socket.on('close', () => {
      const rest = framer.end();
      if (rest.length) void this.submit(meta, rest);
    });
    socket.on('data', (chunk: Buffer) => {
      const frames = framer.push(chunk);
      if (frames.length === 0) return;
      inflight++;
      if (inflight > 4 || this.intake.overloaded()) socket.pause();
      void this.submit(meta, frames).finally(() => {
        inflight--;
        if (socket.isPaused() && inflight <= 4 && !socket.destroyed) {
          if (this.intake.overloaded()) void this.intake.whenRelieved().then(() => socket.resume());
          else socket.resume();
        }
      });
    });
  }

  private async submit(meta: { tenant: string; input: string; codec: 'syslog'; peer: string }, frames: Frame[]): Promise<void> {
    const received = Date.now();
    // Truncated frames go in an entry of their own, flagged, so the stored event says it was cut.
    const whole = frames.filter((f) => !f.truncated).map((f) => f.data);
    const cut = frames.filter((f) => f.truncated).map((f) => f.data);
    try {
      await Promise.all([
        this.intake.submit({ ...meta, received }, whole),
        this.intake.submit({ ...meta, received, truncated: true }, cut),
      ]);
    } catch (err) {
      this.metrics.dropped.inc({ input: this.input, reason: 'queue_error' }, frames.length);
      this.log.error({ err, input: this.input }, 'could not queue syslog frames');
    }
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }
}
