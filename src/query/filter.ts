// Filter expressions -> a parameterised DuckDB boolean expression over the events table.
// Semantics by column kind (store/schema.ts):
//   keyword, ip   exact, case-sensitive; `*` wildcards via LIKE
//   keywords      any element equal / LIKE
//   text          case-insensitive substring (phrase) match via ILIKE
//   long          numeric; the value must be a number
//   time          values read by parseTime (ISO 8601, epoch ms, now, -15m, now-1h)
//   rest fields   as keywords over the JSON value: a scalar, or any element of an array
// A NOT treats unknown (NULL) as false first, so `not user.name:x` keeps events with no user.name.
import { VigilError } from '../core/errors.js';
import { HOT_BY_FIELD, REST_COLUMN } from '../store/schema.js';
import type { Expr, RangeOp } from '../ql/ast.js';
import { ipv4Range, parseCidr } from '../ql/ip.js';
import { parseTime } from '../ql/time.js';
import { anyElement, likePattern, Params, resolveField, restList, type FieldRef, type SqlParam } from './sql.js';

const NUMBER_RE = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const ORIGINAL = HOT_BY_FIELD.get('event.original')!.column;

export interface FilterOptions {
  /** The instant relative times (`-1h`) count from; defaults to the current time. */
  now?: Date;
}

/** A reusable WHERE fragment for `expr`, its placeholders numbered from `paramStart`. */
export function compileFilter(expr: Expr, paramStart: number, opts: FilterOptions = {}): { sql: string; params: SqlParam[] } {
  const p = new Params(paramStart);
  const sql = filterSql(expr, p, opts.now ?? new Date());
  return { sql, params: p.values };
}

/** Like compileFilter, adding parameters to an existing collector (used by compileSearch). */
export function filterSql(e: Expr, p: Params, now: Date): string {
  switch (e.type) {
    case 'all':
      return 'TRUE';
    case 'and':
    case 'or':
      return '(' + e.items.map((x) => filterSql(x, p, now)).join(e.type === 'and' ? ' AND ' : ' OR ') + ')';
    case 'not':
      return `(NOT coalesce(${filterSql(e.expr, p, now)}, false))`;
    case 'term':
      return substringSql(ORIGINAL, e.value, e.wildcard, p);
    case 'match':
      return matchSql(resolveField(e.field), e.value, e.wildcard, p, now);
    case 'exists':
      return existsSql(resolveField(e.field), p);
    case 'range':
      return rangeSql(resolveField(e.field), e.op, e.value, p, now);
    case 'cidr':
      return cidrSql(resolveField(e.field), e.network, e.prefix, p, now);
  }
}

function matchSql(f: FieldRef, value: string, wildcard: boolean, p: Params, now: Date): string {
  const like = (x: string) => `${x} LIKE ${p.add(likePattern(value, wildcard, false))} ESCAPE '\\'`;
  if (f.where === 'rest') {
    const list = restList(p.add(f.path));
    return wildcard ? anyElement(list, like('x')) : `coalesce(list_contains(${list}, ${p.add(value)}), false)`;
  }
  const col = f.column;
  switch (f.kind) {
    case 'keyword':
    case 'ip':
      return wildcard ? like(col) : `${col} = ${p.add(value)}`;
    case 'keywords':
      return wildcard ? anyElement(col, like('x')) : `coalesce(list_contains(${col}, ${p.add(value)}), false)`;
    case 'text':
      return substringSql(col, value, wildcard, p);
    case 'long':
      if (wildcard) throw notFor(f.field, 'a number', 'wildcards');
      return `${col} = ${p.add(toNumber(f.field, value))}`;
    case 'time':
      if (wildcard) throw notFor(f.field, 'a time', 'wildcards');
      return `${col} = CAST(${p.add(toTime(value, now))} AS TIMESTAMP)`;
  }
}

/**
 * Case-insensitive substring match. Without a wildcard it is contains(lower(col), lowered value):
 * measured about three times faster than ILIKE on DuckDB 1.5 over log lines.
 */
function substringSql(col: string, value: string, wildcard: boolean, p: Params): string {
  if (wildcard && /(^|[^\\])\*/.test(value)) return `${col} ILIKE ${p.add(likePattern(value, wildcard, true))} ESCAPE '\\'`;
  const literal = wildcard ? value.replace(/\\(.)/g, '$1') : value;
  return `coalesce(contains(lower(${col}), ${p.add(literal.toLowerCase())}), false)`;
}

