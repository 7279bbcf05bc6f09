// Building blocks for the SQL compiler. The rule they enforce: SQL text holds only column names taken
// from store/schema.ts and fixed fragments; every value from a query (and every JSON path) is a
// positional parameter ($1, $2, ...).
import { VigilError } from '../core/errors.js';
import { DERIVED_BY_FIELD, DERIVED_COLUMN, HOT_BY_FIELD, REST_COLUMN, type ColumnKind } from '../store/schema.js';
import { FIELD_RE } from '../ql/ast.js';

export type SqlParam = string | number | bigint | boolean | null;

/** Collects parameter values and hands out their placeholders, numbered from `start`. */
export class Params {
  readonly values: SqlParam[] = [];
  constructor(readonly start = 1) {}
  add(v: SqlParam): string {
    this.values.push(v);
    return `$${this.start + this.values.length - 1}`;
  }
}

export type FieldRef =
  | { where: 'hot'; field: string; column: string; kind: ColumnKind }
  | { where: 'rest'; field: string; path: string };

/**
 * A hot field's column, or the JSON path of a field inside `rest`. Only HOT_FIELDS map to columns, so no
 * query can name `tenant`, `id` or `rest` themselves (`tenant:x` looks for a field "tenant" inside rest).
 */
export function resolveField(field: string): FieldRef {
  if (!FIELD_RE.test(field)) throw new VigilError('bad_request', `invalid field name "${field.slice(0, 80)}"`, { field });
  const hot = HOT_BY_FIELD.get(field);
  if (hot) return { where: 'hot', field, column: hot.read ?? hot.column, kind: hot.kind };
  const derived = DERIVED_BY_FIELD.get(field);
  if (derived) {
    // Left out of rest where it equals its derivation (its bit set); otherwise read from rest as usual.
    const path = `'$.` + derived.field.split('.').map((s) => `"${s}"`).join('.') + `'`;
    const stored = derived.kind === 'long' ? `TRY_CAST(json_extract_string(${REST_COLUMN}, ${path}) AS BIGINT)` : `json_extract_string(${REST_COLUMN}, ${path})`;
    const expr = `(CASE WHEN (coalesce(${DERIVED_COLUMN}, 0) & ${derived.bit}) <> 0 THEN ${derived.sql} ELSE ${stored} END)`;
    return { where: 'hot', field, column: expr, kind: derived.kind };
  }
  // Each segment quoted: FIELD_RE already excludes quotes, and quoting keeps `@` and digits literal.
  return { where: 'rest', field, path: '$.' + field.split('.').map((s) => `"${s}"`).join('.') };
}

/** A rest field's scalar value as text (arrays and objects come back as JSON text). */
export function restScalar(pathParam: string): string {
  return `json_extract_string(${REST_COLUMN}, ${pathParam})`;
}

/**
 * A rest field's values as VARCHAR[]: a scalar becomes a one-element list and an array its elements (nested
 * objects as JSON text), so `field:value` matches a scalar or any array element alike. Objects give NULL.
 */
export function restList(pathParam: string): string {
  return (
    `(CASE json_type(${REST_COLUMN}, ${pathParam}) ` +
    `WHEN 'ARRAY' THEN TRY_CAST(json_extract(${REST_COLUMN}, ${pathParam}) AS VARCHAR[]) ` +
    `WHEN 'OBJECT' THEN NULL ELSE [json_extract_string(${REST_COLUMN}, ${pathParam})] END)`
  );
}

/** True when any element of the list expression satisfies `pred` (a fragment over the lambda variable x). */
export function anyElement(list: string, pred: string): string {
  return `coalesce(len(list_filter(${list}, lambda x: ${pred})) > 0, false)`;
}

/**
 * An AST value (ast.ts rules: with `wildcard`, `*` is a wildcard and `\*`, `\\` literals) as a LIKE pattern
 * for `ESCAPE '\'`. `contains` wraps it in % for substring matching.
 */
export function likePattern(value: string, wildcard: boolean, contains: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    let c = value[i]!;
    if (wildcard && c === '*') {
      out += '%';
      continue;
    }
    if (wildcard && c === '\\' && i + 1 < value.length) c = value[++i]!;
    out += c === '%' || c === '_' || c === '\\' ? '\\' + c : c;
  }
  return contains ? `%${out}%` : out;
}

// Stats rows carry readable, JSON-safe times.
export { isoText } from '../store/schema.js';
