// Classification: which catalogue requirements and principles an event evidences. Runs once per event
// in the process stage, after parsing, with every selector compiled to a closure up front.
//   - selectors: a requirement's ECS query (catalog/*.yaml) matched against the event;
//   - parser claims: a parser's own tags stay (it knows vendor semantics an ECS query cannot see, such
//     as Entra ID error 50053 meaning a lockout), so the result is their union;
//   - derived rules (B1.5): `then` after one or more `after` events with the same `by` values inside
//     the window marks the `then` event, with vigil.sequence.count / .first saying what preceded it.
// Selectors are indexed by the event.category they require, so an event is tested only against the
// selectors that can match it.
import { getPath, type EcsDoc } from '../core/event.js';
import type { Catalog, CatalogEntry, DeriveRule } from '../catalog/catalog.js';
import type { Expr } from '../ql/ast.js';
import { compilePredicate, type FieldKind, type Predicate } from '../ql/predicate.js';
import { HOT_BY_FIELD } from '../store/schema.js';

interface Compiled {
  id: string;
  principle: boolean;
  test: Predicate;
}

interface CompiledDerive {
  id: string;
  principle: boolean;
  rule: DeriveRule;
  after: Predicate;
  then: Predicate;
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

  constructor(readonly catalog: Catalog, opts: ClassifierOptions = {}) {
    this.maxKeys = opts.maxKeys ?? 100_000;
    for (const e of catalog.leaves()) {
      const principle = e.kind === 'principle';
      if (e.selector) {
        const c: Compiled = { id: e.id, principle, test: compilePredicate(e.selector.expr, { kindOf }) };
        const cats = requiredCategories(e.selector.expr);
        if (!cats) this.anyCategory.push(c);
        else for (const cat of cats) this.byCategory.set(cat, [...(this.byCategory.get(cat) ?? []), c]);
      }
      if (e.derive) this.derived.push(compileDerive(e, principle));
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
    for (const c of this.anyCategory) if (c.test(doc)) add(c.id, c.principle);
    const cats = (doc.event as EcsDoc | undefined)?.category;
    if (this.byCategory.size && cats !== undefined) {
      for (const cat of Array.isArray(cats) ? cats : [cats]) {
        const list = typeof cat === 'string' ? this.byCategory.get(cat) : undefined;
        if (list) for (const c of list) if (c.test(doc)) add(c.id, c.principle);
      }
    }
    for (const d of this.derived) if (this.sequence(d, doc, tenant)) add(d.id, d.principle);
    if (!reqs && !prins) return;
    const vigil = (doc.vigil ??= {}) as EcsDoc;
    if (reqs) vigil.requirements = union(vigil.requirements, reqs);
    if (prins) vigil.principles = union(vigil.principles, prins);
  }

  /** Updates the rule's state with this event; true when it completes the sequence. */
  private sequence(d: CompiledDerive, doc: EcsDoc, tenant: string): boolean {
    const isAfter = d.after(doc);
    const isThen = !isAfter && d.then(doc);
    if (!isAfter && !isThen) return false;
    const key = keyOf(doc, d.rule.by);
    if (key === null) return false;
    const stateKey = `${tenant}\u0000${d.id}`;
    let m = this.state.get(stateKey);
    if (!m) this.state.set(stateKey, (m = new Map()));
    const t = timeOf(doc);
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

function compileDerive(e: CatalogEntry, principle: boolean): CompiledDerive {
  const rule = e.derive!;
  return {
    id: e.id,
    principle,
    rule,
    after: compilePredicate(rule.after, { kindOf }),
    then: compilePredicate(rule.then, { kindOf }),
  };
}

/**
 * The event.category values an expression requires, when it requires one: `event.category:x and ...`
 * or `event.category:(x or y) and ...`. Null when it can match events of any category.
 */
export function requiredCategories(e: Expr): string[] | null {
  const exact = (x: Expr): string[] | null => {
    if (x.type === 'match' && x.field === 'event.category' && !(x.wildcard && x.value.includes('*'))) return [x.value];
    if (x.type === 'or') {
      const parts = x.items.map(exact);
      return parts.every((p) => p !== null) ? parts.flat() as string[] : null;
    }
    return null;
  };
  if (e.type === 'and') {
    for (const item of e.items) {
      const c = exact(item);
      if (c) return c;
    }
    return null;
  }
  return exact(e);
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

function timeOf(doc: EcsDoc): number {
  const ts = doc['@timestamp'];
  const t = typeof ts === 'string' || typeof ts === 'number' ? new Date(ts).getTime() : NaN;
  return Number.isNaN(t) ? Date.now() : t;
}

function union(existing: unknown, more: Set<string>): string[] {
  const out = Array.isArray(existing) ? existing.filter((x): x is string => typeof x === 'string') : [];
  for (const x of more) if (!out.includes(x)) out.push(x);
  return out;
}
