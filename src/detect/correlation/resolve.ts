// Turns correlation rules into a wiring plan: what each referenced rule is (a detection rule or another
// correlation), which correlations consume which inputs, what each alias reads per input, and which
// rules are not to alert on their own (`generate: false`). Correlations that cannot be wired — an
// unknown reference, a cycle, a reference to a correlation that is itself disabled — are reported and
// left out; the rest still run.
import type { CorrelationError, CorrelationRule } from './types.js';

export interface BaseRule {
  id: string;
  name?: string;
}

/** Tells which detection rules exist: a reference (id or name) to the rule, or undefined. */
export interface RuleResolver {
  resolve(ref: string): BaseRule | undefined;
}

/** A resolver over a list of detection rules; ids win over names. */
export function ruleResolver(rules: Iterable<BaseRule>): RuleResolver {
  const byId = new Map<string, BaseRule>();
  const byName = new Map<string, BaseRule>();
  for (const r of rules) {
    byId.set(r.id, r);
    if (r.name !== undefined) byName.set(r.name, r);
  }
  return { resolve: (ref) => byId.get(ref) ?? byName.get(ref) };
}

/** An input to correlations: `rule:<detection rule id>` or `corr:<correlation id>`. */
export type SourceKey = string;
export const ruleSource = (id: string): SourceKey => `rule:${id}`;
export const corrSource = (id: string): SourceKey => `corr:${id}`;

export interface Plan {
  rule: CorrelationRule;
  /** The input each entry of correlation.rules resolved to. */
  sources: SourceKey[];
  /** Per entry of correlation.rules: alias -> the field it reads in that rule's events. */
  aliasFields: Record<string, string>[];
  /** Whether its own firings are alerts (false when only generate:false correlations consume it). */
  reportable: boolean;
}

export interface Wiring {
  /** Enabled correlations by id, inner ones before the ones that consume them. */
  plans: Map<string, Plan>;
  /** Who consumes each input, and as which of its rules. */
  consumers: Map<SourceKey, { plan: Plan; rule: number }[]>;
  errors: CorrelationError[];
  /** False for an input that enabled correlations consume and none of them with generate: true. */
  generates(key: SourceKey): boolean;
}

/** precheck: a reason to leave a correlation out before wiring (engine limits), or undefined. */
export function wire(rules: readonly CorrelationRule[], resolver: RuleResolver, precheck?: (r: CorrelationRule) => string | undefined): Wiring {
  const errors: CorrelationError[] = [];
  const fail = (r: CorrelationRule, reason: string): void => {
    errors.push({ file: r.file, line: r.line, id: r.id, title: r.title, reason });
  };
  const byId = new Map<string, CorrelationRule>();
  const byName = new Map<string, CorrelationRule>();
  for (const r of rules) {
    if (byId.has(r.id)) {
      fail(r, `correlation id '${r.id}' is used twice`);
      continue;
    }
    byId.set(r.id, r);
    if (r.name !== undefined && !byName.has(r.name)) byName.set(r.name, r);
  }
  const lookup = (ref: string): SourceKey | undefined => {
    const c = byId.get(ref) ?? byName.get(ref);
    if (c) return corrSource(c.id);
    const b = resolver.resolve(ref);
    return b ? ruleSource(b.id) : undefined;
  };

  // Resolve references and aliases; anything unresolved disables the correlation.
  const draft = new Map<string, Plan>();
  for (const r of byId.values()) {
    const pre = precheck?.(r);
    if (pre) {
      fail(r, pre);
      continue;
    }
    const c = r.correlation;
    const sources: SourceKey[] = [];
    let ok = true;
    for (const ref of c.rules) {
      const key = lookup(ref);
      if (key === undefined) {
        fail(r, `correlation.rules: no rule or correlation has id or name '${ref}'`);
        ok = false;
      } else if (key === corrSource(r.id)) {
        fail(r, `correlation.rules: the correlation refers to itself ('${ref}')`);
        ok = false;
      } else if (sources.includes(key)) {
        fail(r, `correlation.rules: '${ref}' is the same rule as another entry`);
        ok = false;
      }
      sources.push(key ?? '');
    }
    const aliasFields = c.rules.map(() => ({}) as Record<string, string>);
    for (const [alias, mapping] of Object.entries(c.aliases ?? {})) {
      for (const [ref, field] of Object.entries(mapping)) {
        const i = sources.indexOf(lookup(ref) ?? '\u0000');
        if (i < 0) {
          fail(r, `alias '${alias}' maps '${ref}', which is not one of correlation.rules`);
          ok = false;
        } else aliasFields[i]![alias] = field;
      }
    }
    if (ok) draft.set(r.id, { rule: r, sources, aliasFields, reportable: true });
  }

  // Order inner before outer, leaving out cycles and anything built on a disabled correlation.
  const plans = new Map<string, Plan>();
  const state = new Map<string, 'visiting' | 'done' | 'failed'>();
  const visit = (id: string, path: string[]): boolean => {
    const s = state.get(id);
    if (s === 'done') return true;
    if (s === 'failed') return false;
    const plan = draft.get(id);
    if (!plan) return false;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id].join(' -> ');
      fail(plan.rule, `correlations refer to each other in a cycle: ${cycle}`);
      state.set(id, 'failed');
      return false;
    }
    state.set(id, 'visiting');
    let ok = true;
    for (const key of plan.sources) {
      if (!key.startsWith('corr:')) continue;
      const inner = key.slice(5);
      if (!visit(inner, [...path, id])) {
        if (state.get(id) !== 'failed') fail(plan.rule, `it refers to correlation '${inner}', which is not running`);
        ok = false;
      }
    }
    state.set(id, ok ? 'done' : 'failed');
    if (ok) plans.set(id, plan);
    return ok;
  };
  for (const id of draft.keys()) visit(id, []);

  const consumers = new Map<SourceKey, { plan: Plan; rule: number }[]>();
  for (const plan of plans.values()) {
    plan.sources.forEach((key, rule) => {
      const list = consumers.get(key) ?? [];
      list.push({ plan, rule });
      consumers.set(key, list);
    });
  }
  const generates = (key: SourceKey): boolean => {
    const list = consumers.get(key);
    return !list || list.some((c) => c.plan.rule.correlation.generate === true);
  };
  for (const plan of plans.values()) plan.reportable = generates(corrSource(plan.rule.id));
  return { plans, consumers, errors, generates };
}
