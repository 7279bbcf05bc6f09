// Splunk HTTP Event Collector input: the public surface. Register with
//   await http.register(hecRoutes, { intake, metrics, tenantExists, bodyLimit, maxLineBytes })
export { hecRoutes, HEC_INPUT, type HecDeps } from './routes.js';
export { HEC_REPLIES, type HecReplyKey } from './replies.js';
