// Runs a query-language search against the store for one tenant: parse, compile to parameterised SQL,
// execute, and shape the answer (hits with total, or stats rows with columns).
import { parseQuery } from '../ql/parser.js';
import { compileSearch } from '../query/compile.js';
import { DuckStore } from '../store/duckdb-store.js';
import { getPath, setPath, type EcsDoc } from '../core/event.js';

export interface SearchRequest {
  tenant: string;
  q: string;
  from: Date;
  to: Date;
  limit: number;
}

export type SearchResult =
  | { hits: EcsDoc[]; total: number; took_ms: number }
  | { rows: unknown[][]; columns: string[]; took_ms: number };

export async function runSearch(store: DuckStore, r: SearchRequest): Promise<SearchResult> {
  const t0 = performance.now();
  const query = parseQuery(r.q);
  const c = compileSearch(query, { tenant: r.tenant, from: r.from, to: r.to, limit: r.limit });
  if (c.kind === 'stats') {
    const { rows } = await store.query(c.sql, c.params);
    const columns = c.columns ?? [];
    const keys = rows.length ? Object.keys(rows[0]!) : columns;
    return {
      columns,
      rows: rows.map((row) => keys.map((k: string) => normaliseValue(row[k]))),
      took_ms: Math.round(performance.now() - t0),
    };
  }
  // Two phases: the top-N runs over the narrow columns it needs (DuckDB pushes the projection into the
  // compiled query), then only the winning rows are read whole. Reading every column of every match
  // to keep 100 was the cost of a broad term query.
  // A costly filter (a text scan) runs once, counting with a window; a cheap one runs as two queries,
  // where DuckDB answers the count from metadata and streams the top-N.
  let top: { rows: Record<string, unknown>[] };
  let total: number;
  if (c.costly && c.topWithCountSql && r.limit > 0) {
    top = await store.query(c.topWithCountSql, c.params);
    total = top.rows.length ? Number(top.rows[0]!.n) : 0;
  } else {
    const [t, count] = await Promise.all([
      store.query(c.idsSql!, c.params),
      store.query(c.countSql!, c.countParams ?? []),
    ]);
    top = t;
    total = Number(Object.values(count.rows[0] ?? { n: 0 })[0]);
  }
  const ids = top.rows.map((row) => BigInt(row.id as string | number));
  let docs: EcsDoc[] = [];
  if (ids.length) {
    const full = await store.eventsByIds(r.tenant, ids);
    const byId = new Map(full.map((d) => [String(d._id), d]));
    docs = ids.map((id) => byId.get(String(id))).filter((d): d is EcsDoc => d !== undefined);
  }
  if (c.fields && c.fields.length) docs = docs.map((d) => project(d, c.fields!));
  return { hits: docs, total, took_ms: Math.round(performance.now() - t0) };
}

/** Aggregates come back as DOUBLE (JS numbers); a stray BIGINT is made a number too. */
function normaliseValue(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

function project(doc: EcsDoc, fields: string[]): EcsDoc {
  const out: EcsDoc = {};
  for (const f of fields) {
    const v = getPath(doc, f);
    if (v !== undefined) setPath(out, f, v);
  }
  if (doc._id !== undefined) out._id = doc._id;
  return out;
}
