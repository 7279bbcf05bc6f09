// GET /api/v1/catalog, /api/v1/coverage and /api/v1/sources: what a tenant must collect, what it does
// collect, and which of its sources have gone quiet.
//
// Isolation: a read token sees only its own tenant. The one view that names other tenants is a
// platform's coverage, which lists the tenants hosted on it with their statuses and the requirement ids
// they still owe (no events, counts or sources of theirs): the seed's supply-chain assurance, which the
// operator opted into by declaring `hosted_on`.
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../core/errors.js';
import { principalOf } from '../http/server.js';
import { resolveTenant } from '../auth/principal.js';
import type { TenantRegistry } from '../tenants/registry.js';
import type { DuckStore } from '../store/duckdb-store.js';
import type { Catalog } from '../catalog/catalog.js';
import { timeWindow } from './params.js';
import { computeCoverage } from '../query/coverage.js';
import { listSources, type SilencePolicy } from '../query/sources.js';

export interface CoverageDeps {
  store: DuckStore;
  tenants: TenantRegistry;
  catalog: Catalog;
  silence: SilencePolicy;
}

export async function coverageRoutes(app: FastifyInstance, deps: CoverageDeps): Promise<void> {
  const exists = (t: string) => deps.tenants.get(t) !== undefined;

  app.get<{ Querystring: { kind?: string } }>('/api/v1/catalog', { config: { scopes: ['read', 'admin'] } }, async (req) => {
    const kind = req.query.kind;
    if (kind !== undefined && kind !== 'principle' && kind !== 'requirement') {
      throw new VigilError('bad_request', 'kind must be "principle" or "requirement"', { parameter: 'kind' });
    }
    return {
      frameworks: deps.catalog.frameworks.map((f) => ({ id: f.id, title: f.title, kind: f.kind, ...(f.url ? { url: f.url } : {}) })),
      tiers: deps.catalog.tiers(),
      entries: deps.catalog.entries
        .filter((e) => !kind || e.kind === kind)
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          framework: e.framework,
          title: e.title,
          tier: e.tier,
          group: e.parent ?? null,
          items: e.items,
          principles: e.principles,
          technologies: e.technologies,
          text: e.text,
          selector: e.selector?.text ?? null,
          ...(e.derive ? { derive: e.derive.source } : {}),
          ...(e.allEvents ? { all_events: true } : {}),
          fields: e.fields.map((f) => ({ name: f.name, paths: f.paths, optional: f.optional })),
        })),
    };
  });

  app.get<{ Querystring: { tenant?: string; tier?: string; from?: string; to?: string } }>(
    '/api/v1/coverage',
    { config: { scopes: ['read', 'admin'] } },
    async (req) => {
      const p = principalOf(req);
      const name = resolveTenant(p, req.query.tenant, exists);
      const tenant = deps.tenants.get(name)!;
      const tier = req.query.tier ?? 'all';
      const tiers = deps.catalog.tiers();
      if (tier !== 'all' && !tiers.includes(tier)) {
        throw new VigilError('bad_request', `tier must be one of all, ${tiers.join(', ')}`, { parameter: 'tier' });
      }
      const { from, to, now } = timeWindow(req.query, '-7d');
      const sources = await listSources(deps.store, deps.silence, name, now);
      return computeCoverage(deps.store, deps.catalog, { tenant, tier, from, to, tenants: deps.tenants.list(), sources });
    },
  );

  app.get<{ Querystring: { tenant?: string; status?: string } }>('/api/v1/sources', { config: { scopes: ['read', 'admin'] } }, async (req) => {
    const p = principalOf(req);
    const name = resolveTenant(p, req.query.tenant, exists);
    const status = req.query.status;
    if (status !== undefined && status !== 'active' && status !== 'silent') {
      throw new VigilError('bad_request', 'status must be "active" or "silent"', { parameter: 'status' });
    }
    const sources = (await listSources(deps.store, deps.silence, name)).filter((s) => !status || s.status === status);
    return { tenant: name, sources };
  });
}
