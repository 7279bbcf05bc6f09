// Splits an ECS document into the events table's columns and rebuilds it on the way out.
import { deletePath, getPath, setPath, type EcsDoc, type EcsValue } from '../core/event.js';
import { HOT_FIELDS, type HotField } from './schema.js';

export type RowValue = string | number | string[] | EcsDoc | null;

function asString(v: EcsValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function asStrings(v: EcsValue | undefined): string[] | null {
  if (Array.isArray(v)) {
    const out = v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
    return out.length === v.length ? out : null;
  }
  const s = asString(v);
  return s === null ? null : [s];
}

function asLong(v: EcsValue | undefined): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

function asTime(v: EcsValue | undefined): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const CONVERT: Record<HotField['kind'], (v: EcsValue | undefined) => RowValue> = {
  time: asTime,
  keyword: asString,
  keywords: asStrings,
  text: asString,
  ip: asString,
  long: asLong,
};

/**
 * Moves hot fields out of `doc` (mutating it) into a row object keyed by column name.
 * A value that does not fit its column's type stays in `rest` untouched, so nothing is lost.
 */
export function docToRow(tenant: string, id: bigint, doc: EcsDoc): Record<string, RowValue | bigint> {
  const row: Record<string, RowValue | bigint> = { tenant, id };
  for (const f of HOT_FIELDS) {
    const v = getPath(doc, f.field);
    const converted = v === undefined ? null : CONVERT[f.kind](v);
    row[f.column] = converted;
    if (converted !== null) deletePath(doc, f.field);
  }
  pruneEmpty(doc);
  row.rest = doc;
  return row;
}

/** Removes objects left empty after hot fields moved out ({"user":{}}). */
function pruneEmpty(doc: EcsDoc): boolean {
  for (const [k, v] of Object.entries(doc)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && pruneEmpty(v)) delete doc[k];
  }
  return Object.keys(doc).length === 0;
}

/** DuckDB's JSON rendering of a TIMESTAMP ("2024-01-02 03:04:05.678") to ISO 8601 UTC. */
export function isoFromDuck(ts: string): string {
  return ts.includes('T') ? ts : ts.replace(' ', 'T') + 'Z';
}

/** Rebuilds the ECS document from a row read back with getRowObjectsJson(). */
export function rowToDoc(row: Record<string, unknown>): EcsDoc {
  const rest = row.rest;
  const doc: EcsDoc = typeof rest === 'string' ? (JSON.parse(rest) as EcsDoc) : ((rest as EcsDoc | null) ?? {});
  for (const f of HOT_FIELDS) {
    const v = row[f.column];
    if (v === null || v === undefined) continue;
    if (f.kind === 'time') setPath(doc, f.field, isoFromDuck(String(v)));
    else if (f.kind === 'long') setPath(doc, f.field, Number(v));
    else setPath(doc, f.field, v as EcsValue);
  }
  if (row.id !== undefined) doc._id = String(row.id);
  if (row.tenant !== undefined) setPath(doc, 'vigil.tenant', String(row.tenant));
  return doc;
}
