// GET/HEAD/PUT/DELETE of the things shippers install (resources.ts): found or missing exactly as
// Elasticsearch answers, so "check, then install if missing" logic in Beats and Logstash works.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EsError } from './errors.js';
import { decodeBody } from './body.js';
import { sendJson } from './reply.js';
import { ROUTE_CONFIG, type EsContext } from './context.js';
import type { Found, ResourceKind } from './resources.js';

interface KindSpec {
  kind: ResourceKind;
  path: string;
  label: string;
  /** Whether PUT needs a body (a data stream is created by name alone). */
  bodyRequired: boolean;
  render(found: Found[]): Record<string, unknown>;
  /** What a GET of a missing one answers: an error, or (legacy templates, pipelines) an empty 404. */
  missing(names: string[]): EsError | null;
}

const byName = (found: Found[], f: (x: Found) => unknown) => Object.fromEntries(found.map((x) => [x.name, f(x)]));

const KINDS: KindSpec[] = [
  {
    kind: 'index_template',
    path: '/_index_template',
    label: 'index template',
    bodyRequired: true,
    render: (found) => ({ index_templates: found.map((f) => ({ name: f.name, index_template: f.body })) }),
    missing: (names) => new EsError(404, 'resource_not_found_exception', `index template matching [${names.join(',')}] not found`),
  },
  {
    kind: 'component_template',
    path: '/_component_template',
    label: 'component template',
    bodyRequired: true,
    render: (found) => ({ component_templates: found.map((f) => ({ name: f.name, component_template: f.body })) }),
    missing: (names) => new EsError(404, 'resource_not_found_exception', `component template matching [${names.join(',')}] not found`),
  },
  {
    kind: 'template',
    path: '/_template',
    label: 'index_template',
    bodyRequired: true,
    render: (found) => byName(found, (f) => f.body),
    missing: () => null,
  },
  {
    kind: 'ilm_policy',
    path: '/_ilm/policy',
    label: 'lifecycle policy',
    bodyRequired: true,
    render: (found) =>
      byName(found, (f) => ({
        version: f.version,
        modified_date: f.modified,
        policy: (f.body as Record<string, unknown>).policy ?? f.body,
        in_use_by: { indices: [], data_streams: [], composable_templates: [] },
      })),
    missing: (names) => new EsError(404, 'resource_not_found_exception', `Lifecycle policy not found: [${names.join(',')}]`),
  },
  {
    kind: 'pipeline',
    path: '/_ingest/pipeline',
    label: 'pipeline',
    bodyRequired: true,
    render: (found) => byName(found, (f) => f.body),
    missing: () => null,
  },
  {
    kind: 'data_stream',
    path: '/_data_stream',
    label: 'data_stream',
    bodyRequired: false,
    render: (found) => ({
      data_streams: found.map((f) => ({
        name: f.name,
        timestamp_field: { name: '@timestamp' },
        indices: [],
        generation: 1,
        status: 'GREEN',
        template: '',
        hidden: false,
        system: false,
        allow_custom_routing: false,
        replicated: false,
      })),
    }),
    missing: (names) =>
      new EsError(404, 'index_not_found_exception', `no such index [${names.join(',')}]`, {
        'resource.type': 'index_or_alias',
        'resource.id': names.join(','),
        index_uuid: '_na_',
        index: names.join(','),
      }),
  },
];

const ACK = { acknowledged: true };

export function resourceRoutes(app: FastifyInstance, ctx: EsContext): void {
  const config = ROUTE_CONFIG;
  for (const spec of KINDS) {
    const get = async (req: FastifyRequest<{ Params: { name?: string } }>, reply: FastifyReply) => {
      const { found, missing } = ctx.resources.find(ctx.tenantOf(req), spec.kind, req.params.name);
      if (missing.length) {
        const err = spec.missing(missing);
        if (err) throw err;
        return sendJson(req, reply, 404, {});
      }
      return sendJson(req, reply, 200, spec.render(found));
    };
    app.get(spec.path, { config }, get);
    app.get<{ Params: { name: string } }>(`${spec.path}/:name`, { config }, get);

    const put = async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
      const tenant = ctx.tenantOf(req);
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const body = await decodeBody(raw, req.headers['content-encoding'], ctx.bodyLimit);
      let parsed: unknown = {};
      if (spec.bodyRequired || body.length > 0) parsed = jsonObject(body);
      if (spec.kind === 'data_stream' && ctx.resources.find(tenant, spec.kind, req.params.name).found.length) {
        throw new EsError(400, 'resource_already_exists_exception', `data_stream [${req.params.name}] already exists`);
      }
      ctx.resources.put(tenant, spec.kind, req.params.name, parsed, body.length);
      return sendJson(req, reply, 200, ACK);
    };
    app.route<{ Params: { name: string } }>({ method: ['PUT', 'POST'], url: `${spec.path}/:name`, config, handler: put });

    app.delete<{ Params: { name: string } }>(`${spec.path}/:name`, { config }, async (req, reply) => {
      if (!ctx.resources.delete(ctx.tenantOf(req), spec.kind, req.params.name)) {
        throw spec.missing([req.params.name]) ?? new EsError(404, 'resource_not_found_exception', `${spec.label} [${req.params.name}] missing`);
      }
      return sendJson(req, reply, 200, ACK);
    });
  }
}

function jsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new EsError(400, 'parse_exception', 'request body is required');
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new EsError(400, 'x_content_parse_exception', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new EsError(400, 'parse_exception', 'request body must be a JSON object');
  return v as Record<string, unknown>;
}
