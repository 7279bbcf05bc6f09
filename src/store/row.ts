// Splits an ECS document into the events table's columns and rebuilds it on the way out.
// The split runs once per stored event, so each hot field's path is resolved ahead of time.
import { setPath, type EcsDoc, type EcsValue } from '../core/event.js';
import { HOT_FIELDS, type HotField } from './schema.js';

export type RowValue = string | number | string[] | EcsDoc | null;

function asString(v: EcsValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function asStrings(v: EcsValue | undefined): string[] | null {
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x !== 'string') return null; // mixed arrays stay in rest, as sent
    return v as string[];
  }
  return typeof v === 'string' ? [v] : null;
}

function asLong(v: EcsValue | undefined): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

function asTime(v: EcsValue | undefined): string | null {
  if (typeof v === 'string') {
    // ISO strings in UTC pass straight through; anything else is normalised.
    if (v.length >= 20 && v.charCodeAt(10) === 84 /* T */ && v.endsWith('Z')) return v;
  } else if (typeof v !== 'number') return null;
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

interface Extractor {
  column: string;
  parts: string[];
  dotted: string;
  convert: (v: EcsValue | undefined) => RowValue;
}

const EXTRACTORS: Extractor[] = HOT_FIELDS.map((f) => ({
  column: f.column,
  parts: f.field.split('.'),
  dotted: f.field,
  convert: CONVERT[f.kind],
}));

function isObj(v: unknown): v is EcsDoc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Moves hot fields out of `doc` (mutating it) into a row keyed by column name, ready for
 * JSON.stringify. A value that does not fit its column's type stays in `rest` untouched.
 * Literal dotted keys are expected to have been expanded by the process stage.
 */
export function docToRow(tenant: string, id: bigint, doc: EcsDoc): Record<string, RowValue> {
  const row: Record<string, RowValue> = { tenant, id: id.toString() };
  for (const x of EXTRACTORS) {
    let parent: EcsDoc | undefined = doc;
    const last = x.parts.length - 1;
    for (let i = 0; i < last && parent; i++) {
      const next: EcsValue | undefined = parent[x.parts[i]!];
      parent = isObj(next) ? next : undefined;
    }
    const key = x.parts[last]!;
    const v = parent ? parent[key] : undefined;
    if (v === undefined) continue; // absent columns load as NULL, and the line stays short
    const converted = x.convert(v);
    if (converted === null) continue;
    row[x.column] = converted;
    delete parent![key];
  }
  pruneEmpty(doc);
  row.rest = doc;
  return row;
}

/** Removes objects left empty after hot fields moved out ({"user":{}}). */
function pruneEmpty(doc: EcsDoc): boolean {
  for (const k in doc) {
    const v = doc[k];
    if (isObj(v) && pruneEmpty(v)) delete doc[k];
  }
  for (const _ in doc) return false;
  return true;
}

/**
 * DuckDB's JSON rendering of a TIMESTAMP ("2024-01-02 03:04:05", "… 03:04:05.5") to ISO 8601 UTC in
 * one shape: milliseconds always (as Date.toISOString), microseconds only when the source had them.
 */
export function isoFromDuck(ts: string): string {
  const m = /^(\d{4,}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?/.exec(ts);
  if (!m) return ts;
  let frac = (m[3] ?? '').padEnd(3, '0');
  if (frac.length > 3) frac = /^\d{3}0+$/.test(frac) ? frac.slice(0, 3) : frac.padEnd(6, '0').slice(0, 6);
  return `${m[1]}T${m[2]}.${frac}Z`;
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
