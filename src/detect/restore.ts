// Detection state back from the store at start-up, as of the last committed batch: open alerts (for
// dedup), first sightings, and the correlation engine's snapshot. A batch that was not committed is
// replayed from the queue against exactly this state, so it raises the same alerts with the same ids.
import type { DuckStore } from '../store/duckdb-store.js';
import type { AlertRow } from '../store/alerts.js';
import type { Sighting } from './first-seen.js';

export async function openAlerts(store: DuckStore, dedupWindowMs: number): Promise<AlertRow[]> {
  const ts = (c: string) => `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c}`;
  const { rows } = await store.query(
    `SELECT id, tenant, rule_id, rule_title, rule_kind, level, tags, group_key, group_by, ${ts('first_time')}, ${ts('last_time')}, count, event_ids, sample
       FROM alerts WHERE updated_at >= now() - to_milliseconds($1)`,
    [dedupWindowMs],
  );
  return rows.map((r) => ({
    id: String(r.id),
    tenant: String(r.tenant),
    rule_id: String(r.rule_id),
    rule_title: String(r.rule_title),
    rule_kind: r.rule_kind === 'correlation' ? 'correlation' : 'rule',
    level: String(r.level),
    tags: (r.tags as string[] | null) ?? [],
    group_key: String(r.group_key),
    group_by: typeof r.group_by === 'string' ? (JSON.parse(r.group_by) as Record<string, string>) : ((r.group_by as Record<string, string>) ?? {}),
    first_time: String(r.first_time),
    last_time: String(r.last_time),
    count: Number(r.count),
    event_ids: (r.event_ids as string[] | null) ?? [],
    sample: typeof r.sample === 'string' ? JSON.parse(r.sample) : r.sample,
    created: false,
  }));
}

export async function sightings(store: DuckStore): Promise<{ rows: Sighting[]; since: Map<string, number> }> {
  const { rows } = await store.query('SELECT tenant, key, value, epoch_ms(min(first_time)) AS t FROM first_seen GROUP BY tenant, key, value');
  const since = new Map<string, number>();
  const out: Sighting[] = [];
  for (const r of rows) {
    if (r.key === '_since') since.set(String(r.tenant), Number(r.t));
    else out.push({ tenant: String(r.tenant), key: String(r.key), value: String(r.value), time: Number(r.t) });
  }
  return { rows: out, since };
}

export async function savedState(store: DuckStore, name: string): Promise<unknown> {
  const { rows } = await store.query('SELECT state FROM detect_state WHERE name = $1', [name]);
  if (!rows.length) return undefined;
  const s = rows[0]!.state;
  return typeof s === 'string' ? JSON.parse(s) : s;
}
