// The rules a server runs: the built-in pack (rules/) plus the config's paths, compiled once and
// indexed. A broken or unsupported rule never stops anything: it is listed with its file, line and
// reason (at start-up in the log, and in GET /api/v1/rules), and every other rule loads.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { EcsDoc } from '../core/event.js';
import { loadRuleFiles } from './sigma/load.js';
import { compileRules } from './sigma/compile.js';
import { RuleIndex } from './sigma/rule-index.js';
import type { CompiledRule, RuleError, SigmaCorrelationDoc } from './sigma/types.js';
import type { DetectionRule, RuleMatcher } from './detector.js';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

export interface RuleSetOptions {
  paths: string[];
  builtin: boolean;
  /** Rule ids, names or titles to leave out. */
  disable: string[];
  placeholders: Record<string, string[]>;
}

export interface RuleProblem extends RuleError {
  kind: 'invalid' | 'unsupported';
}

export class RuleSet implements RuleMatcher {
  private readonly index: RuleIndex;
  private readonly byCompiled = new Map<CompiledRule, DetectionRule>();

  private constructor(
    readonly compiled: CompiledRule[],
    readonly correlations: SigmaCorrelationDoc[],
    readonly problems: RuleProblem[],
  ) {
    this.index = new RuleIndex(compiled);
    for (const c of compiled) {
      const raw = c.rule.raw as { name?: unknown };
      this.byCompiled.set(c, {
        rule: { id: c.rule.id, title: c.rule.title, level: c.rule.level, tags: c.rule.tags, ...(typeof raw?.name === 'string' ? { name: raw.name } : {}) },
        match: (d) => c.match(d),
      });
    }
  }

  static load(o: RuleSetOptions): RuleSet {
    const paths = [...(o.builtin ? [BUILTIN_RULES_DIR] : []), ...o.paths.map((p) => resolve(p))];
    const loaded = loadRuleFiles(paths);
    const off = new Set(o.disable);
    const isOff = (r: { id?: string | undefined; title?: string | undefined; raw?: unknown }) =>
      (r.id !== undefined && off.has(r.id)) || (r.title !== undefined && off.has(r.title)) || off.has(String((r.raw as { name?: unknown } | undefined)?.name ?? '\u0000'));
    const result = compileRules(
      loaded.rules.filter((r) => !isOff(r)),
      { placeholders: o.placeholders },
    );
    const problems: RuleProblem[] = [
      ...loaded.errors.map((e) => ({ ...e, kind: 'invalid' as const })),
      ...result.invalid.map((e) => ({ ...e, kind: 'invalid' as const })),
      ...result.unsupported.map((e) => ({ ...e, kind: 'unsupported' as const })),
    ];
    return new RuleSet(result.compiled, loaded.correlations.filter((c) => !isOff(c)), problems);
  }

  matching(doc: EcsDoc): DetectionRule[] {
    const matched = this.index.match(doc);
    return matched.length ? matched.map((c) => this.byCompiled.get(c)!) : [];
  }

  isBuiltin(file: string): boolean {
    return file.startsWith(BUILTIN_RULES_DIR);
  }
}
