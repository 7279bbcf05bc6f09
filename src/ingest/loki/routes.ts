// Grafana Loki's push API, so that Promtail, Grafana Alloy, Fluent Bit's loki output, Vector's loki sink
// and the Loki docker driver send to Vigil unchanged:
//   POST /loki/api/v1/push (and the legacy /api/prom/push)   snappy protobuf, or JSON (src/wire/loki-push.ts)
//   GET  /ready                                            public, as Loki's (Vector's health check asks it)
// 204 means every entry is fsync'd. Each stream is one WAL entry of JSON envelopes (envelope.ts). A body
// that cannot be read is refused whole (400, nothing queued), so a sender's retry never duplicates half
// of it. Overload is 429 with Retry-After, as Loki answers its rate limits (which its clients retry,
// where most refuse a 4xx for good), refused before the body is read; the bytes of bodies held at once
// are bounded. Errors are Vigil's JSON {"error":{"code","message"}}: Loki clients read only the status.
//
// An encapsulated plugin: its content-type parser (every body as raw bytes) and its error handler apply
// to these routes only.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../../core/errors.js';
import { principalOf, toVigilError } from '../../http/server.js';
import { decompress } from '../decompress.js';
import { defaultInflightBytes, InflightBudget } from '../inflight-budget.js';
import type { ShipperDeps } from '../shipper-deps.js';
import { decodePush, pushFormat, snappyDeclaredLength } from '../../wire/loki-push.js';
import { lokiTenant, lokiToken } from './auth.js';
import { streamRecords } from './envelope.js';
import { submitRecords } from '../records.js';

export const LOKI_INPUT = 'loki';
export const LOKI_PUSH_PATHS = ['/loki/api/v1/push', '/api/prom/push'] as const;

export async function lokiRoutes(app: FastifyInstance, deps: ShipperDeps): Promise<void> {
  const budget = new InflightBudget(deps.maxInflightBytes ?? defaultInflightBytes(deps.bodyLimit), deps.bodyLimit);
  const rejected = (reason: string) => deps.metrics.rejected.inc({ input: LOKI_INPUT, reason });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError | VigilError, req, reply) => {
    const ve = toVigilError(err, deps.bodyLimit);
    const status = ve.code === 'overloaded' ? 429 : ve.status;
    if (status === 413) rejected('too_large');
    if (status >= 500) req.log.error({ err }, 'Loki push failed');
    if (status === 429) void reply.header('retry-after', '1');
    void reply.status(status).send(ve.toJSON());
  });

  const refuseIfOverloaded = () => {
    if (!deps.intake.overloaded()) return;
    rejected('overloaded');
    throw new VigilError('overloaded', 'the queue is full; retry later', { pressure: deps.intake.pressure() });
  };

  /** The body with its Content-Encoding undone (gzip, deflate; "snappy" is only a hint Loki ignores). */
  const readBody = async (req: FastifyRequest): Promise<Buffer> => {
    const wire = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (wire.length === 0) throw new VigilError('bad_request', 'empty body: a Loki push is a snappy-compressed protobuf PushRequest, or JSON {"streams":[...]}');
    const encoding = req.headers['content-encoding'];
    const r = await decompress(wire, encoding?.trim().toLowerCase() === 'snappy' ? undefined : encoding, deps.bodyLimit);
    if (!r.ok) {
      if (r.problem === 'too_large') throw new VigilError('payload_too_large', r.message, { limit_bytes: deps.bodyLimit });
      throw new VigilError(r.problem === 'unsupported_encoding' ? 'unsupported_media_type' : 'bad_request', r.message);
    }
    // The decompressed copy is in memory too; it was read already, so it is counted, not refused.
    if (r.body !== wire) budget.hold(req, r.body.length);
    return r.body;
  };

  const push = async (req: FastifyRequest, reply: FastifyReply) => {
    const tenant = lokiTenant(principalOf(req), req.headers['x-scope-orgid'], deps.tenantExists);
    const body = await readBody(req);
    const format = pushFormat(req.headers['content-type']);
    const inflated = format === 'protobuf' ? snappyDeclaredLength(body) : null;
    if (inflated !== null && inflated <= deps.bodyLimit) budget.hold(req, inflated);
    // Every stream is read before any is queued: one bad stream refuses the whole push.
    const streams = await decodePush(body, format, { maxBytes: deps.bodyLimit });
    const perStream = streams.map((s) => streamRecords(s, deps.maxLineBytes));
    // Checked again now the body is read: concurrent requests all passed onRequest before any queued.
    refuseIfOverloaded();
    // A WAL entry (or more) per stream, as each stream is one source; order is kept.
    const base = { tenant, input: LOKI_INPUT, received: Date.now(), peer: req.ip };
    await Promise.all(perStream.map((records) => submitRecords(deps.intake, base, records)));
    return reply.status(204).send();
  };

  const options = {
    config: { scopes: ['ingest', 'admin'] as const, token: lokiToken },
    onRequest: async (req: FastifyRequest) => {
      refuseIfOverloaded();
      if (!budget.reserve(req)) {
        rejected('inflight_bytes');
        throw new VigilError('overloaded', 'too many request bytes in flight; retry later');
      }
    },
  };
  for (const url of LOKI_PUSH_PATHS) app.post(url, options, push);

  app.get('/ready', { config: { public: true } }, async (_req, reply) => {
    const pressure = deps.intake.pressure();
    return reply.status(pressure === 'ok' ? 200 : 503).send(pressure === 'ok' ? { status: 'ready' } : { status: 'unavailable', reason: pressure });
  });
}
