// Builds the correlation engine from the correlation documents a rule set loaded: parse them, resolve
// their references (to detection rules by id or name, or to other correlations for chaining), and keep
// every one that cannot run as a problem with file, line and reason. The rest run.
import { CorrelationEngine, parseCorrelations, ruleResolver, type CorrelationError, type CorrelationRule } from './correlation/index.js';
import type { RuleSet } from './rule-set.js';

export interface Correlation {
  engine: CorrelationEngine;
  rules: CorrelationRule[];
  problems: CorrelationError[];
}

export function buildCorrelator(rules: RuleSet, opts: { maxGroups?: number } = {}): Correlation {
  const parsed = parseCorrelations(rules.correlations.map((c) => ({ raw: c.raw, file: c.file, line: c.line })));
  const base = rules.compiled.map((c) => {
    const name = (c.rule.raw as { name?: unknown } | null)?.name;
    return { id: c.rule.id, ...(typeof name === 'string' ? { name } : {}) };
  });
  const engine = new CorrelationEngine(parsed.rules, ruleResolver(base), opts.maxGroups ? { maxGroups: opts.maxGroups } : {});
  const broken = new Set(engine.errors.map((e) => `${e.file}:${e.line}`));
  return {
    engine,
    rules: parsed.rules.filter((r) => !broken.has(`${r.file}:${r.line}`)),
    problems: [...parsed.errors, ...engine.errors],
  };
}
