// The Splunk HEC reply catalogue. Shippers branch on the HTTP status and on `code` (Splunk's SDKs,
// Vector, the OpenTelemetry exporter, Fluent Bit), so every answer these endpoints give comes from this
// one table with Splunk's own status, code and text (Splunk's "Troubleshoot HTTP Event Collector" table
// of status codes; the same table ships in Splunk's own HEC client, cloudfwd, as ServerErrors).
// A test checks each entry, and that every code the routes can answer is listed here.

export const HEC_REPLIES = {
  success: { status: 200, code: 0, text: 'Success' },
  token_disabled: { status: 403, code: 1, text: 'Token disabled' },
  token_required: { status: 401, code: 2, text: 'Token is required' },
  invalid_authorization: { status: 401, code: 3, text: 'Invalid authorization' },
  invalid_token: { status: 403, code: 4, text: 'Invalid token' },
  no_data: { status: 400, code: 5, text: 'No data' },
  invalid_data_format: { status: 400, code: 6, text: 'Invalid data format' },
  incorrect_index: { status: 400, code: 7, text: 'Incorrect index' },
  internal_error: { status: 500, code: 8, text: 'Internal server error' },
  server_busy: { status: 503, code: 9, text: 'Server is busy' },
  channel_missing: { status: 400, code: 10, text: 'Data channel is missing' },
  channel_invalid: { status: 400, code: 11, text: 'Invalid data channel' },
  event_required: { status: 400, code: 12, text: 'Event field is required' },
  event_blank: { status: 400, code: 13, text: 'Event field cannot be blank' },
  ack_disabled: { status: 400, code: 14, text: 'ACK is disabled' },
  indexed_fields: { status: 400, code: 15, text: 'Error in handling indexed fields' },
  query_auth_disabled: { status: 400, code: 16, text: 'Query string authorization is not enabled' },
  healthy: { status: 200, code: 17, text: 'HEC is healthy' },
  unhealthy_queues_full: { status: 503, code: 18, text: 'HEC is unhealthy, queues are full' },
  // Outside the HEC numbering: splunkd answers these HTTP-level errors with the HTTP status as the code.
  payload_too_large: { status: 413, code: 413, text: 'Request entity too large' },
  not_found: { status: 404, code: 404, text: 'The requested URL was not found on this server.' },
} as const;

export type HecReplyKey = keyof typeof HEC_REPLIES;

export interface HecBody {
  text: string;
  code: number;
  'invalid-event-number'?: number;
  ackId?: number;
}

/** A refusal on a HEC endpoint; the plugin's error handler sends `body()` with `status`. */
export class HecError extends Error {
  readonly key: HecReplyKey;
  readonly status: number;
  /** 0-based number of the event that made the batch fail (event endpoint only). */
  readonly invalidEvent: number | undefined;

  constructor(key: HecReplyKey, opts: { invalidEvent?: number; text?: string; cause?: unknown } = {}) {
    super(opts.text ?? HEC_REPLIES[key].text, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HecError';
    this.key = key;
    this.status = HEC_REPLIES[key].status;
    this.invalidEvent = opts.invalidEvent;
  }

  body(): HecBody {
    const b: HecBody = { text: this.message, code: HEC_REPLIES[this.key].code };
    if (this.invalidEvent !== undefined) b['invalid-event-number'] = this.invalidEvent;
    return b;
  }
}

/** The body of a catalogue reply, with the ack id when the request named a channel. */
export function hecBody(key: HecReplyKey, ackId?: number): HecBody {
  const r = HEC_REPLIES[key];
  return ackId === undefined ? { text: r.text, code: r.code } : { text: r.text, code: r.code, ackId };
}
