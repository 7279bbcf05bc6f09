// ECS names that shipper inputs (Fluent forward, OTLP) keep free for ECS's own objects: a plain value a
// sender puts under one of them is moved to the field's obvious home, or aside, instead of clashing.

/** Top-level ECS field sets. Each input adds the names of its own (vigil, fluent; otel, trace, …). */
export const ECS_FIELD_SETS: readonly string[] = [
  'agent', 'client', 'cloud', 'container', 'data_stream', 'destination', 'dll', 'dns', 'ecs', 'email', 'error', 'event', 'faas',
  'file', 'group', 'host', 'http', 'log', 'network', 'observer', 'orchestrator', 'organization', 'package', 'process', 'registry',
  'related', 'rule', 'server', 'service', 'source', 'threat', 'tls', 'url', 'user', 'user_agent', 'vulnerability',
];

/** Where a plain value under an ECS object name has an obvious home (host: "web1" -> host.name). */
export const PLAIN_HOME: Readonly<Record<string, string>> = { host: 'name', service: 'name', user: 'name', error: 'message', url: 'original', file: 'path' };
