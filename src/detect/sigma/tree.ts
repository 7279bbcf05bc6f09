// A compiled rule as a tree of and/or/not over detection items, and the closures that evaluate it. The
// tree stays as data beside the closures: the index reads required literals out of it and explain walks
// it. Children of an `and` are tried cheapest first (every node is pure, so order is free).
import { dashOf, FIELDS, lowerOf, type Ev } from './field-values.js';
import { matcherCost, matcherTest, numberOf, type Matcher, type MatchTest } from './matchers.js';
import type { Item } from './modifiers.js';

export type Node =
  | { k: 'and'; xs: Node[] }
  | { k: 'or'; xs: Node[] }
  | { k: 'not'; x: Node }
  | { k: 'atleast'; n: number; xs: Node[] }
  | { k: 'item'; item: Item }
  /** A named search identifier (or logsource condition): a boundary for explain. */
  | { k: 'sel'; name: string; x: Node };

export type Test = (ev: Ev) => boolean;

export function cost(n: Node): number {
  switch (n.k) {
    case 'and':
    case 'or':
    case 'atleast':
      return n.xs.reduce((s, x) => s + cost(x), 0);
    case 'not':
    case 'sel':
      return cost(n.x);
    case 'item':
      return n.item.groups.reduce((s, g) => s + g.reduce((t, m) => t + matcherCost(m), 0), 0);
  }
}

export function buildTest(n: Node): Test {
  switch (n.k) {
    case 'sel':
      return buildTest(n.x);
    case 'not': {
      const f = buildTest(n.x);
      return (ev) => !f(ev);
    }
    case 'and': {
      const fs = [...n.xs].sort((a, b) => cost(a) - cost(b)).map(buildTest);
      if (fs.length === 1) return fs[0]!;
      if (fs.length === 2) {
        const [a, b] = fs as [Test, Test];
        return (ev) => a(ev) && b(ev);
      }
      return (ev) => {
        for (const f of fs) if (!f(ev)) return false;
        return true;
      };
    }
    case 'or': {
      const fs = [...n.xs].sort((a, b) => cost(a) - cost(b)).map(buildTest);
      if (fs.length === 1) return fs[0]!;
      return (ev) => {
        for (const f of fs) if (f(ev)) return true;
        return false;
      };
    }
    case 'atleast': {
      const fs = n.xs.map(buildTest);
      const need = n.n;
      return (ev) => {
        let hits = 0;
        for (const f of fs) if (f(ev) && ++hits >= need) return true;
        return false;
      };
    }
    case 'item':
      return itemTest(n.item);
  }
}

/** Several exact values of one kind (EventID: [4624, 4625], Image: [a, b, c]) become one set lookup. */
function setTest(ms: Matcher[]): MatchTest | undefined {
  if (ms.length < 4) return undefined;
  if (ms.every((m) => m.kind === 'number' && m.op === 'eq')) {
    const set = new Set(ms.map((m) => (m as { value: number }).value));
    return (v) => v.scalars.some((x) => set.has(numberOf(x)));
  }
  const first = ms[0]!;
  if (first.kind !== 'string') return undefined;
  const { cased, windash } = first;
  if (!ms.every((m) => m.kind === 'string' && m.op === 'eq' && m.cased === cased && m.windash === windash)) return undefined;
  const set = new Set(ms.map((m) => (m as { needle: string }).needle));
  return (v) => {
    const texts = windash ? dashOf(v, cased) : cased ? v.strs : lowerOf(v);
    return texts.some((s) => set.has(s));
  };
}

/**
 * Many substrings of one kind (a list of hundreds of emoji, of suspicious flags) become one pass over the
 * text: a bitmap of the needles' first characters, and a check only where one starts.
 */
function multiContainsTest(ms: Matcher[]): MatchTest | undefined {
  if (ms.length < 16) return undefined;
  const first = ms[0]!;
  if (first.kind !== 'string') return undefined;
  const { cased, windash } = first;
  if (!ms.every((m) => m.kind === 'string' && m.op === 'contains' && m.cased === cased && m.windash === windash && m.needle.length > 0)) return undefined;
  const bits = new Uint32Array(2048);
  const byFirst = new Map<number, string[]>();
  for (const m of ms) {
    const needle = (m as { needle: string }).needle;
    const c = needle.charCodeAt(0);
    bits[c >>> 5]! |= 1 << (c & 31);
    const list = byFirst.get(c);
    if (list) list.push(needle);
    else byFirst.set(c, [needle]);
  }
  const hit = (s: string): boolean => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (!(bits[c >>> 5]! & (1 << (c & 31)))) continue;
      for (const n of byFirst.get(c)!) if (s.startsWith(n, i)) return true;
    }
    return false;
  };
  return (v) => {
    const texts = windash ? dashOf(v, cased) : cased ? v.strs : lowerOf(v);
    return texts.some(hit);
  };
}

function anyOf(ms: Matcher[]): MatchTest {
  const set = setTest(ms) ?? multiContainsTest(ms);
  if (set) return set;
  const tests = ms.map(matcherTest);
  if (tests.length === 1) return tests[0]!;
  return (v, ev) => {
    for (const t of tests) if (t(v, ev)) return true;
    return false;
  };
}

export function itemTest(item: Item): Test {
  const ref = item.field;
  let t: MatchTest;
  if (item.all) {
    const groups = item.groups.map(anyOf);
    t = (v, ev) => {
      for (const g of groups) if (!g(v, ev)) return false;
      return true;
    };
  } else t = anyOf(item.groups.flat());
  if (item.negate) {
    const pos = t;
    t = (v, ev) => !pos(v, ev);
  }
  const test = t;
  return (ev) => test(FIELDS.get(ev, ref), ev);
}
