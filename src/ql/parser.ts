// Recursive-descent parser: query text -> Query (ast.ts). Grammar, loosest binding first:
//   query   := or? ('|' pipe)*
//   or      := and ('or' and)*
//   and     := not (('and')? not)*          adjacent terms are an implicit `and`
//   not     := 'not'* primary
//   primary := '(' or ')' | "phrase" | term | field ':' value | field ':' '(' values ')' | field op value
// Keywords are case-insensitive and only keywords when unescaped and not followed by `:` or a comparison.
// Every failure is a VigilError('query_syntax') with the 0-based position and what was expected.
import { AGG_FNS, ALIAS_RE, FIELD_RE, type Agg, type AggFn, type Expr, type Pipe, type Query, type RangeOp, type SortKey } from './ast.js';
import { describeToken, syntaxError, tokenize, type Token } from './lexer.js';
import { parseCidr } from './ip.js';

/** Deepest nesting of parentheses and `not`s accepted: keeps every later recursive walk far from the stack limit. */
export const MAX_DEPTH = 100;

const NUMBER_RE = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export function parseQuery(text: string): Query {
  return new Parser(tokenize(text)).query();
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(expected: string, t: Token = this.peek()): never {
    throw syntaxError(t.start, expected, describeToken(t));
  }

  /** Is the token k ahead the keyword `kw` (and not a field name such as `not:x`)? */
  private keywordAt(k: number, kw: 'and' | 'or' | 'not' | 'by' | 'as'): boolean {
    const t = this.peek(k);
    if (t.kind !== 'word' || t.escaped || t.text.toLowerCase() !== kw) return false;
    const after = this.peek(k + 1).kind;
    return after !== 'colon' && after !== 'op';
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) throw syntaxError(t.start, `at most ${MAX_DEPTH} levels of nesting`, describeToken(t));
  }

  query(): Query {
    let filter: Expr = { type: 'all' };
    if (this.peek().kind !== 'eof' && this.peek().kind !== 'pipe') filter = this.or();
    const pipes: Pipe[] = [];
    while (this.peek().kind === 'pipe') {
      this.next();
      pipes.push(this.pipe());
      if (this.peek().kind !== 'pipe' && this.peek().kind !== 'eof') this.fail("',', '|' or end of query");
    }
    if (this.peek().kind !== 'eof') this.fail("'and', 'or', a term, '|' or end of query");
    return { filter, pipes };
  }

  // ---- filter expressions ----

  private or(): Expr {
    const items = [this.and()];
    while (this.keywordAt(0, 'or')) {
      this.next();
      items.push(this.and());
    }
    return flatten('or', items);
  }

  private and(): Expr {
    const items = [this.not()];
    for (;;) {
      if (this.keywordAt(0, 'and')) this.next();
      else if (!this.startsOperand()) break;
      items.push(this.not());
    }
    return flatten('and', items);
  }

  private startsOperand(): boolean {
    const t = this.peek();
    if (t.kind === 'lparen' || t.kind === 'string') return true;
    return t.kind === 'word' && !this.keywordAt(0, 'and') && !this.keywordAt(0, 'or');
  }

  private not(): Expr {
    let nots = 0;
    while (this.keywordAt(0, 'not')) {
      this.enter(this.next());
      nots++;
    }
    let e = this.primary();
    for (let i = 0; i < nots; i++) e = { type: 'not', expr: e };
    this.depth -= nots;
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.enter(this.next());
      if (this.peek().kind === 'rparen') this.fail("an expression inside '( )'");
      const e = this.or();
      if (this.peek().kind !== 'rparen') this.fail(`')' to close the '(' at position ${t.start}`);
      this.next();
      this.depth--;
      return e;
    }
    if (t.kind === 'string') {
      this.next();
      return { type: 'term', value: t.text, wildcard: false, quoted: true };
    }
    if (t.kind === 'word' && !this.keywordAt(0, 'and') && !this.keywordAt(0, 'or')) {
      const after = this.peek(1).kind;
      if (after === 'colon' || after === 'op') {
        const field = this.fieldName(t);
        this.next();
        const sep = this.next();
        return after === 'op' ? this.range(field, sep) : this.fieldValue(field);
      }
      this.next();
      if (t.wildcard && t.pattern === '*') return { type: 'all' };
      return { type: 'term', value: t.wildcard ? t.pattern : t.text, wildcard: t.wildcard, quoted: false };
    }
    return this.fail("a term, a field or '('");
  }

  private fieldName(t: Token): string {
    if (t.kind !== 'word' || t.wildcard || !FIELD_RE.test(t.text)) {
      this.fail("a field name (letters, digits, '_', '@', separated by '.')", t);
    }
    return t.text;
  }

  /** After `field:` */
  private fieldValue(field: string): Expr {
    const t = this.peek();
    if (t.kind === 'op') return this.range(field, this.next());
    if (t.kind === 'lparen') return this.group(field);
    if (t.kind === 'string' || t.kind === 'word') return this.value(field);
    return this.fail("a value after ':'");
  }

  /** One value for `field`: a quoted string, or a word glued to directly adjacent words and colons. */
  private value(field: string): Expr {
    const t = this.next();
    if (t.kind === 'string') return { type: 'match', field, value: t.text, wildcard: false, quoted: true };
    const w = this.glued(t);
    if (w.wildcard && w.pattern === '*') return { type: 'exists', field };
    if (!w.wildcard && !w.escaped) {
      const cidr = parseCidr(w.text);
      if (cidr) return { type: 'cidr', field, network: cidr.network, prefix: cidr.prefix };
    }
    return { type: 'match', field, value: w.wildcard ? w.pattern : w.text, wildcard: w.wildcard, quoted: false };
  }

  /** `url.full:http://x` and `@timestamp >= 2024-01-01T00:00:00Z` need no escaping of their colons. */
  private glued(first: Token): { text: string; pattern: string; wildcard: boolean; escaped: boolean } {
    let { text, pattern, wildcard, escaped } = first;
    for (;;) {
      const n = this.peek();
      if (n.spaceBefore || (n.kind !== 'word' && n.kind !== 'colon')) break;
      this.next();
      text += n.text;
      pattern += n.pattern;
      wildcard ||= n.wildcard;
      escaped ||= n.escaped;
    }
    return { text, pattern, wildcard, escaped };
  }

  private range(field: string, opTok: Token): Expr {
    const op = opTok.text as RangeOp;
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { type: 'range', field, op, value: t.text };
    }
    if (t.kind !== 'word') return this.fail(`a value after '${op}'`);
    this.next();
    const w = this.glued(t);
    if (w.wildcard) this.fail(`a value without '*' after '${op}'`, t);
    const numeric = !w.escaped && NUMBER_RE.test(w.text) && Number.isFinite(Number(w.text));
    return { type: 'range', field, op, value: numeric ? Number(w.text) : w.text };
  }

  // ---- `field:(a or b)` value groups: the same and/or/not grammar, every operand applied to `field` ----

  private group(field: string): Expr {
    const open = this.next();
    this.enter(open);
    if (this.peek().kind === 'rparen') this.fail("a value inside '( )'");
    const e = this.groupOr(field);
    if (this.peek().kind !== 'rparen') this.fail(`')' to close the '(' at position ${open.start}`);
    this.next();
    this.depth--;
    return e;
  }

  private groupOr(field: string): Expr {
    const items = [this.groupAnd(field)];
    while (this.keywordAt(0, 'or')) {
      this.next();
      items.push(this.groupAnd(field));
    }
    return flatten('or', items);
  }

  private groupAnd(field: string): Expr {
    const items = [this.groupNot(field)];
    for (;;) {
      if (this.keywordAt(0, 'and')) this.next();
      else if (!this.startsOperand()) break;
      items.push(this.groupNot(field));
    }
    return flatten('and', items);
  }

  private groupNot(field: string): Expr {
    let nots = 0;
    while (this.keywordAt(0, 'not')) {
      this.enter(this.next());
      nots++;
    }
    const t = this.peek();
    let e: Expr;
    if (t.kind === 'lparen') e = this.group(field);
    else if (t.kind === 'string' || (t.kind === 'word' && !this.keywordAt(0, 'and') && !this.keywordAt(0, 'or'))) {
      e = this.value(field);
    } else return this.fail(`a value for ${field}`);
    for (let i = 0; i < nots; i++) e = { type: 'not', expr: e };
    this.depth -= nots;
    return e;
  }

  // ---- pipes ----

  private pipe(): Pipe {
    const t = this.next();
    const name = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (name === 'stats') return this.stats();
    if (name === 'sort') return this.sort();
    if (name === 'head') {
      const n = this.next();
      if (n.kind !== 'word' || !/^[0-9]{1,9}$/.test(n.text)) this.fail("a number of rows after 'head'", n);
      return { type: 'head', n: Number(n.text) };
    }
    if (name === 'fields') return { type: 'fields', fields: this.fieldList() };
    return this.fail('a pipe command (stats, sort, head, fields)', t);
  }

  private stats(): Pipe {
    const aggs = [this.agg()];
    while (this.peek().kind === 'comma') {
      this.next();
      aggs.push(this.agg());
    }
    let by: string[] = [];
    if (this.keywordAt(0, 'by')) {
      this.next();
      by = this.fieldList();
    }
    return { type: 'stats', aggs, by };
  }

  private agg(): Agg {
    const t = this.next();
    const fn = (t.kind === 'word' ? t.text.toLowerCase() : '') as AggFn;
    if (!AGG_FNS.includes(fn)) this.fail('an aggregation: count(), dc(f), min(f), max(f), avg(f), sum(f)', t);
    const agg: Agg = { fn };
    if (this.peek().kind === 'lparen') {
      this.next();
      if (this.peek().kind !== 'rparen') agg.field = this.fieldName(this.next());
      if (this.peek().kind !== 'rparen') this.fail(`')' after ${fn}(`);
      this.next();
    } else if (fn !== 'count') this.fail(`'(' after '${fn}'`);
    if (fn !== 'count' && agg.field === undefined) this.fail(`a field name inside ${fn}( )`, this.toks[this.pos - 1]);
    if (this.keywordAt(0, 'as')) {
      this.next();
      const a = this.next();
      if (a.kind !== 'word' || !ALIAS_RE.test(a.text) || /^(by|as)$/i.test(a.text)) {
        this.fail("an alias (a letter or '_', then letters, digits, '_')", a);
      }
      agg.alias = a.text;
    }
    return agg;
  }

  private sort(): Pipe {
    const keys = [this.sortKey()];
    while (this.peek().kind === 'comma') {
      this.next();
      keys.push(this.sortKey());
    }
    return { type: 'sort', keys };
  }

  /** `-field`, `field`, or after stats an output column such as `-count()` or `dc(user.name)`. */
  private sortKey(): SortKey {
    const t = this.next();
    let name = t.kind === 'word' ? t.text : '';
    const desc = name.startsWith('-');
    if (desc || name.startsWith('+')) name = name.slice(1);
    if (this.peek().kind === 'lparen' && AGG_FNS.includes(name.toLowerCase() as AggFn)) {
      this.next();
      const field = this.peek().kind === 'rparen' ? '' : this.fieldName(this.next());
      if (this.peek().kind !== 'rparen') this.fail(`')' after ${name}(`);
      this.next();
      return { field: `${name.toLowerCase()}(${field})`, desc };
    }
    if (!FIELD_RE.test(name)) this.fail('a field to sort by', t);
    return { field: name, desc };
  }

  private fieldList(): string[] {
    const out = [this.fieldName(this.next())];
    while (this.peek().kind === 'comma') {
      this.next();
      out.push(this.fieldName(this.next()));
    }
    return out;
  }
}

/** Joins operands, splicing in nested operands of the same operator (`a and (b and c)` = `a and b and c`). */
function flatten(type: 'and' | 'or', items: Expr[]): Expr {
  if (items.length === 1) return items[0]!;
  const out: Expr[] = [];
  for (const it of items) {
    if (it.type === type) out.push(...it.items);
    else out.push(it);
  }
  return { type, items: out };
}
