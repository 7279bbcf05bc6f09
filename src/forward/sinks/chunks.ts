// Sending one batch as several requests: an HTTP peer limits its request size (Splunk's
// max_content_length, Elasticsearch's http.max_content_length, a proxy's client_max_body_size), while
// the forward stage's batches are counted in events. The batch is cut into bodies of at most
// max_body_bytes and sent in order; what the peer took, refused for good, or must get again is folded
// into one answer in the SinkError terms (retryIds / failedIds), so nothing taken is sent twice by
// this and nothing refused blocks the rest. A body the peer still finds too large (413) is halved
// until one event is left, which is then refused for good: it can never get through.
import { SinkError, asSinkError } from '../sink.js';

/** The peer refused the request for its size (HTTP 413). */
export class TooLargeError extends SinkError {}

export interface Item<P> {
  id: string;
  /** What the sink encoded for this event (a body part, a line). */
  part: P;
  /** Its size in the body, to cut the batch at max_body_bytes. */
  bytes: number;
  /** Items with different groups never share a request (Loki's per-tenant X-Scope-OrgID). */
  group?: string;
}

/** Cuts items into runs of at most maxBytes (one item alone may exceed it), keeping groups apart. */
export function cut<P>(items: Item<P>[], maxBytes: number): Item<P>[][] {
  const byGroup = new Map<string | undefined, Item<P>[]>();
  for (const it of items) {
    const g = byGroup.get(it.group);
    if (g) g.push(it);
    else byGroup.set(it.group, [it]);
  }
  const out: Item<P>[][] = [];
  for (const group of byGroup.values()) {
    let cur: Item<P>[] = [];
    let size = 0;
    for (const it of group) {
      if (cur.length && size + it.bytes > maxBytes) {
        out.push(cur);
        cur = [];
        size = 0;
      }
      cur.push(it);
      size += it.bytes;
    }
    if (cur.length) out.push(cur);
  }
  return out;
}


/**
 * Sends every run with `sendOne`, in order. `sendOne` resolves when the peer took its whole run, or
 * throws a SinkError (which may itself say which of the run's ids to retry or were refused).
 */
export async function sendInRuns<P>(items: Item<P>[], maxBytes: number, sendOne: (run: Item<P>[]) => Promise<void>): Promise<void> {
  const queue = cut(items, maxBytes);
  const failed: string[] = [];
  let lastRefusal: SinkError | undefined;
  let progressed = false; // something was taken or refused: the batch is no longer all-or-nothing
  while (queue.length) {
    const run = queue.shift()!;
    try {
      await sendOne(run);
      progressed = true;
      continue;
    } catch (err) {
      const e = asSinkError(err);
      if (e instanceof TooLargeError && run.length > 1) {
        const half = Math.ceil(run.length / 2);
        queue.unshift(run.slice(0, half), run.slice(half));
        continue;
      }
      if (e.opts.permanent || e instanceof TooLargeError) {
        failed.push(...run.map((it) => it.id));
        lastRefusal = e;
        continue;
      }
      const runFailed = e.opts.failedIds ?? [];
      if (e.opts.retryIds && e.opts.retryIds.length === 0) {
        // Taken except some refused for good (Elasticsearch mapping errors): go on with the next run.
        failed.push(...runFailed);
        if (runFailed.length) lastRefusal = e;
        progressed = true;
        continue;
      }
      const rest = queue.flat().map((it) => it.id);
      if (!progressed && !failed.length && !e.opts.retryIds && !e.opts.failedIds && !rest.length) throw e;
      const retry = e.opts.retryIds ?? run.map((it) => it.id);
      throw new SinkError(e.message, {
        ...(e.opts.retryAfterMs !== undefined ? { retryAfterMs: e.opts.retryAfterMs } : {}),
        retryIds: [...retry, ...rest],
        failedIds: [...failed, ...runFailed],
      });
    }
  }
  if (!failed.length) return;
  if (failed.length === items.length && lastRefusal?.opts.permanent) throw lastRefusal;
  const message = `${failed.length} of ${items.length} events refused for good: ${lastRefusal?.message ?? 'refused'}`;
  if (failed.length === items.length) throw new SinkError(message, { permanent: true });
  throw new SinkError(message, { retryIds: [], failedIds: failed });
}
