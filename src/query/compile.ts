// Query (ast.ts) -> parameterised DuckDB SQL for one tenant and time window. User values only ever
// travel as parameters; SQL text is column names from store/schema.ts plus fixed fragments.
//
// Hits:  SELECT * FROM events WHERE tenant = $1 AND ts >= $2 AND ts < $3 AND <filter>
//        ORDER BY <sort keys>, ts DESC, id DESC LIMIT min(head, scope.limit)   (+ a count(*) with the same WHERE)
// Stats: SELECT <aggs> AS c0.., <by> AS ck.. FROM events[, unnest(..)] WHERE .. GROUP BY .. ORDER BY .. LIMIT
//        Output aliases are positional (c0, c1, ...); `columns` carries the display names in the same order.
// Every number in a result row is a DOUBLE (a JS number from getRowObjectsJson), every time ISO 8601 text.
import { VigilError } from '../core/errors.js';
import { HOT_BY_FIELD, ID_COLUMN, TENANT_COLUMN } from '../store/schema.js';
import { aggName, type Agg, type Expr, type Pipe, type Query, type SortKey } from '../ql/ast.js';
import { existsSql, filterSql } from './filter.js';
import { isoText, Params, resolveField, restList, restScalar, type SqlParam } from './sql.js';

export { compileFilter, type FilterOptions } from './filter.js';
export type { SqlParam } from './sql.js';

export interface SearchScope {
  tenant: string;
  from: Date;
  to: Date;
  limit: number;
  /** The instant relative times inside the query (`@timestamp > -1h`) count from; defaults to now. */
  now?: Date;
}

export interface CompiledSearch {
  kind: 'hits' | 'stats';
  sql: string;
  params: SqlParam[];
  /** hits: `SELECT CAST(count(*) AS DOUBLE) AS n` over the same filter. */
  countSql?: string;
  /**
   * hits: ids of the top rows with the filter's total (`n`, a window count) in one scan, with `params`.
   * Worth it when the filter is costly (text scans); a cheap filter is faster as countSql + sql.
   */
  topWithCountSql?: string;
  /** hits: the filter scans text (bare terms, phrases, message/original matches). */
  costly?: boolean;
  /** hits: only the ids of the top rows, with `params`: reads just the columns the filter and sort need. */
  idsSql?: string;
  countParams?: SqlParam[];
  /** stats: display names of the output columns, in order (`count()`, `user.name`, or aliases). */
  columns?: string[];
  /** hits: the `fields` pipe's list, for projecting documents after they are rebuilt. */
  fields?: string[];
}

/** Stats rows returned when no `head` says otherwise (scope.limit applies to hits only). */
export const MAX_STATS_ROWS = 10_000;

const TS = HOT_BY_FIELD.get('@timestamp')!.column;

export function compileSearch(q: Query, scope: SearchScope): CompiledSearch {
  checkScope(scope);
  const p = new Params(1);
  // Fixed order: tenant is always $1 and the window $2..$3, whatever the query says.
  p.add(scope.tenant);
  p.add(scope.from.toISOString());
  p.add(scope.to.toISOString());
  const filter = filterSql(q.filter, p, scope.now ?? new Date());
  const where =
    `${TENANT_COLUMN} = $1 AND ${TS} >= CAST($2 AS TIMESTAMP) AND ${TS} < CAST($3 AS TIMESTAMP)` +
    (filter === 'TRUE' ? '' : ` AND ${filter}`);
  const statsAt = q.pipes.findIndex((x) => x.type === 'stats');
  if (statsAt < 0) return { ...hits(q.pipes, where, p, scope.limit), costly: scansText(q.filter) };
  const before = q.pipes.slice(0, statsAt);
  if (before.length) throw new VigilError('bad_request', `'${before[0]!.type}' before 'stats' is not supported; put it after`);
  const after = q.pipes.slice(statsAt + 1);
  const bad = after.find((x) => x.type === 'stats' || x.type === 'fields');
  if (bad) throw new VigilError('bad_request', `'${bad.type}' after 'stats' is not supported`);
  return stats(q.pipes[statsAt] as Extract<Pipe, { type: 'stats' }>, after, where, p);
}

