// Coverage: for a tenant and a time window, each catalogue requirement and principle with its status,
// event count, sources and field completeness. One grouped query over the stored requirement and
// principle columns answers every requirement at once (and, for a platform, every hosted tenant too);
// the statuses are then decided here from those counts, the tenant's declarations and the supply chain.
import type { Catalog, CatalogEntry } from '../catalog/catalog.js';
import type { DuckStore } from '../store/duckdb-store.js';
import { isoText, Params } from './sql.js';
import { sourceName, type SourceStatus } from './sources.js';

export type CoverageStatus = 'met' | 'partial' | 'missing' | 'inherited' | 'not_applicable';

export interface CoverageTenant {
  name: string;
  kind: 'tenant' | 'platform';
  hosted_on?: string | undefined;
  provides: string[];
  not_applicable: { id: string; reason: string }[];
}

export interface CoverageSource {
  name: string;
  host: string;
  parser: string;
  events: number;
  last_seen: string;
  status: 'active' | 'silent' | 'unknown';
}

export interface CoverageRow {
  id: string;
  title: string;
  kind: 'principle' | 'requirement';
  framework: string;
  tier: string;
  group: string | null;
  principles: string[];
  status: CoverageStatus;
  events: number;
  last_seen: string | null;
  sources: CoverageSource[];
  /** Share of evidencing events carrying each field (required and optional ones). */
  fields: Record<string, number>;
  missing_fields: string[];
  optional_fields: string[];
  inherited_from: string | null;
  reason: string | null;
  /** Events were seen, but every source that sent them has gone silent. */
  at_risk: boolean;
  /** For a principle met through requirements: which ones. */
  via: string[];
  text: string;
}

export interface GroupRow {
  id: string;
  title: string;
  kind: 'principle' | 'requirement';
  tier: string;
  status: CoverageStatus;
  items: string[];
}

export type Summary = Record<CoverageStatus, number> & { at_risk: number };

export interface CoverageReport {
  tenant: string;
  kind: 'tenant' | 'platform';
  hosted_on: string | null;
  tier: string;
  from: string;
  to: string;
  requirements: CoverageRow[];
  principles: CoverageRow[];
  groups: GroupRow[];
  summary: Summary;
  principles_summary: Summary;
  /** A platform's view: each hosted tenant and what it still owes (missing or partial requirements). */
  tenants?: { name: string; summary: Summary; owes: { id: string; status: CoverageStatus; missing_fields: string[] }[] }[];
}

export interface CoverageRequest {
  tenant: CoverageTenant;
  /** `all`, or a tier name (baseline, enhanced, or a custom framework's). */
  tier: string;
  from: Date;
  to: Date;
  /** Tenants by name, to find the platform a tenant is hosted on and a platform's tenants. */
  tenants: readonly CoverageTenant[];
  /** Current source statuses, to mark requirements whose only sources went silent. */
  sources?: readonly SourceStatus[];
}

interface Counts {
  events: number;
  last: string | null;
  /** Field name -> events of this id that lacked it. */
  missing: Map<string, number>;
  sources: { host: string; parser: string; events: number; last: string }[];
}

const ALL = '*';

/** Computes the report for one tenant (and, for a platform, the summaries of its tenants). */
export async function computeCoverage(store: DuckStore, catalog: Catalog, req: CoverageRequest): Promise<CoverageReport> {
  const hosted = req.tenant.kind === 'platform' ? req.tenants.filter((t) => t.hosted_on === req.tenant.name) : [];
  const names = [req.tenant.name, ...hosted.map((t) => t.name)];
  const counts = await queryCounts(store, names, req.from, req.to);
  const report = buildReport(catalog, req.tenant, req, counts.get(req.tenant.name) ?? new Map());
  if (req.tenant.kind === 'platform') {
    report.tenants = hosted.map((t) => {
      const r = buildReport(catalog, t, { ...req, tenant: t }, counts.get(t.name) ?? new Map());
      return {
        name: t.name,
        summary: r.summary,
        owes: r.requirements
          .filter((x) => x.status === 'missing' || x.status === 'partial')
          .map((x) => ({ id: x.id, status: x.status, missing_fields: x.missing_fields })),
      };
    });
  }
  return report;
}

