// Reading the fields a correlation groups by and aggregates. A field is looked up in the inner
// correlation's group-by values first (when the event is a chained firing), then in the ECS document at
// each of the paths the field maps to (Sigma names such as `User` may map to `user.name`; by default a
// field is its own dotted path).
import { getPath, type EcsDoc } from '../../core/event.js';

/** The ECS paths a rule field is read from, first present wins. */
export type FieldPaths = (field: string) => readonly string[];

export const identityPaths: FieldPaths = (f) => [f];

export interface FieldSource {
  doc: Record<string, unknown>;
  /** An inner correlation's group-by values, when this event is its firing. */
  fields?: Record<string, string>;
}

function raw(src: FieldSource, field: string, paths: FieldPaths): unknown {
  const own = src.fields?.[field];
  if (own !== undefined) return own;
  for (const p of paths(field)) {
    const v = getPath(src.doc as EcsDoc, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/**
 * A field as text, for grouping and distinct counting. Absent or null is undefined (the event is not
 * counted, as a SIEM's `by` clause drops events missing a key); a one-element list is its element; a
 * longer list or an object is its JSON text, so it still groups consistently.
 */
export function readText(src: FieldSource, field: string, paths: FieldPaths): string | undefined {
  return text(raw(src, field, paths));
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const xs = v.filter((x) => x !== null && x !== undefined);
    if (xs.length === 0) return undefined;
    if (xs.length === 1) return text(xs[0]);
  }
  return JSON.stringify(v);
}

/** A field as a finite number (numeric text counts); undefined otherwise, and the event is not aggregated. */
export function readNumber(src: FieldSource, field: string, paths: FieldPaths): number | undefined {
  return num(raw(src, field, paths));
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (Array.isArray(v) && v.length === 1) return num(v[0]);
  return undefined;
}
