// The sources table: every (tenant, host/observer, parser) that has sent events, with when it was first
// and last heard from (receive time) and its usual gap between deliveries, learned as a moving average.
// It is updated in the same transaction as the batch that carries the events, so it never runs ahead of
// or behind the events table; the silent-source watch reads it and records its alerts here.

export interface SourceSeen {
  tenant: string;
  /** observer.name, else host.name, else "" (a source that names no host). */
  host: string;
  /** The parser that recognised the events, or "" for unparsed ones. */
  parser: string;
  events: number;
  /** Latest receive time in the batch, epoch ms. */
  lastSeen: number;
}

export const SOURCES_DDL = `CREATE TABLE IF NOT EXISTS sources (
  tenant VARCHAR NOT NULL,
  host VARCHAR NOT NULL,
  parser VARCHAR NOT NULL,
  first_seen TIMESTAMP NOT NULL,
  last_seen TIMESTAMP NOT NULL,
  events UBIGINT NOT NULL,
  deliveries UBIGINT NOT NULL,
  gap_ms DOUBLE,
  alerted_at TIMESTAMP,
  PRIMARY KEY (tenant, host, parser))`;

// The usual gap is an exponential moving average (weight 0.2 for the newest) of the time between
// deliveries: batches in which the source appears. The batch's sources arrive as one JSON parameter, so
// the statement text never changes and is planned once (a VALUES list of a few hundred rows took DuckDB
// longer to plan than the batch's events took to load).
export function upsertSourcesSql(): string {
  return (
    `INSERT INTO sources SELECT s.tenant, s.host, s.parser, make_timestamp(s.t * 1000), make_timestamp(s.t * 1000), s.events, 1, NULL, NULL ` +
    `FROM (SELECT unnest(from_json($1, '[{"tenant":"VARCHAR","host":"VARCHAR","parser":"VARCHAR","events":"UBIGINT","t":"BIGINT"}]'), recursive := true)) AS s ` +
    `ON CONFLICT (tenant, host, parser) DO UPDATE SET ` +
    `events = events + excluded.events, deliveries = deliveries + 1, ` +
    `gap_ms = CASE WHEN gap_ms IS NULL THEN greatest(0, epoch_ms(excluded.last_seen) - epoch_ms(last_seen)) ` +
    `ELSE 0.8 * gap_ms + 0.2 * greatest(0, epoch_ms(excluded.last_seen) - epoch_ms(last_seen)) END, ` +
    `last_seen = greatest(last_seen, excluded.last_seen)`
  );
}

export function upsertSourcesParams(sources: readonly SourceSeen[]): string[] {
  return [JSON.stringify(sources.map((s) => ({ tenant: s.tenant, host: s.host, parser: s.parser, events: s.events, t: s.lastSeen })))];
}
