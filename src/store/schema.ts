// The events table: hot ECS fields as typed columns (fast filters, zone-map pruning, good compression),
// every other field in `rest` (JSON), and the raw bytes in `original`. A stored document is rebuilt as
// rest + hot columns + original, so no field is kept twice.

export type ColumnKind =
  | 'time' //      TIMESTAMP, UTC
  | 'keyword' //   VARCHAR, exact match
  | 'keywords' //  VARCHAR[], matches if any element matches
  | 'text' //      VARCHAR, free text: field:value is a case-insensitive phrase match
  | 'ip' //        VARCHAR holding a canonical IP address; CIDR queries apply
  | 'long'; //     BIGINT

export interface HotField {
  /** ECS path, e.g. "user.name". */
  field: string;
  /** Column name in the events table. */
  column: string;
  kind: ColumnKind;
  /** How queries read the field, when that is not just the column (a fixed SQL fragment). */
  read?: string;
}

/** Columns always present and not ECS fields of their own. */
export const TENANT_COLUMN = 'tenant';
export const ID_COLUMN = 'id'; // UBIGINT: WAL entry position * 2^20 + event index in entry; stable across replays
export const REST_COLUMN = 'rest'; // JSON: every field not listed in HOT_FIELDS
// INTEGER: when `message` is the tail of `original` (every syslog line), it is not stored twice: the
// message column is NULL and this holds its length in characters.
export const MESSAGE_LEN_COLUMN = 'message_len';

export const HOT_FIELDS: readonly HotField[] = [
  { field: '@timestamp', column: 'ts', kind: 'time' },
  { field: 'event.ingested', column: 'ingested', kind: 'time' },
  { field: 'event.kind', column: 'event_kind', kind: 'keyword' },
  { field: 'event.category', column: 'event_category', kind: 'keywords' },
  { field: 'event.type', column: 'event_type', kind: 'keywords' },
  { field: 'event.action', column: 'event_action', kind: 'keyword' },
  { field: 'event.outcome', column: 'event_outcome', kind: 'keyword' },
  { field: 'event.dataset', column: 'event_dataset', kind: 'keyword' },
  { field: 'user.name', column: 'user_name', kind: 'keyword' },
  { field: 'source.ip', column: 'source_ip', kind: 'ip' },
  { field: 'source.port', column: 'source_port', kind: 'long' },
  { field: 'destination.ip', column: 'destination_ip', kind: 'ip' },
  { field: 'destination.port', column: 'destination_port', kind: 'long' },
  { field: 'host.name', column: 'host_name', kind: 'keyword' },
  { field: 'observer.name', column: 'observer_name', kind: 'keyword' },
  { field: 'process.name', column: 'process_name', kind: 'keyword' },
  { field: 'process.pid', column: 'process_pid', kind: 'long' },
  { field: 'log.syslog.priority', column: 'syslog_priority', kind: 'long' },
  { field: 'log.syslog.severity.code', column: 'syslog_severity', kind: 'long' },
  { field: 'related.ip', column: 'related_ip', kind: 'keywords' },
  { field: 'related.user', column: 'related_user', kind: 'keywords' },
  { field: 'message', column: 'message', kind: 'text', read: 'coalesce(message, right(original, message_len))' },
  { field: 'vigil.parse.status', column: 'parse_status', kind: 'keyword' },
  { field: 'vigil.parse.parser', column: 'parser', kind: 'keyword' },
  { field: 'vigil.input', column: 'input', kind: 'keyword' },
  { field: 'vigil.requirements', column: 'requirements', kind: 'keywords' },
  { field: 'vigil.principles', column: 'principles', kind: 'keywords' },
  // "ID/field" for each required catalogue field an evidencing event lacks: coverage counts them.
  { field: 'vigil.coverage.missing', column: 'coverage_missing', kind: 'keywords' },
  { field: 'event.original', column: 'original', kind: 'text' },
];

export const HOT_BY_FIELD: ReadonlyMap<string, HotField> = new Map(HOT_FIELDS.map((f) => [f.field, f]));

// Fields that are exact functions of hot columns on most events: the syslog header block, and the
// copies ECS asks for beside source/destination (client.*, server.*, *.address, observer.hostname).
// When a stored event's value equals the derivation, it is left out of `rest` and its bit is set in the
// `derived` column; reads restore it and queries use `sql`. Other events keep the value in `rest`.
// Bits are stored: never renumber one, only add.
export const DERIVED_COLUMN = 'derived';

const FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7',
];
const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];
const sqlList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

