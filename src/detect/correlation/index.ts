// Sigma correlation rules: parsing and streaming evaluation. The public surface of this folder.
export { CorrelationEngine, DEFAULT_MAX_EVENTS_PER_WINDOW, DEFAULT_MAX_GROUPS, type EngineOptions, type EngineStats } from './engine.js';
export { identityPaths, type FieldPaths } from './fields.js';
export { parseCorrelation, parseCorrelations, type CorrelationSource, type ParseResult } from './parse.js';
export { ruleResolver, type BaseRule, type RuleResolver } from './resolve.js';
export { parseTimespan } from './timespan.js';
export * from './types.js';
