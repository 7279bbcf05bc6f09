// The Sigma rule model as plain data (what load.ts produces and compile.ts consumes), and the shape of a
// compiled rule. Nothing here evaluates anything.
import type { EcsDoc } from '../../core/event.js';

import type { Level } from '../levels.js';
export { LEVELS } from '../levels.js';
export type SigmaLevel = Level;

export interface SigmaLogsource {
  product?: string;
  service?: string;
  category?: string;
}

/** A detection rule as written, validated but not compiled. */
export interface SigmaRule {
  id: string;
  title: string;
  status?: string;
  level: SigmaLevel;
  description?: string;
  tags: string[];
  logsource: SigmaLogsource;
  references?: string[];
  falsepositives?: string[];
  /** The file and the line its YAML document starts on. */
  file: string;
  line: number;
  /** The parsed document (after any `action: global` merge). */
  raw: unknown;
  /** Where each detection key starts (`selection`, `condition`…), so compile errors can point at it. */
  detectionLines?: Record<string, number>;
}

/** A correlation rule: parsed and kept as written until the correlation engine exists. */
export interface SigmaCorrelationDoc {
  id?: string;
  name?: string;
  title?: string;
  file: string;
  line: number;
  raw: unknown;
}

/** A rule that could not be loaded or compiled, or a warning about one that was. */
export interface RuleError {
  file: string;
  line: number;
  id?: string;
  title?: string;
  reason: string;
}

export interface LoadResult {
  rules: SigmaRule[];
  correlations: SigmaCorrelationDoc[];
  /** Documents that were not loaded. */
  errors: RuleError[];
  /** Documents that loaded with something worth knowing (no id, no level…). */
  warnings: RuleError[];
}

export interface SelectionResult {
  name: string;
  matched: boolean;
}

export interface CompiledRule {
  rule: SigmaRule;
  match(doc: EcsDoc): boolean;
  /** Each named search identifier, and whether it matched this event (the logsource condition aside). */
  explain(doc: EcsDoc): SelectionResult[];
  /** The ECS fields the rule (and its logsource condition) reads. */
  fields: string[];
}
