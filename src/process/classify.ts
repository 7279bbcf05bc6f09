// Classification: which catalogue requirements and principles an event evidences. Runs once per event
// in the process stage, after parsing, with every selector compiled to a closure up front.
//   - selectors: a requirement's ECS query (catalog/*.yaml) matched against the event;
//   - parser claims: a parser's own tags stay (it knows vendor semantics an ECS query cannot see, such
//     as Entra ID error 50053 meaning a lockout), so the result is their union;
//   - derived rules (B1.5): `then` after one or more `after` events with the same `by` values inside
//     the window marks the `then` event, with vigil.sequence.count / .first saying what preceded it.
//   - field completeness: for each requirement the event evidences, the required fields it lacks, as
//     "ID/field" in vigil.coverage.missing, so coverage counts them from a column instead of parsing
//     every event's JSON (the catalogue as loaded when the event was processed decides).
// Selectors are indexed by the event.category they require, so an event is tested only against the
// selectors that can match it.
import { eventTimeMs, getPath, pathReader, type EcsDoc } from '../core/event.js';
import type { Catalog, CatalogEntry, DeriveRule } from '../catalog/catalog.js';
import type { Expr } from '../ql/ast.js';
import { present, PredicateSet, type EvalContext, type FieldKind, type Test } from '../ql/predicate.js';
import { HOT_BY_FIELD } from '../store/schema.js';

interface Compiled {
  id: string;
  principle: boolean;
  test: Test;
}

interface CompiledDerive {
  id: string;
  principle: boolean;
  rule: DeriveRule;
  after: Test;
  then: Test;
}

/** Per tenant and key: how many `after` events, the first and last one's time (ms). */
interface SequenceState {
  count: number;
  first: number;
  last: number;
}

export interface ClassifierOptions {
  /** Keys remembered per tenant and derive rule; the least recently seen go first. */
  maxKeys?: number;
}

const kindOf = (field: string): FieldKind | undefined => HOT_BY_FIELD.get(field)?.kind;

export class Classifier {
  private readonly anyCategory: Compiled[] = [];
  private readonly byCategory = new Map<string, Compiled[]>();
  private readonly derived: CompiledDerive[] = [];
  private readonly state = new Map<string, Map<string, SequenceState>>();
  private readonly maxKeys: number;
  // One set for every selector: a field many of them read is read once per event.
  private readonly predicates = new PredicateSet({ kindOf });
  /** Per entry id: its fields' names and readers. */
  private readonly fields = new Map<string, { name: string; read: ReturnType<typeof pathReader>[] }[]>();

