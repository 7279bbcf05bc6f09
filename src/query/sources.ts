// Sources and whether they have gone silent. A source is a tenant's (host or observer, parser) pair; it
// is silent when nothing has arrived from it for longer than expected: an explicit expectation from the
// config, or else its learned rhythm (factor x its usual gap between deliveries, never less than
// min_silence), or before it has a rhythm (fewer than 3 deliveries) default_silence.
import type { DuckStore } from '../store/duckdb-store.js';
import { isoText } from './sql.js';

export interface SilencePolicy {
  minSilenceMs: number;
  factor: number;
  defaultSilenceMs: number;
  expect: { tenant: string; host?: string | undefined; parser?: string | undefined; withinMs: number }[];
}

export interface SourceStatus {
  tenant: string;
  /** `parser@host`, or just the parser when the source names no host. */
  name: string;
  host: string;
  parser: string;
  first_seen: string;
  last_seen: string;
  events: number;
  deliveries: number;
  /** Learned gap between deliveries, seconds (null until there are two). */
  usual_interval_s: number | null;
  /** Silent after this long without events, seconds, and where that figure comes from. */
  expected_within_s: number;
  expectation: 'configured' | 'learned' | 'default';
  status: 'active' | 'silent';
  /** When the watch raised its alert for the current silence. */
  alerted_at: string | null;
}

export function sourceName(host: string, parser: string): string {
  const p = parser || 'unparsed';
  return host ? `${p}@${host}` : p;
}

export async function listSources(store: DuckStore, policy: SilencePolicy, tenant: string | null, now: Date = new Date()): Promise<SourceStatus[]> {
  const { rows } = await store.query(
    `SELECT tenant, host, parser, ${isoText('first_seen')} AS first_seen,
            ${isoText('last_seen')} AS last_seen, epoch_ms(last_seen) AS last_ms,
            events, deliveries, gap_ms, ${isoText('alerted_at')} AS alerted_at
       FROM sources ${tenant === null ? '' : 'WHERE tenant = $1'} ORDER BY tenant, host, parser`,
    tenant === null ? [] : [tenant],
  );
  return rows.map((r) => {
    const host = String(r.host);
    const parser = String(r.parser);
    const t = String(r.tenant);
    const deliveries = Number(r.deliveries);
    const gap = r.gap_ms === null || r.gap_ms === undefined ? null : Number(r.gap_ms);
    const configured = policy.expect.find((e) => e.tenant === t && (e.host === undefined || e.host === host) && (e.parser === undefined || e.parser === parser));
    let within: number;
    let expectation: SourceStatus['expectation'];
    if (configured) {
      within = configured.withinMs;
      expectation = 'configured';
    } else if (gap !== null && deliveries >= 3) {
      within = Math.max(policy.minSilenceMs, policy.factor * gap);
      expectation = 'learned';
    } else {
      within = Math.max(policy.minSilenceMs, policy.defaultSilenceMs);
      expectation = 'default';
    }
    const silent = now.getTime() - Number(r.last_ms) > within;
    return {
      tenant: t,
      name: sourceName(host, parser),
      host,
      parser,
      first_seen: String(r.first_seen),
      last_seen: String(r.last_seen),
      events: Number(r.events),
      deliveries,
      usual_interval_s: gap === null ? null : Math.round(gap / 100) / 10,
      expected_within_s: Math.round(within / 100) / 10,
      expectation,
      status: silent ? 'silent' : 'active',
      alerted_at: r.alerted_at === null || r.alerted_at === undefined ? null : String(r.alerted_at),
    };
  });
}
