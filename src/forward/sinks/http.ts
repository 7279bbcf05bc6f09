// The generic HTTP output: POST NDJSON, one ECS document per line (with vigil.tenant and vigil.id),
// `Content-Type: application/x-ndjson`, for a collector, a data-lake gateway or a custom receiver.
// Delivered means any 2xx; the other answers are http-client.ts's (429/503 after Retry-After, other
// 5xx with back-off, auth and URL errors retried until fixed, other 4xx refused for good, 413 halves).
import { z } from 'zod';
import type { OutEvent, Sink } from '../sink.js';
import { defineSink } from './types.js';
import { HttpClient, tlsNeedsHttps, tlsNeedsHttpsMessage, httpKeys, credentialKeys, credentialHeader, oneCredential, passwordWithUsername } from './http-client.js';
import { sendInRuns, type Item } from './chunks.js';
import { jsonDocument } from './event-fields.js';

const options = z
  .object({
    ...httpKeys,
    ...credentialKeys,
  })
  .strict()
  .refine(tlsNeedsHttps, tlsNeedsHttpsMessage)
  .refine(...oneCredential)
  .refine(...passwordWithUsername);

export const httpSink = defineSink({
  type: 'http',
  options,
  create(o, ctx): Sink {
    const http = new HttpClient(o, ctx.name, ctx.log);
    const auth = credentialHeader(o);
    const headers = { 'content-type': 'application/x-ndjson', ...(auth ? { authorization: auth } : {}) };
    return {
      async send(batch: OutEvent[]) {
        const items: Item<Buffer>[] = batch.map((e) => {
          const part = Buffer.from(JSON.stringify(jsonDocument(e)) + '\n', 'utf8');
          return { id: e.id, part, bytes: part.length };
        });
        await sendInRuns(items, o.max_body_bytes, async (run) => {
          const a = await http.post(Buffer.concat(run.map((it) => it.part)), headers);
          const err = http.answerError(a);
          if (err) throw err;
        });
      },
      async close() {
        http.close();
      },
    };
  },
});
