// Sending one notification: an HTTP POST, a syslog line over TCP (octet counting), TLS or UDP, or an
// email over SMTP (nodemailer). Each send has a deadline, so a dead destination costs its own retries
// and never holds up another destination or ingest. A failure says whether and when to retry.
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { octetCounted } from '../../wire/syslog.js';
import { parseRetryAfter } from '../../core/retry-after.js';

export class SendError extends Error {
  constructor(
    message: string,
    /** Milliseconds the destination asked to wait (Retry-After), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 5_000;

export async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new SendError(`POST ${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return;
  const wait = parseRetryAfter(res.headers.get('retry-after'));
  throw new SendError(`POST ${url}: HTTP ${res.status}`, wait !== undefined && wait > 0 ? wait : undefined);
}

/** One syslog message; TCP and TLS frame it with RFC 6587 octet counting. */
export async function sendSyslog(url: string, line: string, ca?: string): Promise<void> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port);
  if (u.protocol === 'udp:') {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => sock.send(Buffer.from(line), port, host, (err) => (err ? reject(new SendError(`udp ${url}: ${err.message}`)) : resolve())));
    } finally {
      sock.close();
    }
    return;
  }
  const framed = octetCounted(Buffer.from(line));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      sock.destroy();
      reject(new SendError(`${u.protocol}//${u.host}: ${err.message}`));
    };
    const sock =
      u.protocol === 'tls:'
        ? tlsConnect({ host, port, servername: host, ...(ca ? { ca: readFileSync(ca) } : {}) }, () => sock.end(framed, () => resolve()))
        : tcpConnect({ host, port }, () => sock.end(framed, () => resolve()));
    sock.setTimeout(TIMEOUT_MS, () => onError(new Error('timed out')));
    sock.once('error', onError);
  });
}

export async function sendEmail(url: string, from: string, to: string[], subject: string, text: string): Promise<void> {
  const u = new URL(url);
  const transport = createTransport({
    host: u.hostname,
    port: Number(u.port) || (u.protocol === 'smtps:' ? 465 : 25),
    secure: u.protocol === 'smtps:',
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from, to, subject, text });
  } catch (err) {
    throw new SendError(`smtp ${new URL(url).host}: ${(err as Error).message}`);
  } finally {
    transport.close();
  }
}
