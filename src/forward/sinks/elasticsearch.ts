// The Elasticsearch / OpenSearch output: POST {url}/_bulk with a `create` action per event (data
// streams take only `create`), the ECS document as the source, @timestamp kept.
//
// The document id makes retries idempotent: after a lost answer the batch is sent again, and
// Elasticsearch answers 409 (version conflict) for each document it already has, which therefore
// counts as delivered. The id is a hash of the tenant, Vigil's event id, @timestamp and
// event.original, not the bare event id: event ids are positions in one Vigil's queue, so a second
// Vigil (or this one after its data directory was replaced) writing to the same index would reuse
// them, and a bare-id 409 would silently swallow a different event.
//
// Per-item results (asked with the filter_path Beats use, plus `error,status` so that a refused
// request keeps its reason): 2xx and 409 are delivered; 429 and 5xx are sent again (only those,
// `retryIds`); any other status (a mapping error, a closed index) is refused for good for that event
// (`failedIds`). The answers to the request itself are http-client.ts's.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { defineSink } from './types.js';
import { HttpClient, tlsNeedsHttps, tlsNeedsHttpsMessage, httpKeys, credentialHeader, passwordWithUsername } from './http-client.js';
import { sendInRuns, type Item } from './chunks.js';
import { jsonDocument, originalOf, text } from './event-fields.js';

const INDEX_RE = /^(?![-_+])(?:[a-z0-9._-]|\{tenant\})+$/;

const options = z
  .object({
    ...httpKeys,
    /** The index, data stream or alias; `{tenant}` is replaced by the event's tenant. */
    index: z
      .string()
      .regex(INDEX_RE, 'lowercase letters, digits, ".", "_", "-" and {tenant}; not starting with "-", "_" or "+"')
      .max(200)
      .default('vigil-{tenant}'),
    /** An ingest pipeline to run (the `pipeline` parameter). */
    pipeline: z.string().min(1).optional(),
    /** An API key: the encoded form Elasticsearch shows, or "id:key". */
    api_key: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** A bearer token (a service account token, an OAuth2 access token). */
    token: z.string().min(1).optional(),
  })
  .strict()
  .refine(tlsNeedsHttps, tlsNeedsHttpsMessage)
  .refine((o) => [o.api_key !== undefined, o.username !== undefined, o.token !== undefined].filter(Boolean).length <= 1, {
    message: 'use one of api_key, username/password and token',
  })
  .refine(...passwordWithUsername);

type Options = z.output<typeof options>;

/** The idempotent document id of an event (see the header). */
export function documentId(e: OutEvent): string {
  const h = createHash('sha256');
  h.update(`${e.tenant}\n${e.id}\n${text(e.doc, '@timestamp') ?? ''}\n`);
  h.update(originalOf(e.doc) ?? JSON.stringify(e.doc));
  return h.digest('base64url').slice(0, 22);
}

export function bulkLines(e: OutEvent, index: string): string {
  const action = { create: { _index: index.replaceAll('{tenant}', e.tenant), _id: documentId(e) } };
  return `${JSON.stringify(action)}\n${JSON.stringify(jsonDocument(e))}\n`;
}

function authorization(o: Options): string | undefined {
  if (o.api_key !== undefined) return `ApiKey ${o.api_key.includes(':') ? Buffer.from(o.api_key).toString('base64') : o.api_key}`;
  return credentialHeader(o);
}

interface BulkItemResult {
  status?: number;
  error?: { type?: string; reason?: string };
}

/** The result of each bulk item, in request order; null when the answer cannot be read that way. */
function itemResults(body: Buffer, n: number): { errors: boolean; items: BulkItemResult[] } | null {
  try {
    const r = JSON.parse(body.toString('utf8')) as { errors?: unknown; items?: unknown };
    if (r.errors === false) return { errors: false, items: [] };
    if (!Array.isArray(r.items) || r.items.length !== n) return null;
    return { errors: true, items: r.items.map((it) => (Object.values(it as object)[0] ?? {}) as BulkItemResult) };
  } catch {
    return null;
  }
}

const errorText = (body: Buffer): string => {
  try {
    const e = (JSON.parse(body.toString('utf8')) as { error?: { type?: string; reason?: string } | string }).error;
    if (typeof e === 'string') return e;
    if (e) return `${e.type ?? 'error'}: ${e.reason ?? ''}`;
  } catch {
    /* not JSON */
  }
  return body.toString('utf8');
};

class ElasticsearchSink implements Sink {
  private readonly http: HttpClient;
  private readonly headers: Record<string, string>;
  private readonly query: string;

  constructor(
    private readonly o: Options,
    private readonly name: string,
    private readonly log: Logger,
  ) {
    const u = new URL(o.url);
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/_bulk`;
    this.http = new HttpClient(o, name, log, u.toString());
    const auth = authorization(o);
    this.headers = { 'content-type': 'application/x-ndjson', ...(auth ? { authorization: auth } : {}) };
    this.query = `filter_path=errors,items.*.error,items.*.status,error,status${o.pipeline ? `&pipeline=${encodeURIComponent(o.pipeline)}` : ''}`;
  }

  async send(batch: OutEvent[]): Promise<void> {
    const items: Item<Buffer>[] = batch.map((e) => {
      const part = Buffer.from(bulkLines(e, this.o.index), 'utf8');
      return { id: e.id, part, bytes: part.length };
    });
    await sendInRuns(items, this.o.max_body_bytes, (run) => this.post(run));
  }

  private async post(run: Item<Buffer>[]): Promise<void> {
    const a = await this.http.post(Buffer.concat(run.map((it) => it.part)), this.headers, { query: this.query, maxAnswerBytes: 64 * 1024 * 1024 });
    const refused = this.http.answerError(a, errorText(a.body));
    if (refused) throw refused;
    const r = a.cut ? null : itemResults(a.body, run.length);
    if (!r) throw new SinkError(`POST ${this.http.where}: an answer without one result per document; sending again`);
    if (!r.errors) return;
    const retry: string[] = [];
    const failed: string[] = [];
    let sample: BulkItemResult | undefined;
    r.items.forEach((it, i) => {
      const status = it.status ?? 0;
      if ((status >= 200 && status < 300) || status === 409) return;
      if (status === 429 || status >= 500) retry.push(run[i]!.id);
      else {
        failed.push(run[i]!.id);
        sample ??= it;
      }
    });
    if (failed.length) {
      this.log.error({ output: this.name, refused: failed.length, status: sample?.status, error: sample?.error }, 'Elasticsearch refused documents for good (mapping or index errors)');
    }
    if (!retry.length && !failed.length) return;
    const why = failed.length ? `${sample?.status} ${sample?.error?.type ?? ''}: ${sample?.error?.reason ?? ''}` : 'rejected, retrying';
    throw new SinkError(`_bulk: ${retry.length} documents to send again, ${failed.length} refused (${why.trim()})`, { retryIds: retry, failedIds: failed });
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

export const elasticsearchSink = defineSink({
  type: 'elasticsearch',
  options,
  create: (o, ctx): Sink => new ElasticsearchSink(o, ctx.name, ctx.log),
});
