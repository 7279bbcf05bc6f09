// OpenTelemetry OTLP/HTTP logs input: the public surface. Register with
//   await http.register(otlpRoutes, { intake, metrics, tenantExists, bodyLimit, maxLineBytes })
export { otlpRoutes, OTLP_INPUT, OTLP_LOGS_PATH } from './routes.js';
