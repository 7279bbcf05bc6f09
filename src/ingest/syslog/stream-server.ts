// Syslog over TCP and TLS (RFC 6587 / RFC 5425): one framer per connection, one WAL entry per read
// chunk. Back-pressure is TCP's own: while the queue is overloaded, or a connection's previous chunk is
// still being synced, the socket is paused and the sender's window closes.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { SyslogFramer, type Frame } from './framing.js';
import { splitHostPort } from '../listen.js';

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
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  readonly input: string;

  constructor(
    private readonly o: StreamListenerOptions,
    private readonly intake: Intake,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.input = `syslog-${o.protocol}`;
    const handler = (s: net.Socket) => this.onConnection(s);
    this.server =
      o.protocol === 'tls'
        ? tls.createServer(
            {
              cert: readFileSync(o.cert!),
              key: readFileSync(o.key!),
              ...(o.ca ? { ca: readFileSync(o.ca), requestCert: true, rejectUnauthorized: true } : {}),
              minVersion: 'TLSv1.2',
            },
            handler,
          )
        : net.createServer(handler);
    this.server.maxConnections = o.maxConnections ?? 4096;
    this.server.on('tlsClientError', (err) => this.log.debug({ err: err.message, input: this.input }, 'TLS handshake failed'));
  }

  async start(): Promise<number> {
    const { host, port } = splitHostPort(this.o.listen);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
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
      this.sockets.delete(socket);
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

  async stop(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.end();
    setTimeout(() => {
      for (const s of this.sockets) s.destroy();
    }, 2000).unref();
    await closed;
  }
}
