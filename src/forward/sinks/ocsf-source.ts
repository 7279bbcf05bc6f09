// Reads an ECS document for the OCSF mapping (ocsf.ts) and remembers every field it took, so that what
// the mapping did not place anywhere can go to OCSF's `unmapped` instead of being lost. Reading a path
// claims everything under it. The document is indexed by dotted path once: the mapping asks for many
// fields an event does not have, and the same index lists what is left over for `unmapped`.
import { asNumber, asText, isDoc, type EcsDoc, type EcsValue } from '../../core/event.js';

export class EcsSource {
  private readonly used = new Set<string>();
  /** Every object and leaf by dotted path (literal dotted keys included); arrays are leaves. */
  private readonly index = new Map<string, EcsValue>();

  constructor(readonly doc: EcsDoc) {
    const walk = (o: EcsDoc, prefix: string): void => {
      for (const [k, v] of Object.entries(o)) {
        if (v === undefined || v === null) continue;
        const path = prefix + k;
        if (!this.index.has(path)) this.index.set(path, v);
        if (isDoc(v)) walk(v, `${path}.`);
      }
    };
    walk(doc, '');
  }

  /** The value at the first of `paths` that has one; every listed path that has a value is claimed (they say the same thing). */
  get(...paths: string[]): EcsValue | undefined {
    let found: EcsValue | undefined;
    for (const p of paths) {
      const v = this.index.get(p);
      if (v === undefined) continue;
      this.used.add(p);
      if (found === undefined) found = v;
    }
    return found;
  }

  /** Like get, without claiming: for classification, which copies nothing into the record. */
  peek(path: string): EcsValue | undefined {
    return this.index.get(path);
  }

  str(...paths: string[]): string | undefined {
    return asText(this.get(...paths));
  }

  /** A finite number; numeric strings count ("4624", "11"). */
  num(...paths: string[]): number | undefined {
    return asNumber(this.get(...paths));
  }

  /** A list of strings; a single string is a list of one. */
  strs(path: string): string[] {
    return asStrings(this.get(path));
  }

  /** Marks paths as placed (or deliberately dropped) without reading them. */
  claim(...paths: string[]): void {
    for (const p of paths) this.used.add(p);
  }

  /** Every leaf (arrays are leaves) no read claimed, under its dotted path; undefined when none is left. */
  unmapped(): Record<string, EcsValue> | undefined {
    const out: Record<string, EcsValue> = {};
    const walk = (v: EcsValue, path: string): void => {
      if (this.claimed(path)) return;
      if (isDoc(v)) {
        for (const [k, child] of Object.entries(v)) if (child !== undefined && child !== null) walk(child, path ? `${path}.${k}` : k);
        return;
      }
      out[path] = v;
    };
    walk(this.doc, '');
    return Object.keys(out).length ? out : undefined;
  }

  private claimed(path: string): boolean {
    if (path === '') return false;
    if (this.used.has(path)) return true;
    for (let i = path.indexOf('.'); i > 0; i = path.indexOf('.', i + 1)) if (this.used.has(path.slice(0, i))) return true;
    return false;
  }
}

export function asStrings(v: EcsValue | undefined): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return [];
}

/** Drops undefined members and empty objects, so the record only carries what the event had. */
export function compact<T extends Record<string, unknown>>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? (out as T) : undefined;
}