  constructor(readonly catalog: Catalog, opts: ClassifierOptions = {}) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    for (const e of catalog.leaves()) {
      const principle = e.kind === 'principle';
      // Optional fields too: coverage reports their completeness, only without calling a row partial.
      if (e.fields.length) this.fields.set(e.id, e.fields.map((f) => ({ name: f.name, read: f.paths.map(pathReader) })));
      if (e.selector) {
        const c: Compiled = { id: e.id, principle, test: this.predicates.compile(e.selector.expr) };
        const cats = requiredCategories(e.selector.expr);
        if (!cats) this.anyCategory.push(c);
        else for (const cat of cats) this.byCategory.set(cat, [...(this.byCategory.get(cat) ?? []), c]);
      }
      if (e.derive) this.derived.push(compileDerive(e, principle, this.predicates));
    }
  }

  /** Adds to doc.vigil.requirements / .principles what the event evidences (keeping the parser's tags). */
  classify(doc: EcsDoc, tenant: string): void {
    let reqs: Set<string> | undefined;
    let prins: Set<string> | undefined;
    const add = (id: string, principle: boolean) => {
      if (principle) (prins ??= new Set()).add(id);
      else (reqs ??= new Set()).add(id);
    };
    const ctx = this.predicates.context(doc);
    for (const c of this.anyCategory) if (c.test(ctx)) add(c.id, c.principle);
    const cats = (doc.event as EcsDoc | undefined)?.category;
    if (this.byCategory.size && cats !== undefined) {
      for (const cat of Array.isArray(cats) ? cats : [cats]) {
        const list = typeof cat === 'string' ? this.byCategory.get(cat) : undefined;
        if (list) for (const c of list) if (c.test(ctx)) add(c.id, c.principle);
      }
    }
    for (const d of this.derived) if (this.sequence(d, ctx, tenant)) add(d.id, d.principle);
    const vigil = doc.vigil as EcsDoc | undefined;
    if (!reqs && !prins && !vigil?.requirements && !vigil?.principles) return;
    const v = (doc.vigil ??= {}) as EcsDoc;
    if (reqs) v.requirements = union(v.requirements, reqs);
    if (prins) v.principles = union(v.principles, prins);
    const missing = this.missingFields(doc, [...asList(v.requirements), ...asList(v.principles)]);
    if (missing.length) v.coverage = { ...(v.coverage as EcsDoc | undefined), missing };
  }

  /** "ID/field" for every catalogue field of the evidenced entries that the event does not carry. */
  private missingFields(doc: EcsDoc, ids: string[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const fields = this.fields.get(id);
      if (!fields) continue;
      for (const f of fields) if (!f.read.some((r) => present(r(doc)))) out.push(`${id}/${f.name}`);
    }
    return out;
  }

  /** Updates the rule's state with this event; true when it completes the sequence. */
  private sequence(d: CompiledDerive, ctx: EvalContext, tenant: string): boolean {
    const doc = ctx.doc;
    const isAfter = d.after(ctx);
    const isThen = !isAfter && d.then(ctx);
    if (!isAfter && !isThen) return false;
    const key = keyOf(doc, d.rule.by);
    if (key === null) return false;
    const stateKey = `${tenant}\u0000${d.id}`;
    let m = this.state.get(stateKey);
    if (!m) this.state.set(stateKey, (m = new Map()));
    const t = eventTimeMs(doc);
    const s = m.get(key);
    if (isAfter) {
      m.delete(key); // re-insert at the end: Map order is the eviction order
      if (s && t - s.last <= d.rule.withinMs) m.set(key, { count: s.count + 1, first: s.first, last: t });
      else m.set(key, { count: 1, first: t, last: t });
      if (m.size > this.maxKeys) m.delete(m.keys().next().value!);
      return false;
    }
    if (!s) return false;
    m.delete(key);
    if (t - s.last > d.rule.withinMs || t < s.first) return false;
    const vigil = (doc.vigil ??= {}) as EcsDoc;
    vigil.sequence = { count: s.count, first: new Date(s.first).toISOString() };
    return true;
  }
}

function compileDerive(e: CatalogEntry, principle: boolean, set: PredicateSet): CompiledDerive {
  const rule = e.derive!;
  return { id: e.id, principle, rule, after: set.compile(rule.after), then: set.compile(rule.then) };
}

/**
 * The event.category values an expression requires, when it requires one: `event.category:x and ...`,
 * `event.category:(x or y) and ...`, or an `or` whose every branch requires one. Null when it can
 * match events of any category.
 */
export function requiredCategories(e: Expr): string[] | null {
  switch (e.type) {
    case 'match':
      return e.field === 'event.category' && !(e.wildcard && e.value.includes('*')) ? [e.value] : null;
    case 'and': {
      // Any one item's requirement is the whole conjunction's; the first found will do.
      for (const item of e.items) {
        const c = requiredCategories(item);
        if (c) return c;
      }
      return null;
    }
    case 'or': {
      // Every branch must require one, or an event of any category could match.
      const parts = e.items.map(requiredCategories);
      return parts.every((p) => p !== null) ? [...new Set(parts.flat() as string[])] : null;
    }
    default:
      return null;
  }
}

function keyOf(doc: EcsDoc, by: readonly string[]): string | null {
  const parts: string[] = [];
  for (const f of by) {
    const v = getPath(doc, f);
    if (v === undefined || v === null || typeof v === 'object') return null;
    parts.push(String(v));
  }
  return parts.join('\u0000');
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function union(existing: unknown, more: Set<string>): string[] {
  const out = Array.isArray(existing) ? existing.filter((x): x is string => typeof x === 'string') : [];
  for (const x of more) if (!out.includes(x)) out.push(x);
  return out;
}
