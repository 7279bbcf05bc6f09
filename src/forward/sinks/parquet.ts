// The file output's Parquet: a fixed column set per schema, so a data lake sees the same columns with
// the same types in every file, whatever the events held. Rows are computed here in JavaScript and
// staged as NDJSON (one object per row, keyed by column); DuckDB then reads the staging file with an
// explicit `columns={...}`, casts each column to its declared type, and writes the Parquet file.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { getPath, isDoc, type EcsDoc, type EcsValue } from '../../core/event.js';
import type { OutEvent } from '../sink.js';
import { jsonDocument, text, timestampNs } from './event-fields.js';
import { asStrings } from './ocsf-source.js';
import { toOcsf } from './ocsf.js';

export type ColumnType = 'TIMESTAMP' | 'VARCHAR' | 'VARCHAR[]' | 'INTEGER' | 'BIGINT';

export interface Column {
  name: string;
  type: ColumnType;
}

export interface ParquetSchema {
  columns: Column[];
  /** One event's row, keyed by column name (a TIMESTAMP as epoch microseconds). */
  row(e: OutEvent): Record<string, unknown>;
}

const col = (name: string, type: ColumnType = 'VARCHAR'): Column => ({ name, type });

const micros = (doc: EcsDoc) => Number(timestampNs(doc) / 1000n);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
const list = (v: EcsValue | undefined) => {
  const xs = asStrings(v);
  return xs.length ? xs : null;
};
const at = (o: unknown, path: string) => (isDoc(o) ? getPath(o, path) : undefined);

export const ECS_PARQUET: ParquetSchema = {
  columns: [
    col('timestamp', 'TIMESTAMP'),
    col('tenant'),
    col('id'),
    col('event_kind'),
    col('event_category', 'VARCHAR[]'),
    col('event_type', 'VARCHAR[]'),
    col('event_action'),
    col('event_outcome'),
    col('event_dataset'),
    col('host_name'),
    col('user_name'),
    col('source_ip'),
    col('destination_ip'),
    col('message'),
    col('event_original'),
    col('requirements', 'VARCHAR[]'),
    col('doc'),
  ],
  row(e) {
    const d = e.doc;
    return {
      timestamp: micros(d),
      tenant: e.tenant,
      id: e.id,
      event_kind: text(d, 'event.kind') ?? null,
      event_category: list(getPath(d, 'event.category')),
      event_type: list(getPath(d, 'event.type')),
      event_action: text(d, 'event.action') ?? null,
      event_outcome: text(d, 'event.outcome') ?? null,
      event_dataset: text(d, 'event.dataset') ?? null,
      host_name: text(d, 'host.name') ?? text(d, 'host.hostname') ?? null,
      user_name: text(d, 'user.name') ?? null,
      source_ip: text(d, 'source.ip') ?? null,
      destination_ip: text(d, 'destination.ip') ?? null,
      message: text(d, 'message') ?? null,
      event_original: text(d, 'event.original') ?? null,
      requirements: list(getPath(d, 'vigil.requirements')),
      doc: JSON.stringify(jsonDocument(e)),
    };
  },
};

export const OCSF_PARQUET: ParquetSchema = {
  columns: [
    col('time_dt', 'TIMESTAMP'),
    col('time', 'BIGINT'),
    col('tenant'),
    col('id'),
    col('class_uid', 'INTEGER'),
    col('class_name'),
    col('category_uid', 'INTEGER'),
    col('activity_id', 'INTEGER'),
    col('activity_name'),
    col('type_uid', 'BIGINT'),
    col('severity_id', 'INTEGER'),
    col('status_id', 'INTEGER'),
    col('user_name'),
    col('actor_user_name'),
    col('src_ip'),
    col('dst_ip'),
    col('requirements', 'VARCHAR[]'),
    col('metadata'),
    col('raw_data'),
    col('record'),
  ],
  row(e) {
    const r = toOcsf(e.doc, { tenant: e.tenant, id: e.id });
    return {
      time_dt: micros(e.doc),
      time: int(r.time),
      tenant: e.tenant,
      id: e.id,
      class_uid: int(r.class_uid),
      class_name: str(r.class_name),
      category_uid: int(r.category_uid),
      activity_id: int(r.activity_id),
      activity_name: str(r.activity_name),
      type_uid: int(r.type_uid),
      severity_id: int(r.severity_id),
      status_id: int(r.status_id),
      user_name: str(at(r.user, 'name')),
      actor_user_name: str(at(r.actor, 'user.name')),
      src_ip: str(at(r.src_endpoint, 'ip')),
      dst_ip: str(at(r.dst_endpoint, 'ip')),
      requirements: list(getPath(e.doc, 'vigil.requirements')),
      metadata: JSON.stringify(r.metadata),
      raw_data: str(r.raw_data),
      record: JSON.stringify(r),
    };
  },
};

export const PARQUET_SCHEMAS: Record<'ecs' | 'ocsf', ParquetSchema> = { ecs: ECS_PARQUET, ocsf: OCSF_PARQUET };

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s}"`;

/** The COPY statement that turns one staging file into one Parquet file. */
export function copySql(schema: ParquetSchema, staging: string, target: string, compression: 'zstd' | 'snappy'): string {
  // In the staging file a TIMESTAMP is epoch microseconds; everything else is read as its own type.
  const read = schema.columns.map((c) => `${ident(c.name)}: '${c.type === 'TIMESTAMP' ? 'BIGINT' : c.type}'`).join(', ');
  const select = schema.columns.map((c) => (c.type === 'TIMESTAMP' ? `make_timestamp(${ident(c.name)})` : `CAST(${ident(c.name)} AS ${c.type})`) + ` AS ${ident(c.name)}`).join(', ');
  return (
    `COPY (SELECT ${select} FROM read_ndjson(${quote(staging)}, columns={${read}}, format='newline_delimited', maximum_object_size=33554432)) ` +
    `TO ${quote(target)} (FORMAT parquet, COMPRESSION ${compression})`
  );
}

/** An in-memory DuckDB, opened on the first conversion and kept until close(). */
export class ParquetWriter {
  private db: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;

  async convert(schema: ParquetSchema, staging: string, target: string, compression: 'zstd' | 'snappy'): Promise<void> {
    if (!this.db) {
      // One thread and a small memory limit: conversion is background work beside ingest.
      const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
      this.db = { instance, conn: await instance.connect() };
    }
    await this.db.conn.run(copySql(schema, staging, target, compression));
  }

  close(): void {
    if (!this.db) return;
    this.db.conn.closeSync();
    this.db.instance.closeSync();
    this.db = null;
  }
}
