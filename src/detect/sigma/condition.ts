// The Sigma condition language, in two phases: parse text to a tree (positions kept for errors), then
// resolve the tree's names against the rule's search identifiers. Precedence, loosest first: or, and,
// not, `x of`, parentheses. `1 of them` / `all of them` skip identifiers starting with `_`; `any of` is
// the old spelling of `1 of`; `N of` needs at least N.
import { RuleInvalid, RuleUnsupported } from './errors.js';

export type CondAst =
  | { t: 'or'; a: CondAst; b: CondAst }
  | { t: 'and'; a: CondAst; b: CondAst }
  | { t: 'not'; x: CondAst }
  | { t: 'id'; name: string; pos: number }
  /** `count` is 'all' or the least number that must match; `pattern` is 'them' or an identifier glob. */
  | { t: 'of'; count: number | 'all'; pattern: string; them: boolean; pos: number };

export class ConditionError extends Error {
  constructor(
    readonly detail: string,
    /** 0-based offset in the condition text. */
    readonly pos: number,
  ) {
    super(`${detail} at column ${pos + 1}`);
    this.name = 'ConditionError';
  }
}

interface Token {
  kind: 'word' | '(' | ')' | 'end';
  text: string;
  pos: number;
}

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c, text: c, pos: i++ });
      continue;
    }
    if (c === '|') throw new RuleUnsupported('legacy aggregation in the condition (`| count() …`): write it as a correlation rule');
    const start = i;
    while (i < src.length && !/[\s()|]/.test(src[i]!)) i++;
    out.push({ kind: 'word', text: src.slice(start, i), pos: start });
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', 'near']);

export function parseCondition(src: string): CondAst {
  const toks = lex(src);
  let k = 0;
  const peek = (): Token => toks[k]!;
  const isWord = (w: string): boolean => peek().kind === 'word' && peek().text.toLowerCase() === w;
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the condition' : `'${t.text}'`);

  const orExpr = (): CondAst => {
    let a = andExpr();
    while (isWord('or')) {
      k++;
      a = { t: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): CondAst => {
    let a = unary();
    while (isWord('and')) {
      k++;
      a = { t: 'and', a, b: unary() };
    }
    return a;
  };
  const unary = (): CondAst => {
    if (isWord('not')) {
      k++;
      return { t: 'not', x: unary() };
    }
    return primary();
  };
  const primary = (): CondAst => {
    const t = peek();
    if (t.kind === '(') {
      k++;
      const e = orExpr();
      if (peek().kind !== ')') throw new ConditionError(`expected ')' to close the '(' at column ${t.pos + 1}, found ${describe(peek())}`, peek().pos);
      k++;
      return e;
    }
    if (t.kind !== 'word') throw new ConditionError(`expected a search identifier, 'not', 'x of' or '(', found ${describe(t)}`, t.pos);
    const low = t.text.toLowerCase();
    const next = toks[k + 1]!;
    if ((/^\d+$/.test(low) || low === 'all' || low === 'any') && next.kind === 'word' && next.text.toLowerCase() === 'of') {
      const count = low === 'all' ? 'all' : low === 'any' ? 1 : Number(low);
      if (count === 0) throw new ConditionError("'0 of' never matches", t.pos);
      k += 2;
      const target = peek();
      if (target.kind !== 'word' || (KEYWORDS.has(target.text.toLowerCase()) && target.text.toLowerCase() !== 'them')) {
        throw new ConditionError(`expected 'them' or an identifier pattern after '${t.text} of', found ${describe(target)}`, target.pos);
      }
      k++;
      const them = target.text.toLowerCase() === 'them';
      return { t: 'of', count, pattern: target.text, them, pos: t.pos };
    }
    if (low === 'near') throw new RuleUnsupported("'near' in the condition");
    if (KEYWORDS.has(low)) throw new ConditionError(`expected a search identifier, found the keyword '${t.text}'`, t.pos);
    k++;
    return { t: 'id', name: t.text, pos: t.pos };
  };

  const e = orExpr();
  if (isWord('near')) throw new RuleUnsupported("'near' in the condition");
  if (peek().kind !== 'end') throw new ConditionError(`expected 'and', 'or' or the end of the condition, found ${describe(peek())}`, peek().pos);
  return e;
}

/**
 * The tree as condition text, parenthesised where precedence or grouping needs it: `a or (b or c)` keeps
 * its parentheses so that the text parses back to the same tree (for round-trip tests).
 */
export function printCondition(e: CondAst, parent: 'or' | 'and' | 'not' | 'top' | 'right-or' | 'right-and' = 'top'): string {
  switch (e.t) {
    case 'or': {
      const s = `${printCondition(e.a, 'or')} or ${printCondition(e.b, 'right-or')}`;
      return parent === 'top' || parent === 'or' ? s : `(${s})`;
    }
    case 'and': {
      const s = `${printCondition(e.a, 'and')} and ${printCondition(e.b, 'right-and')}`;
      return parent === 'top' || parent === 'or' || parent === 'and' || parent === 'right-or' ? s : `(${s})`;
    }
    case 'not':
      return `not ${printCondition(e.x, 'not')}`;
    case 'id':
      return e.name;
    case 'of':
      return `${e.count} of ${e.pattern}`;
  }
}

/** A condition over resolved identifiers. */
export type Resolved =
  | { t: 'or'; xs: Resolved[] }
  | { t: 'and'; xs: Resolved[] }
  | { t: 'not'; x: Resolved }
  | { t: 'atleast'; n: number; xs: Resolved[] }
  | { t: 'ref'; name: string };

function globRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Phase two: names checked against the search identifiers, `x of` expanded. */
export function resolveCondition(e: CondAst, names: readonly string[], src: string): Resolved {
  const fail = (detail: string, pos: number): never => {
    throw new RuleInvalid(`condition '${src}': ${new ConditionError(detail, pos).message}`, 'condition');
  };
  switch (e.t) {
    case 'or':
    case 'and': {
      const xs: Resolved[] = [];
      // Flatten chains (a or b or c) into one node.
      for (const side of [e.a, e.b]) {
        const r = resolveCondition(side, names, src);
        if (r.t === e.t) xs.push(...r.xs);
        else xs.push(r);
      }
      return { t: e.t, xs };
    }
    case 'not':
      return { t: 'not', x: resolveCondition(e.x, names, src) };
    case 'id':
      if (!names.includes(e.name)) fail(`unknown search identifier '${e.name}' (defined: ${names.join(', ')})`, e.pos);
      return { t: 'ref', name: e.name };
    case 'of': {
      const picked = e.them ? names.filter((n) => !n.startsWith('_')) : names.filter((n) => globRegex(e.pattern).test(n));
      if (!picked.length) fail(e.them ? "'them' names no search identifier" : `'${e.pattern}' names no search identifier (defined: ${names.join(', ')})`, e.pos);
      const xs = picked.map((name): Resolved => ({ t: 'ref', name }));
      if (e.count === 'all') return xs.length === 1 ? xs[0]! : { t: 'and', xs };
      if (e.count === 1) return xs.length === 1 ? xs[0]! : { t: 'or', xs };
      if (e.count > xs.length) fail(`'${e.count} of ${e.pattern}' asks for more than the ${xs.length} identifiers it names`, e.pos);
      return { t: 'atleast', n: e.count, xs };
    }
  }
}
