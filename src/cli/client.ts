// The CLI's HTTP client for a running server: --server/VIGIL_URL, --token/VIGIL_TOKEN or the local
// data dir's admin.token. Errors from the server are shown as its JSON error message.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientOptions {
  server?: string;
  token?: string;
  dataDir?: string;
}

export class CliError extends Error {}

export class Client {
  readonly server: string;
  private readonly token: string;

  constructor(o: ClientOptions) {
    this.server = (o.server ?? process.env.VIGIL_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
    const token = o.token ?? process.env.VIGIL_TOKEN ?? readLocalToken(o.dataDir ?? process.env.VIGIL_DATA_DIR ?? './data');
    if (!token) {
      throw new CliError('no token: pass --token, set VIGIL_TOKEN, or run where ./data/admin.token exists');
    }
    this.token = token;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.token}`, ...headers } };
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) init.body = body as RequestInit['body'];
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    try {
      return await fetch(this.server + path, init);
    } catch (err) {
      throw new CliError(`cannot reach ${this.server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
  }

  /** Sends a request and returns its JSON, or throws a CliError with the server's message. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const e = (parsed as { error?: { message?: string; position?: number } } | null)?.error;
      throw new CliError(`${res.status}: ${e?.message ?? text}`);
    }
    return parsed as T;
  }
}

function readLocalToken(dataDir: string): string | undefined {
  const p = join(dataDir, 'admin.token');
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined;
}
