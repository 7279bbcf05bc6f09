// GET /api/v1/alerts (a tenant's alerts by time, rule and level, with their delivery state) and
// GET /api/v1/rules (what is loaded, and every rule that is not, with file, line and reason).
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../core/errors.js';
import { principalOf } from '../http/server.js';
import { resolveTenant } from '../auth/principal.js';
import type { TenantRegistry } from '../tenants/registry.js';
import type { DuckStore } from '../store/duckdb-store.js';
import { intParam, timeWindow } from './params.js';
import { alertColumns, alertView } from '../detect/notify/alert-view.js';
import { isLevel, LEVEL_RANK, LEVELS } from '../detect/levels.js';

export interface RulesView {
  rules: { id: string; title: string; kind: 'rule' | 'correlation'; level: string; tags: string[]; logsource?: unknown; file: string; builtin: boolean }[];
  errors: { file: string; line: number; id?: string | undefined; title?: string | undefined; reason: string }[];
}

export interface AlertDeps {
  store: DuckStore;
  tenants: TenantRegistry;
  rules: () => RulesView;
}

const MAX_LIMIT = 1000;

export async function alertRoutes(app: FastifyInstance, deps: AlertDeps): Promise<void> {
  const exists = (t: string) => deps.tenants.get(t) !== undefined;

  app.get<{ Querystring: { tenant?: string; from?: string; to?: string; rule?: string; level?: string; min_level?: string; limit?: string } }>(
    '/api/v1/alerts',
    { config: { scopes: ['read', 'admin'] } },
    async (req) => {
      const p = principalOf(req);
      const tenant = resolveTenant(p, req.query.tenant, exists);
      const { from, to } = timeWindow(req.query, '-24h');
      const limit = intParam(req.query.limit, 'limit', 1, MAX_LIMIT, 100);
      const where = ['a.tenant = $1', 'a.last_time >= CAST($2 AS TIMESTAMP)', 'a.first_time < CAST($3 AS TIMESTAMP)'];
      const params: (string | number)[] = [tenant, from.toISOString(), to.toISOString()];
      if (req.query.rule) {
        params.push(req.query.rule);
        where.push(`(a.rule_id = $${params.length} OR a.rule_title = $${params.length})`);
      }
      const levels = levelFilter(req.query.level, req.query.min_level);
      if (levels) where.push(`a.level IN (${levels.map((l) => `'${l}'`).join(', ')})`);
      const { rows } = await deps.store.query(
        `SELECT ${alertColumns('a')},
                (SELECT list({destination: o.destination, attempts: o.attempts, failed: o.failed, last_error: o.last_error}) FROM outbox o WHERE o.alert_id = a.id) AS pending,
                count(*) OVER () AS total
           FROM alerts a WHERE ${where.join(' AND ')} ORDER BY a.last_time DESC LIMIT ${limit}`,
        params,
      );
      return {
        tenant,
        total: rows.length ? Number(rows[0]!.total) : 0,
        alerts: rows.map((r) => ({ ...alertView(r), deliveries_pending: (r.pending as unknown[] | null) ?? [] })),
      };
    },
  );

  app.get('/api/v1/rules', { config: { scopes: ['read', 'admin'] } }, async () => deps.rules());
}

/** Levels to show: `level=high,critical` exactly, or `min_level=high` and above. */
function levelFilter(level: string | undefined, min: string | undefined): string[] | null {
  if (level !== undefined) {
    const list = level.split(',').map((s) => s.trim());
    for (const l of list) if (!isLevel(l)) throw new VigilError('bad_request', `level must be one of ${LEVELS.join(', ')}`, { parameter: 'level' });
    return list;
  }
  if (min !== undefined) {
    if (!isLevel(min)) throw new VigilError('bad_request', `min_level must be one of ${LEVELS.join(', ')}`, { parameter: 'min_level' });
    return LEVELS.filter((l) => LEVEL_RANK[l] >= LEVEL_RANK[min]);
  }
  return null;
}
