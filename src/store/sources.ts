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
// deliveries: batches in which the source appears.
export function upsertSourcesSql(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, make_timestamp($${b + 5} * 1000), make_timestamp($${b + 5} * 1000), $${b + 4}, 1, NULL, NULL)`;
  });
  return (
    `INSERT INTO sources VALUES ${rows.join(', ')} ON CONFLICT (tenant, host, parser) DO UPDATE SET ` +
    `events = events + excluded.events, deliveries = deliveries + 1, ` +
    `gap_ms = CASE WHEN gap_ms IS NULL THEN greatest(0, epoch_ms(excluded.last_seen) - epoch_ms(last_seen)) ` +
    `ELSE 0.8 * gap_ms + 0.2 * greatest(0, epoch_ms(excluded.last_seen) - epoch_ms(last_seen)) END, ` +
    `last_seen = greatest(last_seen, excluded.last_seen)`
  );
}

export function upsertSourcesParams(sources: readonly SourceSeen[]): (string | number)[] {
  return sources.flatMap((s) => [s.tenant, s.host, s.parser, s.events, s.lastSeen]);
}
