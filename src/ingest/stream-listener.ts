// The listening half every TCP/TLS input shares (syslog, Fluent forward, Beats): a plain or TLS server
// (TLS 1.2+, client certificates required when a CA is given), a connection cap, its open sockets, and
// a stop that ends them gently, then for good after 2 s. What a connection's bytes mean is the input's.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Logger } from '../core/log.js';
import { splitHostPort } from './listen.js';

export interface ListenerOptions {
  input: string;
  listen: string;
  /** TLS when both are given. */
  cert?: string | undefined;
  key?: string | undefined;
  /** Client certificates signed by this CA are required. */
  ca?: string | undefined;
  maxConnections?: number | undefined;
}

export class StreamListener {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly listen: string;

  constructor(o: ListenerOptions, onConnection: (socket: net.Socket) => void, log: Logger) {
    const handler = (s: net.Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      onConnection(s);
    };
    this.server =
      o.cert && o.key
        ? tls.createServer(
            {
              cert: readFileSync(o.cert),
              key: readFileSync(o.key),
              ...(o.ca ? { ca: readFileSync(o.ca), requestCert: true, rejectUnauthorized: true } : {}),
              minVersion: 'TLSv1.2',
            },
            handler,
          )
        : net.createServer(handler);
    this.server.maxConnections = o.maxConnections ?? 4096;
    this.server.on('tlsClientError', (err) => log.debug({ err: err.message, input: o.input }, 'TLS handshake failed'));
    this.listen = o.listen;
  }

  /** Binds; resolves with the bound port (the config may say 0). */
  async start(): Promise<number> {
    const { host, port } = splitHostPort(this.listen);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as net.AddressInfo).port;
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