export interface DerivedField {
  field: string;
  bit: number;
  /** How queries treat it; `ip` keeps CIDR matching, as a `rest` field has it. */
  kind: 'keyword' | 'long' | 'ip';
  /** The value from a row's hot columns, or undefined when they do not determine it. */
  derive(row: Readonly<Record<string, unknown>>): string | number | undefined;
  /** The same over the columns, as a fixed SQL fragment. */
  sql: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined);

export const DERIVED_FIELDS: readonly DerivedField[] = [
  copyOf('host.hostname', 1, 'keyword', 'host_name'),
  copyOf('log.syslog.appname', 2, 'keyword', 'process_name'),
  { field: 'log.syslog.procid', bit: 4, kind: 'keyword', derive: (r) => (num(r.process_pid) !== undefined ? String(num(r.process_pid)) : undefined), sql: 'CAST(process_pid AS VARCHAR)' },
  { field: 'log.syslog.facility.code', bit: 8, kind: 'long', derive: (r) => (num(r.syslog_priority) !== undefined ? num(r.syslog_priority)! >> 3 : undefined), sql: '(syslog_priority // 8)' },
  { field: 'log.syslog.facility.name', bit: 16, kind: 'keyword', derive: (r) => (num(r.syslog_priority) !== undefined ? FACILITY_NAMES[num(r.syslog_priority)! >> 3] : undefined), sql: `${sqlList(FACILITY_NAMES)}[syslog_priority // 8 + 1]` },
  { field: 'log.syslog.severity.name', bit: 32, kind: 'keyword', derive: (r) => (num(r.syslog_severity) !== undefined ? SEVERITY_NAMES[num(r.syslog_severity)!] : undefined), sql: `${sqlList(SEVERITY_NAMES)}[syslog_severity + 1]` },
  copyOf('source.address', 64, 'ip', 'source_ip'),
  copyOf('destination.address', 128, 'ip', 'destination_ip'),
  copyOf('client.ip', 256, 'ip', 'source_ip'),
  copyOf('client.address', 512, 'ip', 'source_ip'),
  copyOf('client.port', 1024, 'long', 'source_port'),
  copyOf('server.ip', 2048, 'ip', 'destination_ip'),
  copyOf('server.address', 4096, 'ip', 'destination_ip'),
  copyOf('server.port', 8192, 'long', 'destination_port'),
  copyOf('observer.hostname', 16384, 'keyword', 'host_name'),
];

/** A field that repeats one hot column's value (ECS's client.ip beside source.ip, for one). */
function copyOf(field: string, bit: number, kind: DerivedField['kind'], column: string): DerivedField {
  const derive = kind === 'long' ? (r: Readonly<Record<string, unknown>>) => num(r[column]) : (r: Readonly<Record<string, unknown>>) => (typeof r[column] === 'string' ? (r[column] as string) : undefined);
  return { field, bit, kind, derive, sql: column };
}

export const DERIVED_BY_FIELD: ReadonlyMap<string, DerivedField> = new Map(DERIVED_FIELDS.map((f) => [f.field, f]));

const SQL_TYPE: Record<ColumnKind, string> = {
  time: 'TIMESTAMP',
  keyword: 'VARCHAR',
  keywords: 'VARCHAR[]',
  text: 'VARCHAR',
  ip: 'VARCHAR',
  long: 'BIGINT',
};

export function sqlType(kind: ColumnKind): string {
  return SQL_TYPE[kind];
}

/** DDL for the events table. Rows are inserted in time order per batch so zone maps on ts prune ranges. */
export function eventsTableDdl(): string {
  const cols = [
    `${TENANT_COLUMN} VARCHAR NOT NULL`,
    `${ID_COLUMN} UBIGINT NOT NULL`,
    ...HOT_FIELDS.map((f) => `${f.column} ${SQL_TYPE[f.kind]}${f.kind === 'time' ? ' NOT NULL' : ''}`),
    `${MESSAGE_LEN_COLUMN} INTEGER`,
    `${DERIVED_COLUMN} INTEGER`,
    `${REST_COLUMN} JSON`,
  ];
  return `CREATE TABLE IF NOT EXISTS events (\n  ${cols.join(',\n  ')}\n)`;
}

/** Columns added since a database was created: hot fields new in this version (appended, nullable). */
export function eventsTableUpgrades(): string[] {
  return HOT_FIELDS.filter((f) => f.kind !== 'time').map((f) => `ALTER TABLE events ADD COLUMN IF NOT EXISTS ${f.column} ${SQL_TYPE[f.kind]}`);
}

const ISO_FORMAT = "'%Y-%m-%dT%H:%M:%S.%gZ'";

/** A TIMESTAMP rendered as ISO 8601 UTC text with milliseconds (what the API and alerts show). */
export function isoText(expr: string): string {
  return `strftime(${expr}, ${ISO_FORMAT})`;
}
