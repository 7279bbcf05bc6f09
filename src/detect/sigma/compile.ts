// A Sigma detection rule -> a predicate over ECS events, compiled once: the logsource becomes extra
// conditions from the field mapping, each search identifier a tree of matchers, the condition a tree
// over them. Problems throw RuleInvalid (the rule is wrong) or RuleUnsupported (valid Sigma that Vigil
// cannot run, with the reason); compileRules collects both for a whole rule set.
import type { EcsDoc } from '../../core/event.js';
import { ConditionError, parseCondition, resolveCondition, type Resolved } from './condition.js';
import { RuleInvalid, RuleUnsupported } from './errors.js';
import { FIELDS, type Ev } from './field-values.js';
import { defaultFieldMapping, resolveLogsource, type FieldMapping } from './mapping.js';
import type { FieldResolver, Item } from './modifiers.js';
import { compileSelection } from './selection.js';
import { buildTest, type Node, type Test } from './tree.js';
import type { CompiledRule, RuleError, SelectionResult, SigmaRule } from './types.js';

export interface CompileOptions {
  /** The logsource and field mapping; Vigil's ECS mapping (ecs-mapping.yaml) when omitted. */
  mapping?: FieldMapping;
  /** Values for `%name%` placeholders of the `expand` modifier. */
  placeholders?: Record<string, string[]>;
}

/** The name the logsource conditions go by in the tree (parentheses cannot appear in an identifier). */
export const LOGSOURCE = '(logsource)';

export class CompiledSigmaRule implements CompiledRule {
  readonly fields: string[];
  /** The whole rule: the logsource conditions and the detection condition. */
  readonly tree: Node;
  readonly selections: { name: string; node: Node; test: Test }[];
  private readonly test: Test;

  constructor(
    readonly rule: SigmaRule,
    readonly logsource: Node | undefined,
    readonly detection: Node,
    selections: Map<string, Node>,
  ) {
    this.tree = logsource ? { k: 'and', xs: [logsource, detection] } : detection;
    this.test = buildTest(this.tree);
    this.selections = [...selections].map(([name, node]) => ({ name, node, test: buildTest(node) }));
    this.fields = [...new Set(items(this.tree).flatMap((i) => [...i.field.spec.paths, ...i.groups.flat().flatMap((m) => (m.kind === 'fieldref' ? m.other.spec.paths : []))]))];
  }

  match(doc: EcsDoc): boolean {
    return this.test(FIELDS.begin(doc));
  }

  /** Evaluation on an event already begun (the index shares one across candidate rules). */
  matchEv(ev: Ev): boolean {
    return this.test(ev);
  }

  explain(doc: EcsDoc): SelectionResult[] {
    const ev = FIELDS.begin(doc);
    return this.selections.map((s) => ({ name: s.name, matched: s.test(ev) }));
  }
}

/** Every detection item under a node. */
export function items(n: Node, out: Item[] = []): Item[] {
  switch (n.k) {
    case 'item':
      out.push(n.item);
      break;
    case 'not':
    case 'sel':
      items(n.x, out);
      break;
    default:
      for (const x of n.xs) items(x, out);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function compileRule(rule: SigmaRule, opts: CompileOptions = {}): CompiledSigmaRule {
  const mapping = opts.mapping ?? defaultFieldMapping();
  const raw = rule.raw as Record<string, unknown>;
  const detection = raw.detection;
  if (!isRecord(detection)) throw new RuleInvalid('no detection', 'detection');

  const resolved = resolveLogsource(mapping, rule.logsource);
  const resolver: FieldResolver = { ...resolved.resolver, ...(opts.placeholders && { placeholders: opts.placeholders }) };

  const selections = new Map<string, Node>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    selections.set(name, compileSelection(name, value, resolver));
  }
  const names = [...selections.keys()];
  const conds = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
  if (detection.timeframe !== undefined) throw new RuleUnsupported('timeframe in the detection (legacy aggregation): write it as a correlation rule', 'timeframe');
  const trees = conds.map((c) => {
    const src = String(c);
    let ast;
    try {
      ast = parseCondition(src);
    } catch (e) {
      if (e instanceof RuleUnsupported) throw new RuleUnsupported(e.reason, 'condition');
      if (e instanceof ConditionError) throw new RuleInvalid(`condition '${src}': ${e.message}`, 'condition');
      throw e;
    }
    return toNode(resolveCondition(ast, names, src), selections);
  });
  const det: Node = trees.length === 1 ? trees[0]! : { k: 'or', xs: trees };

  // The logsource conditions are written over ECS names, so they read fields as written.
  const ecs: FieldResolver = { field: (name) => ({ paths: [name], mode: 'first' }), keywords: resolver.keywords };
  const ls = resolved.conditions.map((c, i) => compileSelection(`${LOGSOURCE}#${i}`, c, ecs));
  const logsource: Node | undefined = ls.length === 0 ? undefined : { k: 'sel', name: LOGSOURCE, x: ls.length === 1 ? ls[0]! : { k: 'and', xs: ls } };
  return new CompiledSigmaRule(rule, logsource, det, selections);
}

function toNode(r: Resolved, selections: Map<string, Node>): Node {
  switch (r.t) {
    case 'ref':
      return selections.get(r.name)!;
    case 'not':
      return { k: 'not', x: toNode(r.x, selections) };
    case 'atleast':
      return { k: 'atleast', n: r.n, xs: r.xs.map((x) => toNode(x, selections)) };
    default:
      return { k: r.t, xs: r.xs.map((x) => toNode(x, selections)) };
  }
}

export interface CompileResult {
  compiled: CompiledSigmaRule[];
  /** Valid rules Vigil cannot run, each with its reason. */
  unsupported: RuleError[];
  /** Broken rules. */
  invalid: RuleError[];
}

/** A whole rule set: every rule that compiles, and every one that does not with its file, line and reason. */
export function compileRules(rules: readonly SigmaRule[], opts: CompileOptions = {}): CompileResult {
  const out: CompileResult = { compiled: [], unsupported: [], invalid: [] };
  for (const rule of rules) {
    try {
      out.compiled.push(compileRule(rule, opts));
    } catch (e) {
      if (!(e instanceof RuleUnsupported || e instanceof RuleInvalid)) throw e;
      const line = (e.key && rule.detectionLines?.[e.key]) || rule.line;
      const err: RuleError = { file: rule.file, line, id: rule.id, title: rule.title, reason: e.reason };
      (e instanceof RuleUnsupported ? out.unsupported : out.invalid).push(err);
    }
  }
  return out;
}
