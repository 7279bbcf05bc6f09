// Canonical text for a Query: explicit `and`, minimal parentheses, values escaped so that
// parseQuery(printQuery(q)) deep-equals q for every q the parser can produce.
import { type Expr, type Pipe, type Query } from './ast.js';
import { parseCidr } from './ip.js';

/** Characters that would end or change an unquoted word (`,` matters after a pipe; escaping it is harmless). */
const NEEDS_ESCAPE = /[\s()":|<>,\\]/;
const KEYWORD = /^(and|or|not)$/i;

export function printQuery(q: Query): string {
  const filter = printExpr(q.filter, 0);
  return [filter, ...q.pipes.map(printPipe)].join(' | ');
}

// Precedence: or = 1, and = 2, not = 3, atoms = 4. A child binding no tighter than its parent gets parentheses.
function prec(e: Expr): number {
  return e.type === 'or' ? 1 : e.type === 'and' ? 2 : e.type === 'not' ? 3 : 4;
}

export function printExpr(e: Expr, parent = 0): string {
  const s = printBare(e);
  return prec(e) <= parent && prec(e) < 3 ? `(${s})` : s;
}

function printBare(e: Expr): string {
  switch (e.type) {
    case 'all':
      return '*';
    case 'and':
    case 'or':
      return e.items.map((x) => printExpr(x, prec(e))).join(` ${e.type} `);
    case 'not':
      return `not ${printExpr(e.expr, 2)}`;
    case 'term':
      return e.quoted ? quote(e.value) : word(e.value, e.wildcard, true);
    case 'match':
      return `${e.field}:${e.quoted ? quote(e.value) : word(e.value, e.wildcard, false)}`;
    case 'exists':
      return `${e.field}:*`;
    case 'cidr':
      return `${e.field}:${e.network}/${e.prefix}`;
    case 'range':
      return `${e.field} ${e.op} ${typeof e.value === 'number' ? num(e.value) : quote(e.value)}`;
  }
}

function num(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

/** An unquoted value. Wildcard values arrive with literal `*` and `\` already escaped. */
function word(value: string, wildcard: boolean, bare: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (wildcard && c === '\\') {
      out += c + (value[i + 1] ?? ''); // keep the escape pair as it is
      i++;
    } else if (NEEDS_ESCAPE.test(c) || (!wildcard && c === '*')) out += '\\' + c;
    else out += c;
  }
  // Text that would read back as something else: a keyword, or (after a field) a CIDR.
  if (bare && KEYWORD.test(out)) out = '\\' + out;
  if (!bare && !wildcard && parseCidr(value)) out = out.replace('/', '\\/');
  return out;
}

function printPipe(p: Pipe): string {
  switch (p.type) {
    case 'stats': {
      const aggs = p.aggs.map((a) => `${a.fn}(${a.field ?? ''})${a.alias ? ` as ${a.alias}` : ''}`);
      return `stats ${aggs.join(', ')}${p.by.length ? ` by ${p.by.join(', ')}` : ''}`;
    }
    case 'sort':
      return `sort ${p.keys.map((k) => (k.desc ? '-' : '') + k.field).join(', ')}`;
    case 'head':
      return `head ${p.n}`;
    case 'fields':
      return `fields ${p.fields.join(', ')}`;
  }
}
