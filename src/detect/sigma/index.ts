// The Sigma engine's public surface: load rule files, compile rules (with Vigil's ECS mapping), index
// them for per-event matching, and explain a match.
export { loadRuleFiles, parseRuleText, ruleFiles } from './load.js';
export { compileRule, compileRules, CompiledSigmaRule, type CompileOptions, type CompileResult } from './compile.js';
export { RuleInvalid, RuleUnsupported } from './errors.js';
export { defaultFieldMapping, loadFieldMapping, parseFieldMapping, passthroughMapping, DEFAULT_MAPPING_FILE, MappingError, type FieldMapping } from './mapping.js';
export { RuleIndex, type IndexStats } from './rule-index.js';
export { explain, type Explanation } from './explain.js';
export type { CompiledRule, LoadResult, RuleError, SelectionResult, SigmaCorrelationDoc, SigmaLevel, SigmaLogsource, SigmaRule } from './types.js';