export function existsSql(f: FieldRef, p: Params): string {
  if (f.where === 'rest') {
    const path = p.add(f.path);
    // JSON null and [] count as missing, as in Elasticsearch.
    return (
      `coalesce(json_type(${REST_COLUMN}, ${path}) <> 'NULL' AND ` +
      `(json_type(${REST_COLUMN}, ${path}) <> 'ARRAY' OR json_array_length(${REST_COLUMN}, ${path}) > 0), false)`
    );
  }
  return f.kind === 'keywords' ? `coalesce(len(${f.column}) > 0, false)` : `${f.column} IS NOT NULL`;
}

function rangeSql(f: FieldRef, op: RangeOp, value: number | string, p: Params, now: Date): string {
  if (f.where === 'rest') {
    const list = restList(p.add(f.path));
    if (typeof value === 'number') return anyElement(list, `TRY_CAST(x AS DOUBLE) ${op} ${p.add(value)}`);
    // Text comparison; relative times become ISO text, which compares correctly with stored ISO times.
    const text = /^(now|[+-])/i.test(value) ? tryTime(value, now) ?? value : value;
    return anyElement(list, `x ${op} ${p.add(text)}`);
  }
  const col = f.column;
  switch (f.kind) {
    case 'long':
      return `${col} ${op} ${p.add(typeof value === 'number' ? value : toNumber(f.field, value))}`;
    case 'time':
      return `${col} ${op} CAST(${p.add(toTime(String(value), now))} AS TIMESTAMP)`;
    case 'keywords':
      return anyElement(col, `x ${op} ${p.add(String(value))}`);
    default:
      return `${col} ${op} ${p.add(String(value))}`;
  }
}

function cidrSql(f: FieldRef, network: string, prefix: number, p: Params, now: Date): string {
  const text = `${network}/${prefix}`;
  if (f.where === 'hot' && (f.kind === 'keyword' || f.kind === 'text')) return matchSql(f, text, false, p, now);
  if (f.where === 'hot' && (f.kind === 'long' || f.kind === 'time')) {
    throw new VigilError('bad_request', `${f.field} is not an IP field, so it cannot take the CIDR ${text}`, { field: f.field });
  }
  const cidr = parseCidr(text);
  if (!cidr) throw new VigilError('bad_request', `"${text}" is not a CIDR`, { field: f.field });
  if (cidr.version === 6) {
    if (prefix === 128) return matchSql(f, network.toLowerCase(), false, p, now);
    throw new VigilError('bad_request', `IPv6 CIDR is not supported yet (${text}); use an exact address or a wildcard`, {
      field: f.field,
    });
  }
  const [lo, hi] = ipv4Range(network, prefix);
  const pred = (x: string) => ipv4Between(x, p.add(lo), p.add(hi));
  if (f.where === 'rest') return anyElement(restList(p.add(f.path)), pred('x'));
  return f.kind === 'keywords' ? anyElement(f.column, pred('x')) : pred(f.column);
}

/** A dotted-quad string's numeric value between two bounds; anything not a dotted quad is false. */
function ipv4Between(x: string, lo: string, hi: string): string {
  const octet = (i: number) => `CAST(TRY_CAST(split_part(${x}, '.', ${i}) AS UTINYINT) AS BIGINT)`;
  return (
    `(regexp_full_match(${x}, '[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}') AND ` +
    `coalesce(${octet(1)} * 16777216 + ${octet(2)} * 65536 + ${octet(3)} * 256 + ${octet(4)} BETWEEN ${lo} AND ${hi}, false))`
  );
}

function toNumber(field: string, value: string): number {
  const n = Number(value);
  if (!NUMBER_RE.test(value) || !Number.isFinite(n)) {
    throw new VigilError('bad_request', `${field} is a number field, so "${value.slice(0, 80)}" cannot match it`, {
      field,
    });
  }
  return n;
}

function toTime(value: string, now: Date): string {
  return parseTime(value, now).toISOString();
}

function tryTime(value: string, now: Date): string | null {
  try {
    return toTime(value, now);
  } catch {
    return null;
  }
}

function notFor(field: string, what: string, feature: string): VigilError {
  return new VigilError('bad_request', `${field} is ${what} field and does not support ${feature}`, { field });
}
