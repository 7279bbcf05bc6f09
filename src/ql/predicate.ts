// Filter expressions -> a JavaScript predicate over one ECS document, compiled once (closures, regexes
// built up front) so it can run per event in the process stage: catalogue selectors, later output
// filters and Sigma-side lookups. Semantics follow query/filter.ts, the SQL compiler, so a selector
// means the same in a search and in the classifier (a differential test checks the two agree):
//   keyword fields   exact, case-sensitive; `*` wildcards anchored at both ends
//   text fields      case-insensitive substring (message, event.original)
//   number fields    numeric equality
//   arrays           match when any element matches
//   not              a missing field is "false", so `not user.name:x` keeps events without user.name
import { pathReader, type EcsDoc, type EcsValue } from '../core/event.js';
import type { Expr, RangeOp } from './ast.js';
import { ipv4Range, parseCidr } from './ip.js';
import { ipv4ToInt } from '../core/ip.js';
import { parseTime } from './time.js';

export type Predicate = (doc: EcsDoc) => boolean;

/** One document under evaluation, with each field read at most once (by slot). */
export interface EvalContext {
  doc: EcsDoc;
  values: unknown[];
}
export type Test = (c: EvalContext) => boolean;
const UNSET = Symbol('unset');

/** How a field is compared: from the store's column kinds for hot fields; anything else is 'keyword'. */
export type FieldKind = 'keyword' | 'keywords' | 'text' | 'long' | 'time' | 'ip';

export interface PredicateOptions {
  kindOf?: (field: string) => FieldKind | undefined;
  /** Where relative times (`-1h`) count from; fixed at compile time. */
  now?: Date;
}

const ORIGINAL = 'event.original';

/**
 * Predicates sharing field slots: a field that many selectors read (event.action, event.category) is
 * read from the document once per event, then from an array. The classifier compiles every selector
 * into one set; compilePredicate is the single-expression form.
 */
export class PredicateSet {
  private readonly slots = new Map<string, number>();
  readonly getters: ((doc: EcsDoc) => EcsValue | undefined)[] = [];
  private readonly ctx: EvalContext = { doc: {}, values: [] };
  readonly kindOf: (field: string) => FieldKind | undefined;
  readonly now: Date;

  constructor(opts: PredicateOptions = {}) {
    this.kindOf = opts.kindOf ?? (() => undefined);
    this.now = opts.now ?? new Date();
  }

  slot(field: string): number {
    let i = this.slots.get(field);
    if (i === undefined) {
      i = this.getters.length;
      this.slots.set(field, i);
      this.getters.push(pathReader(field));
    }
    return i;
  }

  /** Starts on a document: the previous one's field values are forgotten. The context is reused. */
  context(doc: EcsDoc): EvalContext {
    this.ctx.doc = doc;
    const v = this.ctx.values;
    v.length = this.getters.length;
    v.fill(UNSET);
    return this.ctx;
  }

  compile(expr: Expr): Test {
    return build(expr, this);
  }
}

export function compilePredicate(expr: Expr, opts: PredicateOptions = {}): Predicate {
  const set = new PredicateSet(opts);
  const test = set.compile(expr);
  return (doc) => test(set.context(doc));
}

function build(expr: Expr, set: PredicateSet): Test {
  const { kindOf, now } = set;
  const anyValue = (field: string, test: (v: EcsValue) => boolean) => anyValueOf(set, field, test);
  const textTest = (field: string, value: string, wildcard: boolean) => textTestOf(set, field, value, wildcard);
  const build = (e: Expr): Test => {
    switch (e.type) {
      case 'all':
        return () => true;
      case 'and': {
        const ps = e.items.map(build);
        return (d) => {
          for (const p of ps) if (!p(d)) return false;
          return true;
        };
      }
      case 'or': {
        const ps = groupExactMatches(set, e.items).map((x) => (isExpr(x) ? build(x) : x));
        return (d) => {
          for (const p of ps) if (p(d)) return true;
          return false;
        };
      }
      case 'not': {
        const p = build(e.expr);
        return (d) => !p(d);
      }
      case 'term':
        return textTest(ORIGINAL, e.value, e.wildcard);
      case 'match': {
        const kind = kindOf(e.field) ?? 'keyword';
        if (kind === 'text') return textTest(e.field, e.value, e.wildcard);
        if (kind === 'long') return anyValue(e.field, (v) => Number(v) === Number(e.value));
        if (kind === 'time') {
          const t = parseTime(e.value, now).getTime();
          return anyValue(e.field, (v) => timeOf(v) === t);
        }
        if (e.wildcard && hasWildcard(e.value)) {
          const test = globTest(e.value);
          return anyValue(e.field, (v) => test(scalarText(v)));
        }
        const literal = e.wildcard ? unescape(e.value) : e.value;
        return anyValue(e.field, (v) => scalarText(v) === literal);
      }
      case 'exists':
        return anyPresent(set, e.field);
      case 'range':
        return rangeTest(set, e.field, e.op, e.value, kindOf(e.field), now);
      case 'cidr':
        return cidrTest(set, e.field, e.network, e.prefix);
    }
  };
  return build(expr);
}

/** A value counts as present unless it is missing, null or an empty array (as in the SQL compiler). */
export function present(v: EcsValue | undefined): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}


/**
 * In an `or`, exact matches on one keyword field (`event.action:(a or b or c)`) become one lookup in a
 * set: selectors list dozens of actions, and this reads the field once instead of once per value.
 */
