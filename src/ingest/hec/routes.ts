// Splunk HTTP Event Collector: the endpoints and answers Splunk forwarders, Fluent Bit, Vector and the
// OpenTelemetry splunk_hec exporter already speak, unchanged.
//   POST /services/collector/event (/event/1.0, /services/collector)  concatenated JSON envelopes
//   POST /services/collector/raw (/raw/1.0)                            one event per line
//   POST /services/collector/ack                                       indexer acknowledgement
//   GET  /services/collector/health (/health/1.0)                      public, as in Splunk
// Every answer is Splunk's {"text","code"} (replies.ts). 200 means the batch is fsync'd; a batch with
// one invalid event is refused whole (nothing queued), so a sender's retry never duplicates half of it.
// Overload is refused before the body is read (503, code 9, Retry-After) and the bytes of bodies held
// at once are bounded, as on /api/v1/events.
//
// Registered as an encapsulated plugin: its content-type parser (every body as raw bytes) and its error
// handler (Splunk-shaped errors, including the auth hook's refusals) apply to these routes only.
import { defaultInflightBytes, InflightBudget } from '../inflight-budget.js';
import type { ShipperDeps } from '../shipper-deps.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyError } from 'fastify';
import { VigilError } from '../../core/errors.js';
import { principalOf } from '../../http/server.js';
import { resolveTenant } from '../../auth/principal.js';
import { HecError, hecBody, type HecReplyKey } from './replies.js';
import { parseEventStream } from './event-stream.js';
import { eventRecord, type HecDefaults } from './event-record.js';
import { capRecord, submitRecords, type IngestRecord } from '../records.js';
import { rawLines } from './raw-lines.js';
import { decodeBody } from './decode-body.js';
import { AckChannels, parseAckRequest, readChannel } from './ack-channels.js';
import { authRefusal, hecToken } from './auth.js';

export interface HecDeps extends ShipperDeps {
  /** Indexer acknowledgement (ack ids on channels, /ack); default on. Off, /ack answers code 14. */
  ack?: boolean;
  /** Channels whose ack counters are kept; default 10,000. */
  maxAckChannels?: number;
}

export const HEC_INPUT = 'hec';

type Query = Record<string, string | string[] | undefined>;

