// Grafana Loki push input: the public surface. Register with
//   await http.register(lokiRoutes, { intake, metrics, tenantExists, bodyLimit, maxLineBytes })
export { lokiRoutes, LOKI_INPUT, LOKI_PUSH_PATHS } from './routes.js';
