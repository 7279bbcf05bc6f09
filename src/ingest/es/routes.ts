// The Elasticsearch-compatible ingest surface: Filebeat, Winlogbeat, Elastic Agent, Logstash's
// elasticsearch output, Fluent Bit's es output and Vector's elasticsearch sink ship to Vigil unchanged.
//   GET|HEAD /, /_license, /_xpack, /_cluster/health, /_nodes     start-up probes (probe-routes.ts)
//   templates, ILM policies, ingest pipelines, data streams          acknowledged, kept in memory (resource-routes.ts)
//   POST|PUT /_bulk, /{index}/_bulk                                  documents into the queue (bulk-route.ts)
//   anything else under /_                                           Elasticsearch's "no handler" error
// Every answer, errors included, is in Elasticsearch's shape and carries X-Elastic-Product, which the
// 8.x clients and Logstash check. This plugin is encapsulated: its body parser and error handler apply
// to its routes only.
import { defaultInflightBytes } from '../inflight-budget.js';
import type { ShipperDeps } from '../shipper-deps.js';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/server.js';
import { resolveTenant } from '../../auth/principal.js';
import { WWW_AUTHENTICATE, badRequest, toEsError } from './errors.js';
import { tokenFromAuthorization } from './auth.js';
import { ES_VERSION } from './cluster-info.js';
import { ResourceStore } from './resources.js';
import { query, sendJson } from './reply.js';
import { INPUT, ROUTE_CONFIG, type EsContext } from './context.js';
import { probeRoutes } from './probe-routes.js';
import { resourceRoutes } from './resource-routes.js';
import { bulkRoutes } from './bulk-route.js';

export interface EsRoutesDeps extends ShipperDeps {
  /** The version GET / reports (default 8.17.0). Beats refuse a server older than themselves. */
  version?: string;
  /** Where installed templates and policies are kept; a fresh in-memory store by default. */
  resources?: ResourceStore;
}

export async function esRoutes(app: FastifyInstance, deps: EsRoutesDeps): Promise<void> {
  const ctx: EsContext = {
    intake: deps.intake,
    metrics: deps.metrics,
    bodyLimit: deps.bodyLimit,
    maxLineBytes: deps.maxLineBytes,
    maxInflightBytes: deps.maxInflightBytes ?? defaultInflightBytes(deps.bodyLimit),
    version: deps.version ?? ES_VERSION,
    resources: deps.resources ?? new ResourceStore(),
    tenantOf: (req) => resolveTenant(principalOf(req), query(req).tenant, deps.tenantExists),
  };

  // Bodies are NDJSON, JSON or gzip under whatever Content-Type the client names: read them as bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) => done(null, body));

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-elastic-product', 'Elasticsearch');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const path = req.url.split('?')[0]!;
    const e = toEsError(err, path, tokenFromAuthorization(req.headers.authorization) === null, deps.bodyLimit);
    if (e.status >= 500) req.log.error({ err }, 'elasticsearch request failed');
    if (e.status === 413) deps.metrics.rejected.inc({ input: INPUT, reason: 'too_large' });
    if (e.status === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
    if (e.status === 429) void reply.header('retry-after', '1');
    return sendJson(req, reply, e.status, e.toJSON());
  });

  probeRoutes(app, ctx);
  resourceRoutes(app, ctx);
  bulkRoutes(app, ctx);

  // Everything else in Elasticsearch's namespace: the error Elasticsearch gives for an unknown endpoint.
  // (Index names cannot start with "_", so nothing here is a document path.)
  app.all('/_*', { config: ROUTE_CONFIG }, async (req) => {
    throw badRequest(`no handler found for uri [${req.url.split('?')[0]}] and method [${req.method}]`);
  });
}

