// OpenTelemetry's OTLP/HTTP logs endpoint, so that the Collector's otlphttp exporter and the SDKs' OTLP
// log exporters send to Vigil unchanged:
//   POST /v1/logs   ExportLogsServiceRequest, binary protobuf or OTLP/JSON (src/wire/otlp-logs.ts),
//                   Content-Encoding gzip or none
// Answers are OTLP's, in the request's encoding: 200 with an ExportLogsServiceResponse once every record
// taken is fsync'd (with partial_success counting the records refused, each too long to store), or an
// error status with a google.rpc.Status body: 400 (the body does not decode; nothing is queued),
// 401/403 (token), 413 (too large), 415 (neither protobuf nor JSON, or an unknown Content-Encoding) and
// 503 with Retry-After when the queue is overloaded (OTLP clients retry 429/502/503/504 and honour it).
// Overload is refused before the body is read; the bytes of bodies held at once are bounded.
//
// Auth: `Authorization: Bearer <token>` (the Collector's `headers` or its bearertokenauth extension), an
// ingest or admin token; an admin token may name the tenant with `X-Vigil-Tenant` (or `?tenant=`).
// An encapsulated plugin: its content-type parser (every body as raw bytes) and its error handler
// (OTLP's Status, including the auth hook's refusals) apply to this route only.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../../core/errors.js';
import { principalOf, toVigilError } from '../../http/server.js';
import { resolveTenant } from '../../auth/principal.js';
import { decompress } from '../decompress.js';
import { defaultInflightBytes, InflightBudget } from '../inflight-budget.js';
import type { ShipperDeps } from '../shipper-deps.js';
import { decodeLogsRequest, encodeLogsResponse, encodeStatus, OTLP_CONTENT_TYPE, otlpEncoding, type OtlpEncoding } from '../../wire/otlp-logs.js';
import { mapRequest } from './batches.js';
import { rpcCode } from './status.js';

export const OTLP_INPUT = 'otlp';
export const OTLP_LOGS_PATH = '/v1/logs';

export async function otlpRoutes(app: FastifyInstance, deps: ShipperDeps): Promise<void> {
  const budget = new InflightBudget(deps.maxInflightBytes ?? defaultInflightBytes(deps.bodyLimit), deps.bodyLimit);
  const rejected = (reason: string) => deps.metrics.rejected.inc({ input: OTLP_INPUT, reason });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError | VigilError, req, reply) => {
    const ve = toVigilError(err, deps.bodyLimit);
    if (ve.status === 413) rejected('too_large');
    if (ve.status >= 500 && ve.code !== 'overloaded') req.log.error({ err }, 'OTLP export failed');
    if (ve.code === 'overloaded') void reply.header('retry-after', '1');
    // A Content-Type OTLP does not define gets JSON, readable by whoever sent it.
    const encoding = otlpEncoding(req.headers['content-type']) ?? 'json';
    void reply
      .status(ve.status)
      .type(OTLP_CONTENT_TYPE[encoding])
      .send(encodeStatus(encoding, { code: rpcCode(ve.code), message: ve.message }));
  });

  const encodingOf = (req: FastifyRequest): OtlpEncoding => {
    const encoding = otlpEncoding(req.headers['content-type']);
    if (encoding) return encoding;
    const sent = req.headers['content-type'];
    throw new VigilError(
      'unsupported_media_type',
      `${sent ? `Content-Type "${sent}"` : 'no Content-Type'}: OTLP/HTTP takes application/x-protobuf or application/json`,
    );
  };

  /** The token's tenant; an admin token may name another with X-Vigil-Tenant or ?tenant=. */
  const tenantOf = (req: FastifyRequest): string => {
    const header = req.headers['x-vigil-tenant'];
    const query = (req.query as Record<string, string | string[] | undefined> | undefined)?.tenant;
    const requested = (Array.isArray(header) ? header[0] : header) ?? (Array.isArray(query) ? query[0] : query);
    return resolveTenant(principalOf(req), requested, deps.tenantExists);
  };

  const refuseIfOverloaded = () => {
    if (!deps.intake.overloaded()) return;
    rejected('overloaded');
    throw new VigilError('overloaded', 'Vigil is overloaded: its queue is full; retry after the Retry-After delay', { pressure: deps.intake.pressure() });
  };

  /** Refused before the body is read: a Content-Type that is not OTLP's, a bad tenant, overload. */
  const admit = async (req: FastifyRequest) => {
    encodingOf(req);
    tenantOf(req);
    refuseIfOverloaded();
    if (!budget.reserve(req)) {
      rejected('inflight_bytes');
      throw new VigilError('overloaded', 'Vigil is holding too many request bodies at once; retry after the Retry-After delay');
    }
  };

  /** The body with its Content-Encoding undone, its inflated size capped at the body limit. */
  const readBody = async (req: FastifyRequest): Promise<Buffer> => {
    const wire = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const r = await decompress(wire, req.headers['content-encoding'], deps.bodyLimit);
    if (!r.ok) {
      if (r.problem === 'too_large') throw new VigilError('payload_too_large', `the ${r.encoding} body inflates past the limit of ${deps.bodyLimit} bytes`, { limit_bytes: deps.bodyLimit });
      if (r.problem === 'unsupported_encoding') throw new VigilError('unsupported_media_type', `${r.message}: OTLP/HTTP bodies are gzip-compressed or not compressed`);
      throw new VigilError('bad_request', r.message);
    }
    // The inflated copy is in memory too; it was read already, so it is counted, not refused.
    if (r.body !== wire) budget.hold(req, r.body.length);
    return r.body;
  };

  app.post(OTLP_LOGS_PATH, { config: { scopes: ['ingest', 'admin'] }, onRequest: admit }, async (req: FastifyRequest, reply: FastifyReply) => {
    const encoding = encodingOf(req);
    const tenant = tenantOf(req);
    const request = decodeLogsRequest(await readBody(req), encoding);
    const mapped = mapRequest(request, deps.maxLineBytes);
    // Checked again now the body is read: concurrent requests all passed onRequest before any queued.
    refuseIfOverloaded();
    const received = Date.now();
    await Promise.all(
      mapped.batches.map((records) =>
        deps.intake.submit({ tenant, input: OTLP_INPUT, codec: 'json', received, peer: req.ip, envelope: true }, records),
      ),
    );
    if (mapped.rejected > 0) deps.metrics.dropped.inc({ input: OTLP_INPUT, reason: 'too_large' }, mapped.rejected);
    const partial = mapped.rejected > 0 ? { rejectedLogRecords: mapped.rejected, errorMessage: mapped.problem } : undefined;
    return reply.status(200).type(OTLP_CONTENT_TYPE[encoding]).send(encodeLogsResponse(encoding, partial));
  });
}
