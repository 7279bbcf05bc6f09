// What every output type implements: deliver one batch of events to a peer and say how it went. The
// forward stage (buffer, cursor, retries, metrics) is the same for all of them; a sink knows only its
// wire format and transport.
import type { EcsDoc } from '../core/event.js';

/** An event as an output sends it: already routed and transformed (dropped, renamed, redacted fields). */
export interface OutEvent {
  tenant: string;
  /** Vigil's event id (stable across replays): peers that deduplicate can use it. */
  id: string;
  doc: EcsDoc;
}

export interface Sink {
  /**
   * Delivers the batch; resolves once the peer has acknowledged all of it. Throws SinkError when it did
   * not: the forward stage retries the whole batch (or only `retryIds`) after a back-off.
   */
  send(batch: OutEvent[]): Promise<void>;
  /** Closes connections; a later send may reopen them. */
  close(): Promise<void>;
}

export interface SinkErrorOptions {
  /** The peer said when to come back (Retry-After, Splunk's code 9), in ms. */
  retryAfterMs?: number;
  /** Retrying cannot help (400 from the peer on a well-formed request, bad credentials): counted failed. */
  permanent?: boolean;
  /** Only these events are to be sent again (Elasticsearch per-item 429/5xx); the others were taken. */
  retryIds?: string[];
  /** These events were refused for good (per-item mapping errors): counted failed, never resent. */
  failedIds?: string[];
}

export class SinkError extends Error {
  constructor(
    message: string,
    readonly opts: SinkErrorOptions = {},
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/** Any failure as a SinkError: a sink's own error as it is, anything else (a socket error) retried. */
export function asSinkError(err: unknown): SinkError {
  return err instanceof SinkError ? err : new SinkError((err as Error)?.message ?? String(err));
}
