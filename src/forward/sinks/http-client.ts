// The HTTP transport of the HTTP sinks (HEC, Elasticsearch, Loki, NDJSON): their shared config keys,
// one keep-alive connection pool per output, a deadline per request, optional gzip, and the meaning of
// an HTTP answer in SinkError terms.
//
// Why node:http and not the global fetch: fetch (undici) takes a custom CA or a client certificate
// only through an undici Agent, and the undici package is not a dependency; node:https takes them
// per agent. The deadline is still an AbortSignal.
//
// Statuses, the same for every HTTP sink unless the sink reads the body first:
//   2xx                    taken
//   429, 503               retry, after Retry-After when the peer sent one
//   408, other 5xx         retry with back-off
//   401, 403, 404, 407     retry with back-off, logged as errors: a wrong token or URL is fixed by an
//                          operator, and dropping the events meanwhile would lose them for nothing
//   413                    too large: the batch is halved (see chunks.ts)
//   other 4xx              refused for good (the peer says retrying the same request cannot help)
import http from 'node:http';
import https from 'node:https';
import { gzip as gzipCb } from 'node:zlib';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import { SinkError } from '../sink.js';
import { TooLargeError } from './chunks.js';
import { tlsConnectionOptions, tlsSchema, type TlsSettings } from './tls-options.js';
import { parseRetryAfter } from '../../core/retry-after.js';

const gzip = promisify(gzipCb);

export const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');

/** The keys every HTTP sink has (spread into its own strict schema). */
export const httpKeys = {
  url: httpUrl,
  /** Extra request headers (a proxy's, a gateway's); the sink's own (auth, content type) win. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name'), z.string()).default({}),
  tls: tlsSchema.optional(),
  /** Deadline of one request, connection included. */
  timeout_ms: z.number().int().min(100).max(600_000).default(10_000),
  /** Compress request bodies (Content-Encoding: gzip). */
  gzip: z.boolean().default(false),
  /** A batch is sent as several requests of at most this many (uncompressed) bytes. */
  max_body_bytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
};

/** Every HTTP sink's schema refines with this: TLS settings on an http:// URL would be ignored. */
export const tlsNeedsHttps = (o: { url: string; tls?: unknown }) => !o.tls || !URL.canParse(o.url) || new URL(o.url).protocol === 'https:';
export const tlsNeedsHttpsMessage = { message: 'tls settings need an https:// url', path: ['tls'] };

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body was longer than the sink wanted to read; `body` is its start. */
  cut: boolean;
}

export interface HttpClientOptions {
  url: string;
  headers: Record<string, string>;
  tls?: TlsSettings | undefined;
  timeout_ms: number;
  gzip: boolean;
}


export class HttpClient {
  readonly url: URL;
  private readonly agent: http.Agent;
  /** The URL without its query, as messages name the peer. */
  readonly where: string;

  constructor(
    private readonly o: HttpClientOptions,
    private readonly output: string,
    private readonly log: Logger,
    url: string = o.url,
  ) {
    this.url = new URL(url);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 4, ...tlsConnectionOptions(o.tls, output) }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
    this.where = `${this.url.origin}${this.url.pathname}`;
  }

  /** POSTs `body`; resolves with any answer, throws a retryable SinkError when there was none. */
  async post(body: Buffer, headers: Record<string, string>, opts: { query?: string; maxAnswerBytes?: number } = {}): Promise<HttpAnswer> {
    const payload = this.o.gzip ? await gzip(body) : body;
    const all: Record<string, string> = {
      ...this.o.headers,
      ...headers,
      'content-length': String(payload.length),
      ...(this.o.gzip ? { 'content-encoding': 'gzip' } : {}),
    };
    const target = new URL(this.url);
    if (opts.query) target.search = (target.search ? target.search + '&' : '?') + opts.query;
    const request = this.url.protocol === 'https:' ? https.request : http.request;
    const max = opts.maxAnswerBytes ?? 1024 * 1024;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(target, { method: 'POST', agent: this.agent, headers: all, signal: AbortSignal.timeout(this.o.timeout_ms) }, (res) => {
        const parts: Buffer[] = [];
        let size = 0;
        let cut = false;
        res.on('data', (d: Buffer) => {
          if (size >= max) return void (cut = true);
          parts.push(d);
          size += d.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).subarray(0, max), cut: cut || size > max }));
        res.on('error', (err) => reject(this.noAnswer(err)));
      });
      req.on('error', (err) => reject(this.noAnswer(err)));
      req.end(payload);
    });
  }

  private noAnswer(err: Error): SinkError {
    const cause = err.cause as Error | undefined;
    const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError' || cause?.name === 'TimeoutError';
    const why = timedOut ? `no answer within ${this.o.timeout_ms} ms` : ((err as NodeJS.ErrnoException).code ?? err.message);
    return new SinkError(`POST ${this.where}: ${why}`);
  }

  /**
   * What a non-2xx answer means (null for 2xx). `text` is what to quote from the body; sinks that
   * know their peer's error shape pass a better one.
   */
  answerError(a: HttpAnswer, text = a.body.toString('utf8')): SinkError | null {
    if (a.status >= 200 && a.status < 300) return null;
    const quote = text.replace(/\s+/g, ' ').trim().slice(0, 300);
    const msg = `POST ${this.where} answered ${a.status}${quote ? `: ${quote}` : ''}`;
    const retryAfterMs = parseRetryAfter(a.headers['retry-after']);
    const after = retryAfterMs !== undefined ? { retryAfterMs } : {};
    if (a.status === 413) return new TooLargeError(msg);
    if (a.status === 429 || a.status === 408 || a.status >= 500) return new SinkError(msg, after);
    if ([401, 403, 404, 407].includes(a.status)) {
      this.log.error({ output: this.output, status: a.status, url: this.where }, 'output peer refused the credentials or the URL; retrying until an operator fixes the config');
      return new SinkError(msg, after);
    }
    return new SinkError(msg, { permanent: true });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Authorization for Basic credentials. */
export const basicAuth = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The credential keys of a peer that takes a bearer token or a user name and password (spread in). */
export const credentialKeys = {
  /** Authorization: Bearer <token>. */
  token: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
};

interface Credentials {
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** Refinements for credentialKeys: one kind at a time, and a user name with its password. */
type Refinement = [check: (o: Credentials) => boolean, params: { message: string; path?: string[] }];
export const oneCredential: Refinement = [(o) => !(o.token !== undefined && o.username !== undefined), { message: 'use either token or username/password' }];
export const passwordWithUsername: Refinement = [(o) => (o.username === undefined) === (o.password === undefined), { message: 'username and password go together', path: ['password'] }];

/** The Authorization header for a bearer token or a user name and password; none without either. */
export function credentialHeader(o: Credentials): string | undefined {
  if (o.username !== undefined) return basicAuth(o.username, o.password ?? '');
  if (o.token !== undefined) return `Bearer ${o.token}`;
  return undefined;
}