function param(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Query | undefined)?.[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(reply: FastifyReply, key: HecReplyKey, ackId?: number): FastifyReply {
  return reply.status(200).send(hecBody(key, ackId));
}

export async function hecRoutes(app: FastifyInstance, deps: HecDeps): Promise<void> {
  const budget = new InflightBudget(deps.maxInflightBytes ?? defaultInflightBytes(deps.bodyLimit), deps.bodyLimit);
  const ackEnabled = deps.ack ?? true;
  const acks = new AckChannels(deps.maxAckChannels);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError | VigilError | HecError, req, reply) => {
    const hec = toHecError(err, req, deps.bodyLimit);
    if (hec.status >= 500 && hec.key !== 'server_busy') req.log.error({ err }, 'HEC request failed');
    if (hec.key === 'server_busy') void reply.header('retry-after', '1');
    void reply.status(hec.status).send(hec.body());
  });

  const busy = (reason: string): HecError => {
    deps.metrics.rejected.inc({ input: HEC_INPUT, reason });
    return new HecError('server_busy');
  };
  const refuseIfOverloaded = () => {
    if (deps.intake.overloaded()) throw busy('overloaded');
  };
  const admit = (checkPressure: boolean) => async (req: FastifyRequest) => {
    if (checkPressure) refuseIfOverloaded();
    if (!budget.reserve(req)) throw busy('inflight_bytes');
  };
  const auth = { scopes: ['ingest', 'admin'] as const, token: hecToken };

  /** Tenant of the token; an admin token may name another with ?tenant= or X-Vigil-Tenant. */
  const tenantOf = (req: FastifyRequest): string => {
    const header = req.headers['x-vigil-tenant'];
    const requested = param(req, 'tenant') ?? (Array.isArray(header) ? header[0] : header);
    try {
      return resolveTenant(principalOf(req), requested, deps.tenantExists);
    } catch (err) {
      // The tenant is what Splunk calls the index a token may write to.
      if (err instanceof VigilError && (err.code === 'forbidden' || err.code === 'not_found')) throw new HecError('incorrect_index');
      throw err;
    }
  };
  const channelOf = (req: FastifyRequest) => readChannel(req.headers['x-splunk-request-channel'], param(req, 'channel'));

  const readBody = async (req: FastifyRequest): Promise<Buffer> => {
    const wire = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = await decodeBody(wire, req.headers['content-encoding'], deps.bodyLimit);
    // The decompressed copy is in memory too; it was read already, so it is counted, not refused.
    if (body !== wire) budget.hold(req, body.length);
    return body;
  };

  const submit = (req: FastifyRequest, tenant: string, records: IngestRecord[]) =>
    submitRecords(deps.intake, { tenant, input: HEC_INPUT, received: Date.now(), peer: req.ip }, records);

  /** Success, with the channel's next ack id once the records are durable. */
  const done = (reply: FastifyReply, tenant: string, channel: string | null) =>
    send(reply, 'success', channel !== null && ackEnabled ? acks.issue(tenant, channel) : undefined);

  const eventHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const tenant = tenantOf(req);
    const channel = channelOf(req);
    const body = await readBody(req);
    const envelopes = parseEventStream(body.toString('utf8'));
    if (envelopes.length === 0) throw new HecError('no_data');
    const defaults: HecDefaults = {};
    for (const k of ['host', 'source', 'sourcetype', 'index'] as const) {
      const v = param(req, k);
      if (v !== undefined) defaults[k] = v;
    }
    // Every envelope is checked before any is queued: one bad event refuses the whole batch.
    const records = envelopes.map((ev, i) => eventRecord(ev, i, defaults, deps.maxLineBytes));
    // Checked again now the body is read: concurrent requests all passed onRequest before any queued.
    refuseIfOverloaded();
    await submit(req, tenant, records);
    return done(reply, tenant, channel);
  };

  const rawHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    const tenant = tenantOf(req);
    const channel = channelOf(req);
    const lines = rawLines(await readBody(req));
    if (lines.length === 0) throw new HecError('no_data');
    const records = lines.map((l) => capRecord('text', l, deps.maxLineBytes));
    refuseIfOverloaded();
    await submit(req, tenant, records);
    return done(reply, tenant, channel);
  };

  const ackHandler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!ackEnabled) throw new HecError('ack_disabled');
    const tenant = tenantOf(req);
    const channel = channelOf(req);
    if (channel === null) throw new HecError('channel_missing');
    const body = await readBody(req);
    if (body.length === 0) throw new HecError('no_data');
    const ids = parseAckRequest(body.toString('utf8'));
    return reply.status(200).send({ acks: acks.status(tenant, channel, ids) });
  };

  const ingest = { config: auth, onRequest: admit(true) };
  for (const url of ['/services/collector/event', '/services/collector/event/1.0', '/services/collector']) app.post(url, ingest, eventHandler);
  for (const url of ['/services/collector/raw', '/services/collector/raw/1.0']) app.post(url, ingest, rawHandler);
  app.post('/services/collector/ack', { config: auth, onRequest: admit(false) }, ackHandler);

  const health = async (_req: FastifyRequest, reply: FastifyReply) => {
    const key: HecReplyKey = deps.intake.overloaded() ? 'unhealthy_queues_full' : 'healthy';
    return reply.status(key === 'healthy' ? 200 : 503).send(hecBody(key));
  };
  for (const url of ['/services/collector/health', '/services/collector/health/1.0']) app.get(url, { config: { public: true } }, health);

  // Anything else under /services/collector answers as Splunk does, not with Vigil's error shape.
  app.all('/services/collector/*', { config: { public: true } }, async () => {
    throw new HecError('not_found');
  });
}

/** Every failure on these routes as a Splunk reply. */
export function toHecError(err: FastifyError | VigilError | HecError | Error, req: FastifyRequest, bodyLimit: number): HecError {
  if (err instanceof HecError) return err;
  if (err instanceof VigilError) {
    const auth = authRefusal(err, req);
    if (auth) return auth;
    if (err.code === 'overloaded') return new HecError('server_busy');
    if (err.status === 413) return new HecError('payload_too_large');
    if (err.status >= 400 && err.status < 500) return new HecError('invalid_data_format');
    return new HecError('internal_error', { cause: err });
  }
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const declared = req.headers['content-length'];
    return new HecError('payload_too_large', {
      text: declared ? `Content-Length of ${declared} too large (maximum is ${bodyLimit})` : `Content too large (maximum is ${bodyLimit})`,
    });
  }
  const status = (err as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return new HecError('invalid_data_format');
  return new HecError('internal_error', { cause: err });
}
