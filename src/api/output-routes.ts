// GET /api/v1/outputs: each re-forwarding output's state, counts, backlog and last error. Outputs are
// the platform's plumbing (they name peers and span tenants), so only admins see them.
import type { FastifyInstance } from 'fastify';

export interface OutputRoutesDeps {
  /** The forward stage's snapshot of every output. */
  outputs: () => unknown[];
}

export async function outputRoutes(app: FastifyInstance, deps: OutputRoutesDeps): Promise<void> {
  app.get('/api/v1/outputs', { config: { scopes: ['admin'] } }, async () => ({ outputs: deps.outputs() }));
}
