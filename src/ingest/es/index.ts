// The Elasticsearch-compatible input: register `esRoutes` on the HTTP server.
export { esRoutes, type EsRoutesDeps } from './routes.js';
export type { EsEntryMeta } from './bulk-route.js';
export { ResourceStore } from './resources.js';
export { tokenFromAuthorization } from './auth.js';
