// What the route groups of the Elasticsearch surface share.
import type { FastifyRequest } from 'fastify';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Scope } from '../../config/schema.js';
import type { ResourceStore } from './resources.js';
import { tokenFromAuthorization } from './auth.js';

export const INPUT = 'elasticsearch';

/** Every route: an ingest or admin token, read from the shipper's own Authorization scheme. */
export const ROUTE_CONFIG: { scopes: readonly Scope[]; token: (req: FastifyRequest) => string | null } = {
  scopes: ['ingest', 'admin'],
  token: (req) => tokenFromAuthorization(req.headers.authorization),
};

export interface EsContext {
  intake: Intake;
  metrics: Metrics;
  bodyLimit: number;
  maxLineBytes: number;
  maxInflightBytes: number;
  /** The version number GET / reports. */
  version: string;
  resources: ResourceStore;
  /** The tenant a request writes to: the token's, or `?tenant=` for an admin token. */
  tenantOf(req: FastifyRequest): string;
}
