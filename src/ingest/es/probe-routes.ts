// The read-only endpoints shippers probe before they send (see cluster-info.ts for who asks what).
// HEAD of each answers like GET without a body (Fastify adds the HEAD routes).
import type { FastifyInstance } from 'fastify';
import { clusterHealth, licenseDocument, nodesDocument, rootDocument, xpackDocument } from './cluster-info.js';
import { query, sendJson } from './reply.js';
import { ROUTE_CONFIG, type EsContext } from './context.js';

export function probeRoutes(app: FastifyInstance, ctx: EsContext): void {
  const config = ROUTE_CONFIG;
  app.get('/', { config }, async (req, reply) => sendJson(req, reply, 200, rootDocument(ctx.version)));
  app.get('/_license', { config }, async (req, reply) => sendJson(req, reply, 200, licenseDocument()));
  app.get('/_xpack', { config }, async (req, reply) => sendJson(req, reply, 200, xpackDocument()));
  // rsyslog's omelasticsearch probes this after a failed request before it resumes.
  app.get<{ Querystring: { format?: string } }>('/_cat/health', { config }, async (req, reply) => {
    const now = new Date();
    const row = { epoch: String(Math.floor(now.getTime() / 1000)), timestamp: now.toISOString().slice(11, 19), cluster: String(clusterHealth().cluster_name), status: 'green', 'node.total': '1', 'node.data': '1' };
    if (req.query.format === 'json') return reply.status(200).send([row]);
    return reply.status(200).type('text/plain; charset=UTF-8').send(`${Object.values(row).join(' ')}\n`);
  });
  for (const url of ['/_cluster/health', '/_cluster/health/:index']) {
    app.get(url, { config }, async (req, reply) => sendJson(req, reply, 200, clusterHealth()));
  }
  for (const url of ['/_nodes', '/_nodes/:filter', '/_nodes/:nodes/:metrics']) {
    app.get(url, { config }, async (req, reply) => sendJson(req, reply, 200, nodesDocument(req.headers.host ?? '127.0.0.1:9200', ctx.bodyLimit, ctx.version)));
  }
  // _cat/templates lists what shippers installed here (resources.ts), in _cat's text or as JSON.
  for (const url of ['/_cat/templates', '/_cat/templates/:name']) {
    app.get<{ Params: { name?: string } }>(url, { config }, async (req, reply) => {
      const tenant = ctx.tenantOf(req);
      const rows = [
        ...ctx.resources.find(tenant, 'index_template', req.params.name).found.map((f) => templateRow(f.name, f.body, true)),
        ...ctx.resources.find(tenant, 'template', req.params.name).found.map((f) => templateRow(f.name, f.body, false)),
      ];
      if (query(req).format === 'json') return reply.status(200).header('content-type', 'application/json; charset=UTF-8').send(JSON.stringify(rows));
      const text = rows.map((r) => `${r.name} [${r.index_patterns}] ${r.order ?? ''} ${r.version ?? ''} [${r.composed_of}]`.replace(/ +/g, ' ')).join('\n');
      return reply.status(200).header('content-type', 'text/plain; charset=UTF-8').send(text ? text + '\n' : '');
    });
  }
}

interface TemplateRow {
  name: string;
  index_patterns: string;
  order: string | null;
  version: string | null;
  composed_of: string;
}

function templateRow(name: string, body: unknown, composable: boolean): TemplateRow {
  const b = (body ?? {}) as Record<string, unknown>;
  const patterns = Array.isArray(b.index_patterns) ? b.index_patterns.join(', ') : String(b.index_patterns ?? b.template ?? '');
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  return {
    name,
    index_patterns: patterns,
    order: composable ? str(b.priority) : str(b.order),
    version: str(b.version),
    composed_of: composable && Array.isArray(b.composed_of) ? b.composed_of.join(', ') : '',
  };
}
