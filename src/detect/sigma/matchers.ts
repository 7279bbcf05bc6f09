// The closed set of value matchers a compiled rule is made of, and their tests. A matcher is data (so the
// index can read literals out of it and explain can print it) with a test built once: needles are
// lower-cased and regexes compiled here, never per event. Any element of a multi-valued field may match.
import { inRange, parseAddress, type CidrRange } from './cidr.js';
import { dashOf, FIELDS, lowerOf, type Ev, type FieldRef, type Values } from './field-values.js';

export type StringOp = 'eq' | 'prefix' | 'suffix' | 'contains' | 'any';
export type NumberOp = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

export type Matcher =
  /** Literal text; `needle` is lower-cased unless `cased`; `windash` compares with the dash family folded. */
  | { kind: 'string'; op: StringOp; needle: string; cased: boolean; windash: boolean }
  /** A pattern with inner wildcards, as an anchored regex over the (lower-cased) text; `literal` is its longest literal run. */
  | { kind: 'glob'; re: RegExp; cased: boolean; windash: boolean; literal: string }
  | { kind: 'regex'; re: RegExp }
  | { kind: 'number'; op: NumberOp; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; range: CidrRange; text: string }
  | { kind: 'fieldref'; other: FieldRef; op: Exclude<StringOp, 'any'>; cased: boolean };

export type MatchTest = (v: Values, ev: Ev) => boolean;

const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/** A numeric reading of an event value, or NaN: numbers, and strings written as decimals. */
export function numberOf(x: string | number | boolean): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && DECIMAL.test(x)) return Number(x);
  return NaN;
}

function texts(v: Values, cased: boolean, windash: boolean): string[] {
  if (windash) return dashOf(v, cased);
  return cased ? v.strs : lowerOf(v);
}

export function matcherTest(m: Matcher): MatchTest {
  switch (m.kind) {
    case 'string': {
      const { needle, cased, windash } = m;
      const some = (f: (s: string) => boolean): MatchTest => (v) => texts(v, cased, windash).some(f);
      switch (m.op) {
        case 'eq':
          return some((s) => s === needle);
        case 'prefix':
          return some((s) => s.startsWith(needle));
        case 'suffix':
          return some((s) => s.endsWith(needle));
        case 'contains':
          return some((s) => s.includes(needle));
        case 'any':
          return (v) => v.strs.length > 0;
      }
      break;
    }
    case 'glob': {
      const { re, cased, windash } = m;
      return (v) => texts(v, cased, windash).some((s) => re.test(s));
    }
    case 'regex': {
      const re = m.re;
      // `.{1000,}` (long command lines) backtracks at every position of a short text: a match is at
      // least that long, so shorter texts are skipped outright.
      const min = /^\^?\.\{(\d+)(,\d*)?\}/.exec(re.source);
      const least = min ? Number(min[1]) : 0;
      return (v) => v.strs.some((s) => s.length >= least && re.test(s));
    }
    case 'number': {
      const n = m.value;
      const cmp: (x: number) => boolean =
        m.op === 'eq' ? (x) => x === n : m.op === 'gt' ? (x) => x > n : m.op === 'gte' ? (x) => x >= n : m.op === 'lt' ? (x) => x < n : (x) => x <= n;
      return (v) => v.scalars.some((x) => cmp(numberOf(x)));
    }
    case 'boolean': {
      const want = m.value;
      const text = String(want);
      return (v) => v.scalars.some((x) => x === want || (typeof x === 'string' && x.toLowerCase() === text));
    }
    case 'null':
      return (v) => v.scalars.length === 0;
    case 'exists': {
      const want = m.value;
      return (v) => v.present === want;
    }
    case 'cidr': {
      const range = m.range;
      return (v) =>
        v.strs.some((s) => {
          const a = parseAddress(s);
          return a !== null && inRange(range, a);
        });
    }
    case 'fieldref': {
      const { other, op, cased } = m;
      const cmp: (a: string, b: string) => boolean =
        op === 'eq' ? (a, b) => a === b : op === 'prefix' ? (a, b) => a.startsWith(b) : op === 'suffix' ? (a, b) => a.endsWith(b) : (a, b) => a.includes(b);
      return (v, ev) => {
        const o = FIELDS.get(ev, other);
        const bs = cased ? o.strs : lowerOf(o);
        return texts(v, cased, false).some((a) => bs.some((b) => cmp(a, b)));
      };
    }
  }
}

/** A rough cost, to test cheap items of an `and` first. */
export function matcherCost(m: Matcher): number {
  switch (m.kind) {
    case 'null':
    case 'exists':
    case 'boolean':
    case 'number':
      return 1;
    case 'string':
      return m.op === 'eq' || m.op === 'any' ? 1 : m.op === 'contains' ? 3 : 2;
    case 'glob':
      return 6;
    case 'cidr':
    case 'fieldref':
      return 6;
    case 'regex':
      return 10;
  }
}

/** The matcher as Sigma-ish text, for explanations and messages. */
export function describeMatcher(m: Matcher): string {
  switch (m.kind) {
    case 'string':
      return `${m.op} ${JSON.stringify(m.needle)}${m.cased ? ' (cased)' : ''}${m.windash ? ' (windash)' : ''}`;
    case 'glob':
      return `like ${m.re.source}`;
    case 'regex':
      return `re /${m.re.source}/${m.re.flags}`;
    case 'number':
      return `${m.op} ${m.value}`;
    case 'boolean':
      return `is ${m.value}`;
    case 'null':
      return 'is null';
    case 'exists':
      return m.value ? 'exists' : 'does not exist';
    case 'cidr':
      return `in ${m.text}`;
    case 'fieldref':
      return `${m.op} field ${m.other.spec.paths.join('|')}`;
  }
}