/** True when evaluating the filter reads free text (the expensive part of a scan). */
function scansText(e: Expr): boolean {
  switch (e.type) {
    case 'term':
      return true;
    case 'match':
      return HOT_BY_FIELD.get(e.field)?.kind === 'text';
    case 'and':
    case 'or':
      return e.items.some(scansText);
    case 'not':
      return scansText(e.expr);
    default:
      return false;
  }
}

function checkScope(s: SearchScope): void {
  for (const [name, d] of [['from', s.from], ['to', s.to]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new VigilError('bad_time', `invalid ${name} time`, { parameter: name });
  }
  if (typeof s.tenant !== 'string' || s.tenant === '') throw new VigilError('bad_request', 'a tenant is required');
  if (!Number.isInteger(s.limit) || s.limit < 0) {
    throw new VigilError('bad_request', 'limit must be a non-negative integer', { parameter: 'limit' });
  }
}

/** Applies sort/head pipes in order; a sort after a head would need a subquery, so it is refused. */
function sortAndHead(pipes: Pipe[]): { keys: SortKey[] | null; head: number | null; fields: string[] | null } {
  let keys: SortKey[] | null = null;
  let head: number | null = null;
  let fields: string[] | null = null;
  for (const x of pipes) {
    if (x.type === 'sort') {
      if (head !== null) throw new VigilError('bad_request', "'sort' after 'head' is not supported; sort first");
      keys = x.keys; // a later sort replaces an earlier one
    } else if (x.type === 'head') head = Math.min(head ?? Infinity, x.n);
    else if (x.type === 'fields') fields = x.fields;
  }
  return { keys, head, fields };
}

function hits(pipes: Pipe[], where: string, p: Params, limit: number): CompiledSearch {
  const { keys, head, fields } = sortAndHead(pipes);
  const countParams = [...p.values];
  const order = (keys ?? []).map((k) => hitSortSql(k, p));
  order.push(`${TS} DESC`, `${ID_COLUMN} DESC`);
  const sql = `SELECT * FROM events WHERE ${where} ORDER BY ${order.join(', ')} LIMIT ${p.add(Math.min(head ?? limit, limit))}`;
  const out: CompiledSearch = {
    kind: 'hits',
    sql,
    params: p.values,
    countSql: `SELECT CAST(count(*) AS DOUBLE) AS n FROM events WHERE ${where}`,
    countParams,
    // Window functions run before ORDER BY/LIMIT, so n counts every row the filter keeps.
    topWithCountSql: sql.replace(/^SELECT \* /, `SELECT ${ID_COLUMN}, CAST(count(*) OVER () AS DOUBLE) AS n `),
    idsSql: sql.replace(/^SELECT \* /, `SELECT ${ID_COLUMN} `),
  };
  if (fields) out.fields = [...fields];
  return out;
}

function hitSortSql(k: SortKey, p: Params): string {
  if (k.field.includes('(')) throw new VigilError('bad_request', `sorting by ${k.field} needs a 'stats' pipe before the sort`);
  const f = resolveField(k.field);
  const dir = k.desc ? 'DESC' : 'ASC';
  if (f.where === 'hot') return `${f.column} ${dir} NULLS LAST`;
  // Numbers sort as numbers, the rest as text after them.
  const v = restScalar(p.add(f.path));
  return `TRY_CAST(${v} AS DOUBLE) ${dir} NULLS LAST, ${v} ${dir} NULLS LAST`;
}

function stats(s: Extract<Pipe, { type: 'stats' }>, after: Pipe[], where: string, p: Params): CompiledSearch {
  const select: string[] = [];
  const columns: string[] = [];
  for (const a of s.aggs) {
    select.push(`${aggSql(a, p)} AS c${select.length}`);
    columns.push(aggName(a));
  }
  const laterals: string[] = [];
  const groupAliases: string[] = [];
  for (const field of s.by) {
    const alias = `c${select.length}`;
    select.push(`${groupSql(field, p, laterals)} AS ${alias}`);
    columns.push(field);
    groupAliases.push(alias);
  }
  const { keys, head } = sortAndHead(after);
  let order: string[];
  if (keys) {
    order = keys.map((k) => {
      const i = columns.indexOf(k.field);
      if (i < 0) throw new VigilError('bad_request', `cannot sort by ${k.field}: the stats columns are ${columns.join(', ')}`);
      return `c${i} ${k.desc ? 'DESC' : 'ASC'} NULLS LAST`;
    });
  } else {
    // Default: biggest groups first, then the group values for a stable order.
    const count = s.aggs.findIndex((a) => a.fn === 'count' && a.field === undefined);
    order = count >= 0 ? [`c${count} DESC`] : [];
  }
  order.push(...groupAliases.map((a) => `${a} ASC NULLS LAST`));
  const limit = p.add(Math.min(head ?? MAX_STATS_ROWS, MAX_STATS_ROWS));
  const sql =
    `SELECT ${select.join(', ')} FROM events${laterals.join('')} WHERE ${where}` +
    (groupAliases.length ? ` GROUP BY ${groupAliases.join(', ')}` : '') +
    (order.length ? ` ORDER BY ${order.join(', ')}` : '') +
    ` LIMIT ${limit}`;
  return { kind: 'stats', sql, params: p.values, columns };
}

/**
 * A group-by value. List-valued fields (keywords columns, and rest fields, which may hold arrays) are
 * unnested through a lateral join so each element is its own group; an event without the field falls in
 * the NULL group, as it does for scalar fields.
 */
function groupSql(field: string, p: Params, laterals: string[]): string {
  const f = resolveField(field);
  let list: string | null = null;
  if (f.where === 'rest') list = restList(p.add(f.path));
  else if (f.kind === 'keywords') list = f.column;
  else if (f.kind === 'long') return `CAST(${f.column} AS DOUBLE)`;
  else if (f.kind === 'time') return isoText(f.column);
  else return f.column;
  const u = `u${laterals.length}`;
  laterals.push(`, unnest(CASE WHEN len(list_distinct(${list})) > 0 THEN list_distinct(${list}) ELSE [NULL::VARCHAR] END) AS ${u}(g)`);
  return `${u}.g`;
}

function aggSql(a: Agg, p: Params): string {
  if (a.field === undefined) return 'CAST(count(*) AS DOUBLE)';
  const f = resolveField(a.field);
  const name = aggName({ fn: a.fn, field: a.field });
  if (a.fn === 'count') return `CAST(count(*) FILTER (WHERE ${existsSql(f, p)}) AS DOUBLE)`;
  if (f.where === 'rest') {
    const path = p.add(f.path);
    if (a.fn === 'dc') return `CAST(len(list_distinct(flatten(list(${restList(path)})))) AS DOUBLE)`;
    // min/max/avg/sum on rest fields are numeric: values that are not numbers are skipped.
    return `${a.fn}(TRY_CAST(${restScalar(path)} AS DOUBLE))`;
  }
  const col = f.column;
  switch (f.kind) {
    case 'keywords':
      if (a.fn === 'dc') return `CAST(len(list_distinct(flatten(list(${col})))) AS DOUBLE)`;
      if (a.fn === 'min') return `min(list_min(${col}))`;
      if (a.fn === 'max') return `max(list_max(${col}))`;
      throw notNumeric(name, a.field);
    case 'long':
      return a.fn === 'dc' ? `CAST(count(DISTINCT ${col}) AS DOUBLE)` : `CAST(${a.fn}(${col}) AS DOUBLE)`;
    case 'time':
      if (a.fn === 'dc') return `CAST(count(DISTINCT ${col}) AS DOUBLE)`;
      if (a.fn === 'min' || a.fn === 'max') return isoText(`${a.fn}(${col})`);
      throw notNumeric(name, a.field);
    default:
      if (a.fn === 'dc') return `CAST(count(DISTINCT ${col}) AS DOUBLE)`;
      if (a.fn === 'min' || a.fn === 'max') return `${a.fn}(${col})`;
      throw notNumeric(name, a.field);
  }
}

function notNumeric(name: string, field: string): VigilError {
  return new VigilError('bad_request', `${name} needs a numeric field, and ${field} is not one`, { field });
}
