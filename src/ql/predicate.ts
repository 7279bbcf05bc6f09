// Filter expressions -> a JavaScript predicate over one ECS document, compiled once (closures, regexes
// built up front) so it can run per event in the process stage: catalogue selectors, later output
// filters and Sigma-side lookups. Semantics follow query/filter.ts, the SQL compiler, so a selector
// means the same in a search and in the classifier (a differential test checks the two agree):
//   keyword fields   exact, case-sensitive; `*` wildcards anchored at both ends
//   text fields      case-insensitive substring (message, event.original)
//   number fields    numeric equality
//   arrays           match when any element matches
//   not              a missing field is "false", so `not user.name:x` keeps events without user.name
import { getPath, type EcsDoc, type EcsValue } from '../core/event.js';
import type { Expr, RangeOp } from './ast.js';
import { ipv4Range, ipv4ToInt, parseCidr } from './ip.js';
import { parseTime } from './time.js';

export type Predicate = (doc: EcsDoc) => boolean;

/** How a field is compared: from the store's column kinds for hot fields; anything else is 'keyword'. */
export type FieldKind = 'keyword' | 'keywords' | 'text' | 'long' | 'time' | 'ip';

export interface PredicateOptions {
  kindOf?: (field: string) => FieldKind | undefined;
  /** Where relative times (`-1h`) count from; fixed at compile time. */
  now?: Date;
}

const ORIGINAL = 'event.original';

export function compilePredicate(expr: Expr, opts: PredicateOptions = {}): Predicate {
  const kindOf = opts.kindOf ?? (() => undefined);
  const now = opts.now ?? new Date();
  const build = (e: Expr): Predicate => {
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
        const ps = e.items.map(build);
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
          const re = globRegex(e.value, false, true);
          return anyValue(e.field, (v) => re.test(scalarText(v)));
        }
        const literal = e.wildcard ? unescape(e.value) : e.value;
        return anyValue(e.field, (v) => scalarText(v) === literal);
      }
      case 'exists':
        return (d) => present(getPath(d, e.field));
      case 'range':
        return rangeTest(e.field, e.op, e.value, kindOf(e.field), now);
      case 'cidr':
        return cidrTest(e.field, e.network, e.prefix);
    }
  };
  return build(expr);
}

/** A value counts as present unless it is missing, null or an empty array (as in the SQL compiler). */
export function present(v: EcsValue | undefined): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

function anyValue(field: string, test: (v: EcsValue) => boolean): Predicate {
  return (d) => {
    const v = getPath(d, field);
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && !isObject(x) && test(x)) return true;
      return false;
    }
    return !isObject(v) && test(v);
  };
}

function textTest(field: string, value: string, wildcard: boolean): Predicate {
  if (wildcard && hasWildcard(value)) {
    const re = globRegex(value, true, false);
    return anyValue(field, (v) => re.test(scalarText(v)));
  }
  const needle = (wildcard ? unescape(value) : value).toLowerCase();
  return anyValue(field, (v) => scalarText(v).toLowerCase().includes(needle));
}

function rangeTest(field: string, op: RangeOp, value: number | string, kind: FieldKind | undefined, now: Date): Predicate {
  const cmp = compare(op);
  if (kind === 'time' || (typeof value === 'string' && /^(now|[+-])/i.test(value))) {
    const t = parseTime(String(value), now).getTime();
    return anyValue(field, (v) => {
      const x = timeOf(v);
      return x !== null && cmp(x, t);
    });
  }
  if (typeof value === 'number' || kind === 'long') {
    const n = Number(value);
    return anyValue(field, (v) => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return !Number.isNaN(x) && cmp(x, n);
    });
  }
  return anyValue(field, (v) => cmp(scalarText(v), value));
}

function cidrTest(field: string, network: string, prefix: number): Predicate {
  const cidr = parseCidr(`${network}/${prefix}`);
  if (cidr?.version === 4) {
    const [lo, hi] = ipv4Range(network, prefix);
    return anyValue(field, (v) => {
      const n = typeof v === 'string' ? ipv4ToInt(v) : null;
      return n !== null && n >= lo && n <= hi;
    });
  }
  // IPv6: exact address only, as in the SQL compiler (which rejects wider IPv6 prefixes).
  const exact = network.toLowerCase();
  return anyValue(field, (v) => typeof v === 'string' && v.toLowerCase() === exact && prefix === 128);
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