function groupExactMatches(set: PredicateSet, items: Expr[]): (Expr | Test)[] {
  const byField = new Map<string, Set<string>>();
  const rest: (Expr | Test)[] = [];
  for (const x of items) {
    const kind = x.type === 'match' ? (set.kindOf(x.field) ?? 'keyword') : undefined;
    if (x.type === 'match' && (kind === 'keyword' || kind === 'keywords' || kind === 'ip') && !(x.wildcard && hasWildcard(x.value))) {
      const set = byField.get(x.field) ?? new Set<string>();
      set.add(x.wildcard ? unescape(x.value) : x.value);
      byField.set(x.field, set);
    } else rest.push(x);
  }
  const grouped: Test[] = [...byField].map(([field, values]) => anyValueOf(set, field, (v) => values.has(scalarText(v))));
  return [...grouped, ...rest];
}

function isExpr(x: Expr | Test): x is Expr {
  return typeof x !== 'function';
}

/** The field's value for this document, read once and kept in its slot. */
function reader(set: PredicateSet, field: string): (c: EvalContext) => EcsValue | undefined {
  const i = set.slot(field);
  const get = set.getters[i]!;
  return (c) => {
    const v = c.values[i];
    if (v !== UNSET) return v as EcsValue | undefined;
    const read = get(c.doc);
    c.values[i] = read;
    return read;
  };
}

function anyPresent(set: PredicateSet, field: string): Test {
  const read = reader(set, field);
  return (c) => present(read(c));
}

function anyValueOf(set: PredicateSet, field: string, test: (v: EcsValue) => boolean): Test {
  const read = reader(set, field);
  return (c) => {
    const v = read(c);
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && !isObject(x) && test(x)) return true;
      return false;
    }
    return !isObject(v) && test(v);
  };
}

function textTestOf(set: PredicateSet, field: string, value: string, wildcard: boolean): Test {
  if (wildcard && hasWildcard(value)) {
    const re = globRegex(value, true, false);
    return anyValueOf(set, field, (v) => re.test(scalarText(v)));
  }
  const needle = (wildcard ? unescape(value) : value).toLowerCase();
  return anyValueOf(set, field, (v) => scalarText(v).toLowerCase().includes(needle));
}

function rangeTest(set: PredicateSet, field: string, op: RangeOp, value: number | string, kind: FieldKind | undefined, now: Date): Test {
  const cmp = compare(op);
  if (kind === 'time' || (typeof value === 'string' && /^(now|[+-])/i.test(value))) {
    const t = parseTime(String(value), now).getTime();
    return anyValueOf(set, field, (v) => {
      const x = timeOf(v);
      return x !== null && cmp(x, t);
    });
  }
  if (typeof value === 'number' || kind === 'long') {
    const n = Number(value);
    return anyValueOf(set, field, (v) => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return !Number.isNaN(x) && cmp(x, n);
    });
  }
  return anyValueOf(set, field, (v) => cmp(scalarText(v), value));
}

function cidrTest(set: PredicateSet, field: string, network: string, prefix: number): Test {
  const cidr = parseCidr(`${network}/${prefix}`);
  if (cidr?.version === 4) {
    const [lo, hi] = ipv4Range(network, prefix);
    return anyValueOf(set, field, (v) => {
      const n = typeof v === 'string' ? ipv4ToInt(v) : null;
      return n !== null && n >= lo && n <= hi;
    });
  }
  // IPv6: exact address only, as in the SQL compiler (which rejects wider IPv6 prefixes).
  const exact = network.toLowerCase();
  return anyValueOf(set, field, (v) => typeof v === 'string' && v.toLowerCase() === exact && prefix === 128);
}

function compare(op: RangeOp): <T extends number | string>(a: T, b: T) => boolean {
  switch (op) {
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
  }
}

function timeOf(v: EcsValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function isObject(v: EcsValue): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarText(v: EcsValue): string {
  return typeof v === 'string' ? v : String(v);
}

function hasWildcard(value: string): boolean {
  return /(^|[^\\])(\\\\)*\*/.test(value);
}

/** `\*` and `\\` back to `*` and `\` (ast.ts: the escapes of a wildcard value). */
function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/**
 * A case-sensitive, anchored wildcard test. The shapes selectors use most (`x*`, `*x`, `*x*`) are
 * string methods; anything else is a regex.
 */
function globTest(value: string): (s: string) => boolean {
  const m = /^(\*?)([^*\\]*)(\*?)$/.exec(value);
  if (m && (m[1] || m[3])) {
    const lit = m[2]!;
    if (m[1] && m[3]) return (s) => s.includes(lit);
    if (m[3]) return (s) => s.startsWith(lit);
    return (s) => s.endsWith(lit);
  }
  const re = globRegex(value, false, true);
  return (s) => re.test(s);
}

/** A wildcard value as a regex: `*` is any run of characters; anchored unless `anchored` is false. */
function globRegex(value: string, caseInsensitive: boolean, anchored: boolean): RegExp {
  let src = '';
  for (let i = 0; i < value.length; i++) {
    let c = value[i]!;
    if (c === '*') {
      src += '[\\s\\S]*';
      continue;
    }
    if (c === '\\' && i + 1 < value.length) c = value[++i]!;
    src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${src}$` : src, caseInsensitive ? 'i' : '');
}
