// The syslog output: RFC 5424 messages (syslog-format.ts) over TCP with RFC 6587 octet counting, over
// TLS (RFC 5425, the same framing), or over UDP (RFC 5426, one datagram per event).
//
// What "delivered" means here is weaker than for the HTTP outputs, and cannot be otherwise: syslog has
// no application-level acknowledgement. Over TCP and TLS a send resolves once the whole batch was
// written to the socket and flushed to the kernel (the write callback); a peer that dies right then
// loses what sat in the socket buffers, and the forward stage cannot know. Over UDP a send resolves
// once each datagram left; nothing says it arrived.
//
// One persistent connection per output. Any error or close drops it, the send fails (the forward
// stage retries the batch with back-off), and the next send connects again.
import net from 'node:net';
import tls from 'node:tls';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { defineSink } from './types.js';
import { rfc5424 } from './syslog-format.js';
import { octetCounted } from '../../wire/syslog.js';
import { cutUtf8 } from '../../core/utf8.js';
import { tlsConnectionOptions, tlsSchema } from './tls-options.js';

const URL_RE = /^(tcp|tls|udp):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

const options = z
  .object({
    url: z.string().regex(URL_RE, 'expected tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT'),
    /** MSG: `original` is event.original, the bytes as received; `json` is the ECS document. */
    format: z.enum(['original', 'json']).default('original'),
    tls: tlsSchema.optional(),
    /** Deadline for connecting, and for writing one batch. */
    timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
    /** UDP: a longer message is cut to this many bytes (at a UTF-8 character boundary). */
    max_datagram_bytes: z.number().int().min(480).max(65_507).default(8192),
  })
  .strict()
  .refine((o) => !o.tls || o.url.startsWith('tls://'), { message: 'tls settings need a tls:// url', path: ['tls'] });

type Options = z.output<typeof options>;

interface Target {
  protocol: 'tcp' | 'tls' | 'udp';
  host: string;
  port: number;
}

function target(url: string): Target {
  const m = URL_RE.exec(url)!;
  return { protocol: m[1] as Target['protocol'], host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

/** TCP or TLS: one connection, every batch written as one buffer of octet-counted frames. */
class StreamSyslog implements Sink {
  private sock: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private readonly tlsOptions: tls.ConnectionOptions;

  constructor(
    private readonly t: Target,
    private readonly o: Options,
    name: string,
  ) {
    this.tlsOptions = t.protocol === 'tls' ? tlsConnectionOptions(o.tls, name) : {};
  }

  async send(batch: OutEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const frames = Buffer.concat(batch.map((e) => octetCounted(rfc5424(e, this.o.format))));
    const sock = await this.connect();
    await this.write(sock, frames);
  }

  private where(): string {
    return `${this.t.protocol}://${net.isIPv6(this.t.host) ? `[${this.t.host}]` : this.t.host}:${this.t.port}`;
  }

  private connect(): Promise<net.Socket> {
    if (this.sock && !this.sock.destroyed && this.sock.writable) return Promise.resolve(this.sock);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const { host, port } = this.t;
      const ready = this.t.protocol === 'tls' ? 'secureConnect' : 'connect';
      const sock =
        this.t.protocol === 'tls'
          ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...this.tlsOptions })
          : net.connect({ host, port });
      const timer = setTimeout(() => sock.destroy(new Error(`could not connect within ${this.o.timeout_ms} ms`)), this.o.timeout_ms);
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.connecting = null;
        reject(new SinkError(`syslog ${this.where()}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      };
      sock.once('error', fail);
      sock.once(ready, () => {
        clearTimeout(timer);
        sock.off('error', fail);
        sock.setKeepAlive(true, 30_000);
        sock.setNoDelay(true);
        // Nothing is expected back; reading keeps a chatty peer from filling our receive buffer.
        sock.resume();
        // Errors after this point end the connection; the next send opens a new one.
        sock.on('error', () => sock.destroy());
        sock.once('close', () => {
          if (this.sock === sock) this.sock = null;
        });
        this.sock = sock;
        this.connecting = null;
        resolve(sock);
      });
    });
    return this.connecting;
  }

  private write(sock: net.Socket, data: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        sock.off('close', onClose);
        if (!err) return resolve();
        sock.destroy();
        reject(new SinkError(`syslog ${this.where()}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      };
      const onClose = () => finish(new Error('connection closed before the batch was written'));
      // The peer stopped reading: the kernel buffers filled and the write never completes.
      const timer = setTimeout(() => finish(new Error(`batch not written within ${this.o.timeout_ms} ms`)), this.o.timeout_ms);
      sock.once('close', onClose);
      sock.write(data, finish);
    });
  }

  async close(): Promise<void> {
    const sock = this.sock;
    this.sock = null;
    if (!sock || sock.destroyed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => sock.destroy(), 2000);
      sock.end(() => {
        clearTimeout(t);
        sock.destroy();
        resolve();
      });
      sock.once('close', () => resolve());
    });
  }
}

/** UDP: one datagram per event, cut to max_datagram_bytes. */
class DatagramSyslog implements Sink {
  private sock: dgram.Socket | null = null;
  private type: 'udp4' | 'udp6' = 'udp4';

  constructor(
    private readonly t: Target,
    private readonly o: Options,
    private readonly name: string,
    private readonly log: Logger,
  ) {}

  async send(batch: OutEvent[]): Promise<void> {
    // A name is looked up once per batch, not once per datagram.
    const { address, family } = net.isIP(this.t.host)
      ? { address: this.t.host, family: net.isIP(this.t.host) }
      : await lookup(this.t.host).catch((err: NodeJS.ErrnoException) => {
          throw new SinkError(`syslog udp://${this.t.host}:${this.t.port}: ${err.code ?? err.message}`);
        });
    const type = family === 6 ? 'udp6' : 'udp4';
    if (this.sock && this.type !== type) await this.close();
    this.sock ??= dgram.createSocket(type).on('error', () => undefined);
    this.type = type;
    const sock = this.sock;
    let cut = 0;
    for (const e of batch) {
      let msg = rfc5424(e, this.o.format);
      if (msg.length > this.o.max_datagram_bytes) {
        msg = cutUtf8(msg, this.o.max_datagram_bytes);
        cut++;
      }
      await new Promise<void>((resolve, reject) =>
        sock.send(msg, this.t.port, address, (err) => (err ? reject(new SinkError(`syslog udp://${this.t.host}:${this.t.port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`)) : resolve())),
      );
    }
    if (cut) this.log.warn({ output: this.name, events: cut, max_bytes: this.o.max_datagram_bytes }, 'syslog output cut messages longer than max_datagram_bytes');
  }

  async close(): Promise<void> {
    const sock = this.sock;
    this.sock = null;
    if (sock) await new Promise<void>((r) => sock.close(() => r()));
  }
}

export const syslogSink = defineSink({
  type: 'syslog',
  options,
  create(o, ctx): Sink {
    const t = target(o.url);
    return t.protocol === 'udp' ? new DatagramSyslog(t, o, ctx.name, ctx.log) : new StreamSyslog(t, o, ctx.name);
  },
});
