// The Splunk HTTP Event Collector output: POST /services/collector/event, concatenated JSON envelopes
//   {"time":1700000000.123,"host":"web01","source":"vigil","sourcetype":"_json","index":"main",
//    "event":{…ECS…} | "<event.original>","fields":{"tenant":"acme","vigil.id":"…","event.dataset":"…"}}
// with `Authorization: Splunk <token>`.
//
// Delivered means HTTP 200 with code 0. Vigil does not use indexer acknowledgement (polling
// /services/collector/ack): a token with ack enabled needs a `channel`, and its acks are not read.
// Answers (Splunk's codes):
//   9 (503, server busy), 8 (500), other 5xx, 429   retry, after Retry-After when sent
//   1-4 (401/403: token), 7 (incorrect index), 10/11 (channel)
//                                                   retry with back-off, logged as errors: an operator
//                                                   fixes the token or index and nothing is lost
//   5, 6, 12, 13, 15 (400: the data)                refused for good; with invalid-event-number, only
//                                                   that event, and the others are sent again at once
//   413                                             the batch is halved (chunks.ts)
import { z } from 'zod';
import type { EcsDoc } from '../../core/event.js';
import type { Logger } from '../../core/log.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { defineSink } from './types.js';
import { HttpClient, tlsNeedsHttps, tlsNeedsHttpsMessage, httpKeys, type HttpAnswer } from './http-client.js';
import { sendInRuns, type Item } from './chunks.js';
import { hostOf, jsonDocument, originalOf, text, timestampMs } from './event-fields.js';

const options = z
  .object({
    ...httpKeys,
    /** The HEC token (Authorization: Splunk <token>). */
    token: z.string().min(1),
    /** `json`: the event is the ECS document; `original`: event.original as a string. */
    format: z.enum(['json', 'original']).default('json'),
    source: z.string().min(1).default('vigil'),
    /** Default `_json` for JSON events; text events take the token's default when unset. */
    sourcetype: z.string().min(1).optional(),
    /** Default: the token's default index. */
    index: z.string().min(1).optional(),
    /** X-Splunk-Request-Channel, required by tokens that have indexer acknowledgement enabled. */
    channel: z.guid().optional(),
  })
  .strict()
  .refine(tlsNeedsHttps, tlsNeedsHttpsMessage);

type Options = z.output<typeof options>;

const EVENT_PATH = '/services/collector/event';

/** The event endpoint under the configured URL: a bare server URL gets Splunk's path appended. */
export function hecEndpoint(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith(EVENT_PATH)) return u.toString();
  u.pathname = path.endsWith('/services/collector') ? `${path}/event` : `${path}${EVENT_PATH}`;
  return u.toString();
}

export function hecEnvelope(e: OutEvent, o: Pick<Options, 'format' | 'source' | 'sourcetype' | 'index'>): Record<string, unknown> {
  const original = o.format === 'original' ? originalOf(e.doc) : undefined;
  const event: string | EcsDoc = original ?? jsonDocument(e);
  const sourcetype = o.sourcetype ?? (typeof event === 'string' ? undefined : '_json');
  const dataset = text(e.doc, 'event.dataset');
  const host = hostOf(e.doc);
  return {
    time: Math.round(timestampMs(e.doc)) / 1000,
    ...(host !== undefined ? { host } : {}),
    source: o.source,
    ...(sourcetype !== undefined ? { sourcetype } : {}),
    ...(o.index !== undefined ? { index: o.index } : {}),
    event,
    fields: { tenant: e.tenant, 'vigil.id': e.id, ...(dataset !== undefined ? { 'event.dataset': dataset } : {}) },
  };
}

interface HecReply {
  text?: string;
  code?: number;
  'invalid-event-number'?: number;
}

function reply(a: HttpAnswer): HecReply {
  try {
    const v = JSON.parse(a.body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as HecReply) : {};
  } catch {
    return {};
  }
}

const CONFIG_CODES = new Set([7, 10, 11]);

class HecSink implements Sink {
  private readonly http: HttpClient;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly o: Options,
    private readonly name: string,
    private readonly log: Logger,
  ) {
    this.http = new HttpClient(o, name, log, hecEndpoint(o.url));
    this.headers = {
      authorization: `Splunk ${o.token}`,
      'content-type': 'application/json',
      ...(o.channel ? { 'x-splunk-request-channel': o.channel } : {}),
    };
  }

  async send(batch: OutEvent[]): Promise<void> {
    const items: Item<Buffer>[] = batch.map((e) => {
      const part = Buffer.from(JSON.stringify(hecEnvelope(e, this.o)) + '\n', 'utf8');
      return { id: e.id, part, bytes: part.length };
    });
    await sendInRuns(items, this.o.max_body_bytes, (run) => this.post(run));
  }

  private async post(run: Item<Buffer>[]): Promise<void> {
    const a = await this.http.post(Buffer.concat(run.map((it) => it.part)), this.headers);
    const r = reply(a);
    if (a.status === 200 && (r.code === undefined || r.code === 0)) return;
    const said = r.text !== undefined ? `${r.text} (code ${r.code ?? '?'})` : a.body.toString('utf8');
    if (a.status === 400 && r.code !== undefined && CONFIG_CODES.has(r.code)) {
      this.log.error({ output: this.name, code: r.code, text: r.text }, 'Splunk refused the index or channel; retrying until an operator fixes the config');
      throw new SinkError(`POST ${this.http.where} answered 400: ${said}`);
    }
    const bad = r['invalid-event-number'];
    if (a.status === 400 && Number.isInteger(bad) && bad! >= 0 && bad! < run.length && run.length > 1) {
      // Splunk names the event it could not take: that one is refused for good, the others go again.
      const refused = run[bad!]!.id;
      throw new SinkError(`Splunk refused event ${refused}: ${said}`, { retryAfterMs: 0, retryIds: run.filter((it) => it.id !== refused).map((it) => it.id), failedIds: [refused] });
    }
    throw this.http.answerError(a, said) ?? new SinkError(`Splunk answered ${a.status}: ${said}`);
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

export const hecSink = defineSink({
  type: 'hec',
  options,
  create: (o, ctx): Sink => new HecSink(o, ctx.name, ctx.log),
});
