// Indexer acknowledgement. A sender names a channel (a GUID in X-Splunk-Request-Channel or ?channel=);
// each successful request on it gets the channel's next ack id, and POST /services/collector/ack asks
// which ids are indexed. Vigil answers 200 only once a batch is fsync'd, so an id is durable the moment
// it is handed out: a channel needs only its next id (ids below it are true, others false), never a set.
// Channels are scoped to the tenant, so one tenant cannot probe another's, and the number kept is bounded
// (least recently used first out); a forgotten channel answers false, and the sender resends: at least
// once, never lost.
import { HecError } from './replies.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's channel, null when it names none; code 11 when it is not a GUID. */
export function readChannel(header: string | string[] | undefined, query: string | undefined): string | null {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  if (raw === undefined || raw === '') return null;
  const channel = raw.trim();
  if (!GUID.test(channel)) throw new HecError('channel_invalid');
  return channel.toLowerCase();
}

export class AckChannels {
  /** Insertion order is recency order: a touched channel is re-inserted at the end. */
  private readonly next = new Map<string, number>();

  constructor(private readonly maxChannels = 10_000) {}

  private static key(tenant: string, channel: string): string {
    return `${tenant}\u0000${channel}`;
  }

  /** The ack id for a request on this channel that is now durable. */
  issue(tenant: string, channel: string): number {
    const key = AckChannels.key(tenant, channel);
    const id = this.next.get(key) ?? 0;
    this.next.delete(key);
    this.next.set(key, id + 1);
    if (this.next.size > this.maxChannels) this.next.delete(this.next.keys().next().value!);
    return id;
  }

  /** Splunk's answer to {"acks":[ids]}: {"id": true|false} for each. */
  status(tenant: string, channel: string, ids: readonly number[]): Record<string, boolean> {
    const key = AckChannels.key(tenant, channel);
    const next = this.next.get(key);
    if (next !== undefined) {
      this.next.delete(key);
      this.next.set(key, next);
    }
    const out: Record<string, boolean> = {};
    for (const id of ids) out[String(id)] = next !== undefined && id < next;
    return out;
  }

  get size(): number {
    return this.next.size;
  }
}

/** The ids of an ack request body, {"acks":[0,1,2]}; code 6 for anything else. */
export function parseAckRequest(text: string): number[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HecError('invalid_data_format');
  }
  const acks = (body as { acks?: unknown } | null)?.acks;
  if (!Array.isArray(acks) || !acks.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
    throw new HecError('invalid_data_format');
  }
  return acks as number[];
}
