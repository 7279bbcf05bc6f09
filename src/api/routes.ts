// Vigil's own API under /api/v1 (search, tenants, tokens) plus /healthz and /metrics.
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../core/errors.js';
import type { Metrics } from '../core/metrics.js';
import { SCOPES, type Scope } from '../config/schema.js';
import { principalOf } from '../http/server.js';
import { resolveTenant } from '../auth/principal.js';
import type { AuditLog } from '../auth/audit.js';
import type { TenantRegistry } from '../tenants/registry.js';
import type { DuckStore } from '../store/duckdb-store.js';
import { runSearch } from './search.js';
import { intParam, timeWindow } from './params.js';

export interface ApiDeps {
  store: DuckStore;
  tenants: TenantRegistry;
  audit: AuditLog;
  metrics: Metrics;
  /** True when inputs can accept data (queue not overloaded, processor running). */
  ready: () => { ok: boolean; reason?: string };
  /** Refreshes gauges before /metrics is rendered. */
  collect: () => void;
}

const MAX_LIMIT = 10_000;

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const exists = (t: string) => deps.tenants.get(t) !== undefined;

  app.get('/healthz', { config: { public: true } }, async (_req, reply) => {
    // Public so load balancers can probe it; it says only whether data can be accepted.
    const r = deps.ready();
    return reply.status(r.ok ? 200 : 503).send(r.ok ? { status: 'ok' } : { status: 'unavailable', reason: r.reason });
  });

  app.get('/metrics', { config: { scopes: ['admin'] } }, async (_req, reply) => {
    deps.collect();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.get<{ Querystring: { q?: string; from?: string; to?: string; limit?: string; tenant?: string } }>(
    '/api/v1/search',
    { config: { scopes: ['read', 'admin'] } },
    async (req) => {
      const p = principalOf(req);
      const tenant = resolveTenant(p, req.query.tenant, exists);
      const { from, to } = timeWindow(req.query, '-24h');
      const limit = intParam(req.query.limit, 'limit', 0, MAX_LIMIT, 100);
      const t0 = performance.now();
      const result = await runSearch(deps.store, { tenant, q: req.query.q ?? '', from, to, limit });
      deps.metrics.searchSeconds.observe({ kind: 'rows' in result ? 'stats' : 'hits' }, (performance.now() - t0) / 1000);
      return result;
    },
  );

  app.get('/api/v1/tenants', { config: { scopes: ['read', 'admin'] } }, async (req) => {
    const p = principalOf(req);
    const list = deps.tenants.list().filter((t) => p.scope === 'admin' || t.name === p.tenant);
    return { tenants: list };
  });

  app.post<{ Body: { name?: unknown; kind?: unknown; retention_days?: unknown; hosted_on?: unknown } }>(
    '/api/v1/tenants',
    { config: { scopes: ['admin'] } },
    async (req, reply) => {
      const p = principalOf(req);
      const b = req.body ?? {};
      const name = typeof b.name === 'string' ? b.name : '';
      const audit = { action: 'tenant-create', tokenId: p.id, sourceIp: req.ip, target: { tenant: name } };
      try {
        if (!name) throw new VigilError('bad_request', 'body needs "name"', { field: 'name' });
        if (b.kind !== undefined && b.kind !== 'tenant' && b.kind !== 'platform')
          throw new VigilError('bad_request', 'kind must be "tenant" or "platform"', { field: 'kind' });
        if (b.retention_days !== undefined && (typeof b.retention_days !== 'number' || b.retention_days <= 0))
          throw new VigilError('bad_request', 'retention_days must be a positive number', { field: 'retention_days' });
        const opts: { kind?: 'tenant' | 'platform'; retention_days?: number; hosted_on?: string } = {};
        if (b.kind) opts.kind = b.kind as 'tenant' | 'platform';
        if (typeof b.retention_days === 'number') opts.retention_days = b.retention_days;
        if (typeof b.hosted_on === 'string') opts.hosted_on = b.hosted_on;
        const t = deps.tenants.create(name, opts);
        deps.audit.admin({ ...audit, outcome: 'success' });
        return reply.status(201).send({ tenant: t });
      } catch (err) {
        deps.audit.admin({ ...audit, outcome: 'failure', reason: (err as Error).message });
        throw err;
      }
    },
  );

  app.get<{ Querystring: { tenant?: string } }>('/api/v1/tokens', { config: { scopes: ['admin'] } }, async (req) => {
    return { tokens: deps.tenants.tokens.list(req.query.tenant) };
  });

  app.post<{ Body: { tenant?: unknown; scope?: unknown } }>(
    '/api/v1/tokens',
    { config: { scopes: ['admin'] } },
    async (req, reply) => {
      const p = principalOf(req);
      const b = req.body ?? {};
      const tenant = typeof b.tenant === 'string' ? b.tenant : '';
      const scope = typeof b.scope === 'string' ? b.scope : '';
      const audit = { action: 'token-create', tokenId: p.id, sourceIp: req.ip, target: { tenant, scope } };
      try {
        if (!tenant) throw new VigilError('bad_request', 'body needs "tenant"', { field: 'tenant' });
        if (!(SCOPES as readonly string[]).includes(scope))
          throw new VigilError('bad_request', `scope must be one of ${SCOPES.join(', ')}`, { field: 'scope' });
        const { secret, info } = deps.tenants.createToken(tenant, scope as Scope);
        deps.audit.admin({ ...audit, target: { ...audit.target, token: info.id }, outcome: 'success' });
        return reply.status(201).send({ token: secret, ...info });
      } catch (err) {
        deps.audit.admin({ ...audit, outcome: 'failure', reason: (err as Error).message });
        throw err;
      }
    },
  );

  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', { config: { scopes: ['admin'] } }, async (req, reply) => {
    const p = principalOf(req);
    const ok = deps.tenants.revokeToken(req.params.id);
    deps.audit.admin({
      action: 'token-revoke',
      tokenId: p.id,
      sourceIp: req.ip,
      target: { token: req.params.id },
      outcome: ok ? 'success' : 'failure',
      ...(ok ? {} : { reason: 'no such token' }),
    });
    if (!ok) throw new VigilError('not_found', `no token with id "${req.params.id}"`);
    return reply.status(204).send();
  });
}