/**
 * tenant -> entry id (or `*` for all events) -> counts, from one statement over three list columns:
 * requirements and principles (unnested: events and sources per id) and coverage_missing ("ID/field"
 * markers the classifier wrote for absent fields: unnested, counted per id and field). No event's
 * JSON is read. (Testing fields in `rest` here instead took 2.8 s at 1M events; this takes well under
 * a second: docs/benchmarks.md.)
 */
async function queryCounts(
  store: DuckStore,
  tenants: string[],
  from: Date,
  to: Date,
): Promise<Map<string, Map<string, Counts>>> {
  const p = new Params(1);
  const tenantList = tenants.map((t) => p.add(t)).join(', ');
  const fromP = p.add(from.toISOString());
  const toP = p.add(to.toISOString());
  const sql = `
    WITH base AS (
      SELECT tenant, ts, coalesce(observer_name, host_name, '') AS src_host, coalesce(parser, '') AS src_parser,
             list_concat(coalesce(requirements, []), coalesce(principles, []), ['${ALL}']) AS tags, coverage_missing
        FROM events WHERE tenant IN (${tenantList}) AND ts >= CAST(${fromP} AS TIMESTAMP) AND ts < CAST(${toP} AS TIMESTAMP)
         -- Vigil's own alerts and silent-source notices are not the tenant's logs (pipeline.ts OWN_FINDINGS).
         AND coalesce(input, '') NOT IN ('detect', 'monitor')
    )
    SELECT 'events' AS kind, tenant, rid, src_host, src_parser, NULL AS field, count(*) AS n,
           ${isoText('max(ts)')} AS last
      FROM (SELECT tenant, ts, src_host, src_parser, unnest(tags) AS rid FROM base) GROUP BY ALL
    UNION ALL
    SELECT 'missing', tenant, split_part(marker, '/', 1), NULL, NULL, split_part(marker, '/', 2), count(*), NULL
      FROM (SELECT tenant, unnest(coverage_missing) AS marker FROM base WHERE len(coverage_missing) > 0) GROUP BY ALL`;
  const { rows } = await store.query(sql, p.values);
  const out = new Map<string, Map<string, Counts>>();
  const entry = (t: string, id: string): Counts => {
    let m = out.get(t);
    if (!m) out.set(t, (m = new Map()));
    let c = m.get(id);
    if (!c) m.set(id, (c = { events: 0, last: null, missing: new Map(), sources: [] }));
    return c;
  };
  for (const r of rows) {
    const c = entry(String(r.tenant), String(r.rid));
    const n = Number(r.n);
    if (r.kind === 'missing') {
      c.missing.set(String(r.field), n);
      continue;
    }
    const last = String(r.last);
    c.events += n;
    if (c.last === null || last > c.last) c.last = last;
    c.sources.push({ host: String(r.src_host), parser: String(r.src_parser), events: n, last });
  }
  return out;
}

