// Detection state back from the store at start-up, as of the last committed batch: open alerts (for
// dedup), first sightings, and the correlation engine's snapshot. A batch that was not committed is
// replayed from the queue against exactly this state, so it raises the same alerts with the same ids.
import type { DuckStore } from '../store/duckdb-store.js';
import type { AlertRow } from '../store/alerts.js';
import { alertColumns, alertView } from './notify/alert-view.js';
import type { Sighting } from './first-seen.js';

export async function openAlerts(store: DuckStore, dedupWindowMs: number): Promise<AlertRow[]> {
  const { rows } = await store.query(`SELECT ${alertColumns('alerts')}, alerts.group_key FROM alerts WHERE updated_at >= now() - to_milliseconds($1)`, [dedupWindowMs]);
  return rows.map((r) => {
    const v = alertView(r);
    return {
      id: v.id,
      tenant: v.tenant,
      rule_id: v.rule.id,
      rule_title: v.rule.title,
      rule_kind: v.rule.kind,
      level: v.rule.level,
      tags: v.rule.tags,
      group_key: String(r.group_key),
      group_by: v.group_by,
      first_time: v.first_time,
      last_time: v.last_time,
      count: v.count,
      event_ids: v.event_ids,
      sample: v.sample,
      created: false,
    };
  });
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
