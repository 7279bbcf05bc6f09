// The query language's syntax tree: plain data (JSON-serialisable, deep-equal comparable), produced by
// parser.ts, printed by printer.ts and turned into SQL by compile.ts. It knows nothing about storage.

export type RangeOp = '>' | '>=' | '<' | '<=';

export type Expr =
  /** Empty query or `*`. */
  | { type: 'all' }
  /** Two or more operands; the parser flattens `a and (b and c)` so an `and` never directly holds an `and`. */
  | { type: 'and'; items: Expr[] }
  | { type: 'or'; items: Expr[] }
  | { type: 'not'; expr: Expr }
  /**
   * `field:value`. When `wildcard` is true, `*` in `value` is a wildcard and `\*` / `\\` stand for a literal
   * star / backslash; otherwise `value` is the literal text. Quoted values are never wildcards.
   */
  | { type: 'match'; field: string; value: string; wildcard: boolean; quoted: boolean }
  /** A bare term or `"phrase"` with no field: matches anywhere in event.original. Same `value` rules as match. */
  | { type: 'term'; value: string; wildcard: boolean; quoted: boolean }
  /** `field:*` */
  | { type: 'exists'; field: string }
  /** `field > 10`, `@timestamp >= "2024-01-01"`: numbers stay numbers, anything else is a string. */
  | { type: 'range'; field: string; op: RangeOp; value: number | string }
  /** `source.ip:10.0.0.0/8` (an unquoted value that parses as an IPv4 or IPv6 CIDR). */
  | { type: 'cidr'; field: string; network: string; prefix: number };

export type AggFn = 'count' | 'dc' | 'min' | 'max' | 'avg' | 'sum';

/** `count()`, `dc(user.name) as users`. `field` is absent only for `count()`. */
export interface Agg {
  fn: AggFn;
  field?: string;
  alias?: string;
}

export interface SortKey {
  /** A field, or after `stats` an output column name (`count()`, `dc(user.name)`, an alias). */
  field: string;
  desc: boolean;
}

export type Pipe =
  | { type: 'stats'; aggs: Agg[]; by: string[] }
  | { type: 'sort'; keys: SortKey[] }
  | { type: 'head'; n: number }
  | { type: 'fields'; fields: string[] };

export interface Query {
  filter: Expr;
  pipes: Pipe[];
}

export const AGG_FNS: readonly AggFn[] = ['count', 'dc', 'min', 'max', 'avg', 'sum'];

/** The output column name of an aggregation: its alias, else its call as written (`count()`, `dc(user.name)`). */
export function aggName(a: Agg): string {
  return a.alias ?? `${a.fn}(${a.field ?? ''})`;
}

/** Field names: dotted segments of letters, digits, `_` and `@` (ECS style, e.g. `@timestamp`). */
export const FIELD_RE = /^[A-Za-z0-9_@]+(?:\.[A-Za-z0-9_@]+)*$/;

/** Aliases in `stats ... as name`. */
export const ALIAS_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