function buildReport(
  catalog: Catalog,
  tenant: CoverageTenant,
  req: CoverageRequest,
  counts: Map<string, Counts>,
): CoverageReport {
  const platform = tenant.hosted_on ? req.tenants.find((t) => t.name === tenant.hosted_on && t.kind === 'platform') : undefined;
  const provided = new Set((platform?.provides ?? []).flatMap((id) => catalog.expand(id)));
  const notApplicable = new Map<string, string>();
  for (const na of tenant.not_applicable) for (const id of catalog.expand(na.id)) notApplicable.set(id, na.reason);
  const silent = new Map((req.sources ?? []).filter((s) => s.tenant === tenant.name).map((s) => [`${s.host}\u0000${s.parser}`, s.status]));

  const row = (e: CatalogEntry): CoverageRow => {
    const c = counts.get(e.allEvents ? ALL : e.id);
    const events = c?.events ?? 0;
    const fields: Record<string, number> = {};
    const missing: string[] = [];
    for (const f of e.fields) {
      const share = events > 0 ? (events - (c?.missing.get(f.name) ?? 0)) / events : 0;
      fields[f.name] = Math.round(share * 1000) / 1000;
      if (!f.optional && share === 0) missing.push(f.name);
    }
    const sources: CoverageSource[] = (c?.sources ?? [])
      .sort((a, b) => b.events - a.events)
      .map((s) => ({
        name: sourceName(s.host, s.parser),
        host: s.host,
        parser: s.parser,
        events: s.events,
        last_seen: s.last,
        status: (silent.get(`${s.host}\u0000${s.parser}`) ?? 'unknown') as CoverageSource['status'],
      }));
    const inheritedFrom = provided.has(e.id) ? platform!.name : null;
    const reason = notApplicable.get(e.id) ?? null;
    let status: CoverageStatus;
    if (reason !== null) status = 'not_applicable';
    else if (events > 0) status = missing.length ? 'partial' : 'met';
    else if (inheritedFrom) status = 'inherited';
    else status = 'missing';
    return {
      id: e.id,
      title: e.title,
      kind: e.kind,
      framework: e.framework,
      tier: e.tier,
      group: e.parent ?? null,
      principles: e.principles,
      status,
      events,
      last_seen: c?.last ?? null,
      sources,
      fields,
      // With no events every required field is missing, unless the row is covered another way.
      missing_fields: events > 0 ? missing : status === 'missing' ? e.fields.filter((f) => !f.optional).map((f) => f.name) : [],
      optional_fields: e.fields.filter((f) => f.optional).map((f) => f.name),
      inherited_from: inheritedFrom,
      reason,
      at_risk: events > 0 && sources.length > 0 && sources.every((s) => s.status === 'silent'),
      via: [],
      text: e.text,
    };
  };

  const allRequirements = catalog.leaves('requirement').map(row);
  const requirements = allRequirements.filter((r) => req.tier === 'all' || r.tier === req.tier);
  const principles = catalog.leaves('principle').map((e) => {
    const r = row(e);
    if (r.status !== 'missing') return r;
    // No evidence of its own: the principle stands on the requirements that serve it.
    const serving = allRequirements.filter((x) => x.principles.includes(e.id));
    for (const best of ['met', 'partial', 'inherited'] as const) {
      const via = serving.filter((x) => x.status === best);
      if (via.length) {
        r.status = best;
        r.via = via.map((x) => x.id);
        if (best === 'inherited') r.inherited_from = via[0]!.inherited_from;
        break;
      }
    }
    return r;
  });

  const statusOf = new Map([...allRequirements, ...principles].map((r) => [r.id, r.status]));
  const groups: GroupRow[] = catalog
    .groups()
    .filter((g) => g.kind === 'principle' || req.tier === 'all' || catalog.expand(g.id).some((id) => catalog.get(id)?.tier === req.tier))
    .map((g) => ({ id: g.id, title: g.title, kind: g.kind, tier: g.tier, status: rollUp(catalog.expand(g.id).map((id) => statusOf.get(id) ?? 'missing')), items: g.items }));

  return {
    tenant: tenant.name,
    kind: tenant.kind,
    hosted_on: tenant.hosted_on ?? null,
    tier: req.tier,
    from: req.from.toISOString(),
    to: req.to.toISOString(),
    requirements,
    principles,
    groups,
    summary: summarise(requirements),
    principles_summary: summarise(principles),
  };
}

/** A group is met when every item is covered one way or another; partial when some are. */
function rollUp(statuses: CoverageStatus[]): CoverageStatus {
  const covered = (s: CoverageStatus) => s === 'met' || s === 'inherited' || s === 'not_applicable';
  if (statuses.every((s) => s === 'not_applicable')) return 'not_applicable';
  if (statuses.every(covered)) return statuses.includes('met') ? 'met' : 'inherited';
  if (statuses.some((s) => s !== 'missing')) return 'partial';
  return 'missing';
}

function summarise(rows: CoverageRow[]): Summary {
  const s: Summary = { met: 0, partial: 0, missing: 0, inherited: 0, not_applicable: 0, at_risk: 0 };
  for (const r of rows) {
    s[r.status]++;
    if (r.at_risk) s.at_risk++;
  }
  return s;
}
