// Alerts and what must still be done about them, committed in the same transaction as the batch of
// events that raised them (so a crash neither loses an alert nor raises it twice):
//   alerts        one row per alert; a repeat of the same rule and group inside the dedup window
//                 updates the row (count, last time, event ids) instead of adding one
//   outbox        deliveries still owed for an alert: its searchable event, webhooks, syslog, email;
//                 a row is deleted once delivered, so a restart resends exactly what was not
//   detect_state  the correlation engine's state after the batch, so windows survive a restart

export interface AlertRow {
  id: string;
  tenant: string;
  rule_id: string;
  rule_title: string;
  rule_kind: 'rule' | 'correlation';
  level: string;
  tags: string[];
  group_key: string;
  group_by: Record<string, string>;
  first_time: string;
  last_time: string;
  count: number;
  event_ids: string[];
  sample: unknown;
  /** True for a new alert, false for an update of an open one. */
  created: boolean;
}

export interface OutboxRow {
  id: string;
  alert_id: string;
  tenant: string;
  destination: string;
  payload: unknown;
}

export const ALERTS_DDL = [
  `CREATE TABLE IF NOT EXISTS alerts (
    id VARCHAR PRIMARY KEY,
    tenant VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    rule_title VARCHAR NOT NULL,
    rule_kind VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    tags VARCHAR[],
    group_key VARCHAR NOT NULL,
    group_by JSON,
    first_time TIMESTAMP NOT NULL,
    last_time TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    count UBIGINT NOT NULL,
    event_ids VARCHAR[],
    sample JSON)`,
  `CREATE TABLE IF NOT EXISTS outbox (
    id VARCHAR PRIMARY KEY,
    alert_id VARCHAR NOT NULL,
    tenant VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    payload JSON NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TIMESTAMP NOT NULL,
    last_error VARCHAR,
    failed BOOLEAN NOT NULL DEFAULT false)`,
  `CREATE TABLE IF NOT EXISTS detect_state (name VARCHAR PRIMARY KEY, state JSON NOT NULL)`,
  // Append-only, no key: an index insert per sighting cost more than the rest of the batch's detection
  // writes together. A replayed batch may add a row twice; readers keep the first.
  `CREATE TABLE IF NOT EXISTS first_seen (tenant VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL, first_time TIMESTAMP NOT NULL)`,
];

export interface SightingRow {
  tenant: string;
  key: string;
  value: string;
  time: number;
}

/** All sightings in one JSON parameter: thousands of bound VALUES parameters parsed slowly (90 ms / 2,500). */
export function insertSightingsSql(): string {
  return (
    `INSERT INTO first_seen SELECT s.tenant, s.key, s.value, make_timestamp(s.t * 1000) ` +
    `FROM (SELECT unnest(from_json($1, '[{"tenant":"VARCHAR","key":"VARCHAR","value":"VARCHAR","t":"BIGINT"}]'), recursive := true)) AS s`
  );
}

export function insertSightingsParams(rows: readonly SightingRow[]): string[] {
  return [JSON.stringify(rows.map((r) => ({ tenant: r.tenant, key: r.key, value: r.value, t: r.time })))];
}

/** At most this many event ids are kept per alert (the first ones, then the latest). */
export const MAX_ALERT_EVENT_IDS = 100;

export function upsertAlertsSql(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const b = i * 14;
    const at = (k: number) => `$${b + k}`;
    return (
      `(${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, CAST(json(${at(7)}) AS VARCHAR[]), ${at(8)}, json(${at(9)}), ` +
      `CAST(${at(10)} AS TIMESTAMP), CAST(${at(11)} AS TIMESTAMP), now(), now(), ${at(12)}, CAST(json(${at(13)}) AS VARCHAR[]), json(${at(14)}))`
    );
  });
  return (
    `INSERT INTO alerts VALUES ${rows.join(', ')} ON CONFLICT (id) DO UPDATE SET ` +
    `last_time = greatest(last_time, excluded.last_time), first_time = least(first_time, excluded.first_time), ` +
    `updated_at = now(), count = excluded.count, level = excluded.level, ` +
    `event_ids = excluded.event_ids`
  );
}

export function upsertAlertsParams(alerts: readonly AlertRow[]): (string | number)[] {
  return alerts.flatMap((a) => [
    a.id,
    a.tenant,
    a.rule_id,
    a.rule_title,
    a.rule_kind,
    a.level,
    JSON.stringify(a.tags),
    a.group_key,
    JSON.stringify(a.group_by),
    a.first_time,
    a.last_time,
    a.count,
    JSON.stringify(a.event_ids),
    JSON.stringify(a.sample ?? null),
  ]);
}

export function insertOutboxSql(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, json($${i * 5 + 5}), 0, now(), NULL, false)`);
  return `INSERT INTO outbox VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`;
}

export function insertOutboxParams(rows: readonly OutboxRow[]): string[] {
  return rows.flatMap((r) => [r.id, r.alert_id, r.tenant, r.destination, JSON.stringify(r.payload)]);
}
