// The Grafana Loki output: POST /loki/api/v1/push, by default a snappy-compressed protobuf
// PushRequest (as Promtail and Alloy send it), or Loki's JSON; both bodies come from src/wire/loki-push.ts.
// A batch is grouped into streams by the configured label fields; each entry is event.original (or the
// document) at @timestamp in nanoseconds, in time order within its stream.
//
// Delivered means 2xx (Loki answers 204). 429 and 5xx are retried (after Retry-After when sent); a 400
// (too old, out of order, a line or label limit) is refused for good: Loki would refuse the same entries
// again. Loki drops an entry it already has (same stream, time and line), so a batch sent again after a
// lost answer is not stored twice.
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import type { OutEvent, Sink } from '../sink.js';
import { defineSink } from './types.js';
import { HttpClient, tlsNeedsHttps, tlsNeedsHttpsMessage, httpKeys, credentialKeys, credentialHeader, oneCredential, passwordWithUsername } from './http-client.js';
import { sendInRuns, type Item } from './chunks.js';
import { lineOf, timestampNs } from './event-fields.js';
import { encodeJsonPush, encodeProtobufPush, formatLabels } from '../../wire/loki-push.js';
import { labelsOf, streamsOf, type LokiPart } from './loki-streams.js';

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const options = z
  .object({
    ...httpKeys,
    /** `protobuf`: snappy-compressed PushRequest; `json`: Loki's JSON push body. */
    encoding: z.enum(['protobuf', 'json']).default('protobuf'),
    /** Each line: `original` is event.original (the document when there is none); `json` the document. */
    format: z.enum(['original', 'json']).default('original'),
    /** Fields that become stream labels; `tenant` is the event's tenant. */
    labels: z.array(z.string().min(1)).default(['tenant', 'event.dataset', 'host.name']),
    static_labels: z.record(z.string().regex(LABEL_NAME, 'a label name is letters, digits and "_", not starting with a digit'), z.string().min(1)).default({}),
    /** X-Scope-OrgID; `{tenant}` is replaced by the event's tenant. */
    org_id: z.string().min(1).optional(),
    ...credentialKeys,
  })
  .strict()
  .refine(tlsNeedsHttps, tlsNeedsHttpsMessage)
  .refine((o) => !(o.gzip && o.encoding === 'protobuf'), { message: 'protobuf bodies are snappy-compressed already; gzip is for encoding: json', path: ['gzip'] })
  .refine(...oneCredential)
  .refine(...passwordWithUsername);

type Options = z.output<typeof options>;

const PUSH_PATH = '/loki/api/v1/push';

export function lokiEndpoint(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  if (!path.endsWith(PUSH_PATH)) u.pathname = `${path}${PUSH_PATH}`;
  return u.toString();
}

class LokiSink implements Sink {
  private readonly http: HttpClient;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly o: Options,
    name: string,
    log: Logger,
  ) {
    this.http = new HttpClient(o, name, log, lokiEndpoint(o.url));
    const auth = credentialHeader(o);
    this.headers = {
      'content-type': o.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
      ...(auth ? { authorization: auth } : {}),
    };
  }

  async send(batch: OutEvent[]): Promise<void> {
    const perTenant = this.o.org_id?.includes('{tenant}') ?? false;
    const items: Item<LokiPart>[] = batch.map((e) => {
      const labels = labelsOf(e, this.o);
      const key = formatLabels(labels);
      const line = lineOf(e, this.o.format);
      // Its size in the body, rounded up: the line (escaped, in JSON), its time, its stream's labels.
      const bytes = Buffer.byteLength(this.o.encoding === 'json' ? JSON.stringify(line) : line) + key.length + 32;
      return { id: e.id, part: { tenant: e.tenant, key, labels, ns: timestampNs(e.doc), line }, bytes, ...(perTenant ? { group: e.tenant } : {}) };
    });
    await sendInRuns(items, this.o.max_body_bytes, async (run) => {
      const streams = streamsOf(run.map((it) => it.part));
      const body = this.o.encoding === 'protobuf' ? await encodeProtobufPush(streams) : encodeJsonPush(streams);
      const orgId = this.o.org_id?.replaceAll('{tenant}', run[0]!.part.tenant);
      const a = await this.http.post(body, orgId ? { ...this.headers, 'x-scope-orgid': orgId } : this.headers);
      const err = this.http.answerError(a);
      if (err) throw err;
    });
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

export const lokiSink = defineSink({
  type: 'loki',
  options,
  create: (o, ctx): Sink => new LokiSink(o, ctx.name, ctx.log),
});
