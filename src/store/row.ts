// Splits an ECS document into the events table's columns and rebuilds it on the way out.
// The split runs once per stored event, so each hot field's path is resolved ahead of time.
import { setPath, type EcsDoc, type EcsValue } from '../core/event.js';
import { DERIVED_FIELDS, HOT_FIELDS, type DerivedField, type HotField } from './schema.js';

export type RowValue = string | number | string[] | EcsDoc | null | undefined;

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

/**
 * The hot fields as a tree of path segments; a leaf holds the column it fills. Derived fields (exact
 * functions of columns, left out of `rest` when they agree) are in the tree too, so the objects on
 * their paths are copied by split, never shared with the event.
 */
interface HotNode {
  leaf?: { column: string; convert: (v: EcsValue | undefined) => RowValue };
  derived?: DerivedField;
  children?: Map<string, HotNode>;
}

const HOT_TREE: HotNode = { children: new Map() };

/** The tree's node for a dotted path, created on the way. */
function nodeAt(path: string): HotNode {
  let node = HOT_TREE;
  for (const part of path.split('.')) {
    node.children ??= new Map();
    let next = node.children.get(part);
    if (!next) node.children.set(part, (next = {}));
    node = next;
  }
  return node;
}
for (const f of HOT_FIELDS) nodeAt(f.field).leaf = { column: f.column, convert: CONVERT[f.kind] };
for (const d of DERIVED_FIELDS) nodeAt(d.field).derived = d;

function isObj(v: unknown): v is EcsDoc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Copies `doc` minus the hot fields into a new object, filling `row` with those fields on the way.
 * Subtrees without hot fields are shared, not copied, and `doc` is never mutated (no `delete`,
 * which would slow every later access to the object). Returns undefined when nothing is left.
 */
function split(doc: EcsDoc, node: HotNode, row: Record<string, RowValue>, derived: Derived[]): EcsDoc | undefined {
  let out: EcsDoc | undefined;
  for (const key in doc) {
    const v = doc[key];
    if (v === undefined) continue;
    const hot = node.children?.get(key);
    let keep: EcsValue | undefined = v;
    if (hot) {
      if (hot.leaf) {
        const converted = hot.leaf.convert(v);
        if (converted !== null) {
          row[hot.leaf.column] = converted;
          keep = undefined;
        }
      } else if (hot.derived) {
        // Held back until every column is known; put back by docToRow if it disagrees with them.
        derived.push({ d: hot.derived, v });
        keep = undefined;
      } else if (isObj(v)) keep = split(v, hot, row, derived);
    }
    if (keep !== undefined) (out ??= {})[key] = keep;
  }
  return out;
}

interface Derived {
  d: DerivedField;
  v: EcsValue;
}

/**
 * Splits an event into a row keyed by column name, ready for JSON.stringify: hot fields in their
 * columns, everything else in `rest`. A value that does not fit its column's type stays in `rest`.
 * Absent columns are left out (they load as NULL, and the line stays short).
 */
export function docToRow(tenant: string, id: bigint, doc: EcsDoc): Record<string, RowValue> {
  const row: Record<string, RowValue> = { tenant, id: id.toString() };
  const derived: Derived[] = [];
  let rest = split(doc, HOT_TREE, row, derived);
  let bits = 0;
  for (const { d, v } of derived) {
    if (v === d.derive(row)) bits |= d.bit;
    // The objects on a derived field's path were copied by split, so putting it back is safe.
    else setPath((rest ??= {}), d.field, v);
  }
  if (bits) row.derived = bits;
  if (rest) row.rest = rest;
  const msg = row.message;
  const orig = row.original;
  if (typeof msg === 'string' && typeof orig === 'string' && msg.length > 0 && orig.endsWith(msg)) {
    row.message_len = codePoints(msg);
    row.message = undefined; // JSON.stringify leaves it out
  }
  return row;
}

/** Length in Unicode code points, which is how DuckDB's right() counts. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** The last `n` code points of `s`. */
function tailCodePoints(s: string, n: number): string {
  let i = s.length;
  while (n > 0 && i > 0) {
    i--;
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) i--;
    n--;
  }
  return s.slice(i);
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
  const bits = Number(row.derived ?? 0);
  if (bits) {
    for (const d of DERIVED_FIELDS) {
      if (!(bits & d.bit)) continue;
      const v = d.derive(row);
      if (v !== undefined) setPath(doc, d.field, v);
    }
  }
  if ((row.message === null || row.message === undefined) && row.message_len != null && typeof row.original === 'string') {
    setPath(doc, 'message', tailCodePoints(row.original, Number(row.message_len)));
  }
  if (row.id !== undefined) doc._id = String(row.id);
  if (row.tenant !== undefined) setPath(doc, 'vigil.tenant', String(row.tenant));
  return doc;
}
