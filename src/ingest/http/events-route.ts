// POST /api/v1/events: Vigil's own HTTP input. 200 {"accepted":N} only once the batch is fsync'd.
// Overload is refused before the body is read (503 + Retry-After), and the bytes of bodies being read
// at once are bounded, so many concurrent senders cannot exhaust memory.
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../core/errors.js';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import { principalOf } from '../../http/server.js';
import { resolveTenant } from '../../auth/principal.js';
import { splitBody } from './split-body.js';
import { InflightBudget } from '../inflight-budget.js';

export interface EventsRouteDeps {
  intake: Intake;
  metrics: Metrics;
  tenantExists: (t: string) => boolean;
  parserExists: (id: string) => boolean;
  maxLineBytes: number;
  bodyLimit: number;
  /** Bytes of request bodies that may be in memory at once across all requests. */
  maxInflightBytes: number;
}

const INPUT = 'http';

export async function eventsRoute(app: FastifyInstance, deps: EventsRouteDeps): Promise<void> {
  const budget = new InflightBudget(deps.maxInflightBytes, deps.bodyLimit);
  const refuseIfOverloaded = () => {
    if (!deps.intake.overloaded()) return;
    deps.metrics.rejected.inc({ input: INPUT, reason: 'overloaded' });
    throw new VigilError('overloaded', 'the queue is full; retry later', { pressure: deps.intake.pressure() });
  };
  // Every body arrives as raw bytes; splitBody decides how to read it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));

  app.post<{ Querystring: { source?: string; tenant?: string } }>(
    '/api/v1/events',
    {
      config: { scopes: ['ingest', 'admin'] },
      onRequest: async (req) => {
        refuseIfOverloaded();
        if (!budget.reserve(req)) {
          deps.metrics.rejected.inc({ input: INPUT, reason: 'inflight_bytes' });
          throw new VigilError('overloaded', 'too many request bytes in flight; retry later');
        }
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const tenant = resolveTenant(p, req.query.tenant, deps.tenantExists);
      const source = req.query.source;
      if (source !== undefined && !deps.parserExists(source)) {
        throw new VigilError('bad_request', `unknown parser "${source}" in ?source=`, { parameter: 'source' });
      }
      // Checked again now the body is read: concurrent requests all passed onRequest before any queued.
      refuseIfOverloaded();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const split = splitBody(body, req.headers['content-type'], deps.maxLineBytes);
      const received = Date.now();
      await Promise.all(
        split.batches.map((b) =>
          deps.intake.submit(
            { tenant, input: INPUT, codec: b.codec, received, peer: req.ip, ...(source ? { parser: source } : {}) },
            b.records,
          ),
        ),
      );
      return reply.status(200).send({ accepted: split.count });
    },
  );
}
