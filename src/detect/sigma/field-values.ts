// Reading event fields for rules. Thousands of rules read the same few fields (CommandLine, Image…), so
// each field is read from the document once per event and kept, with its lower-cased form made on first
// use: one shared table of field slots, and a generation counter that forgets the previous event in
// O(1) instead of clearing the cache.
import type { EcsDoc, EcsValue } from '../../core/event.js';

/**
 * Where a Sigma field's value comes from: one ECS path, or several. `first` takes the first path present
 * (raw Windows event data, else the ECS field Vigil derives for another shape of the same event); `all`
 * gathers every path's values into one multi-valued field (the classic PowerShell `Data` params).
 */
export interface FieldSpec {
  paths: string[];
  mode: 'first' | 'all';
}

/** An event field's values, flattened (arrays, several paths) and as text. */
export interface Values {
  /** The field exists, even if null: what `exists` checks. */
  present: boolean;
  /** The non-null scalar values (objects are kept as JSON text). */
  scalars: (string | number | boolean)[];
  /** String(x) of each scalar. */
  strs: string[];
  lower: string[] | undefined;
  dash: string[] | undefined;
  dashCased: string[] | undefined;
}

export interface FieldRef {
  id: number;
  spec: FieldSpec;
}

/** One event under evaluation. */
export interface Ev {
  doc: EcsDoc;
  gen: number;
}

type Getter = (doc: EcsDoc) => EcsValue | undefined;

/** All fields rules read, by slot, with the current event's values. One per process (see FIELDS). */
export class FieldTable {
  private readonly ids = new Map<string, FieldRef>();
  private readonly getters: Getter[][] = [];
  private readonly modes: ('first' | 'all')[] = [];
  private stamps = new Float64Array(64);
  private readonly cache: Values[] = [];
  private gen = 0;

  ref(spec: FieldSpec): FieldRef {
    const key = `${spec.mode}:${spec.paths.join('\u0000')}`;
    let r = this.ids.get(key);
    if (!r) {
      r = { id: this.getters.length, spec };
      this.ids.set(key, r);
      this.getters.push(spec.paths.map(accessor));
      this.modes.push(spec.mode);
      if (r.id >= this.stamps.length) {
        const s = new Float64Array(this.stamps.length * 2);
        s.set(this.stamps);
        this.stamps = s;
      }
    }
    return r;
  }

  /** Starts on a new event: every cached value is forgotten. */
  begin(doc: EcsDoc): Ev {
    return { doc, gen: ++this.gen };
  }

  get(ev: Ev, ref: FieldRef): Values {
    const id = ref.id;
    if (this.stamps[id] === ev.gen) return this.cache[id]!;
    const v = this.read(ev.doc, id);
    this.cache[id] = v;
    this.stamps[id] = ev.gen;
    return v;
  }

  private read(doc: EcsDoc, id: number): Values {
    const out: Values = { present: false, scalars: [], strs: [], lower: undefined, dash: undefined, dashCased: undefined };
    const getters = this.getters[id]!;
    const all = this.modes[id] === 'all';
    for (const g of getters) {
      const v = g(doc);
      if (v === undefined) continue;
      out.present = true;
      // `first` takes the first path with a value: a null raw field gives way to the ECS one.
      if (v === null && !all) continue;
      flatten(v, out);
      if (!all) break;
    }
    return out;
  }
}

function flatten(v: EcsValue, out: Values): void {
  if (v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) flatten(x, out);
    return;
  }
  if (typeof v === 'object') {
    const s = JSON.stringify(v);
    out.scalars.push(s);
    out.strs.push(s);
    return;
  }
  out.scalars.push(v);
  out.strs.push(typeof v === 'string' ? v : String(v));
}

/** The process-wide table every compiled rule reads through, so rules share cached fields. */
export const FIELDS = new FieldTable();

export function lowerOf(v: Values): string[] {
  return (v.lower ??= v.strs.map((s) => s.toLowerCase()));
}

/** The dash family `windash` treats as one character, all folded to '-'. */
const DASHES = /[/\u2013\u2014\u2015]/g;
export function foldDashes(s: string): string {
  return s.replace(DASHES, '-');
}

export function dashOf(v: Values, cased: boolean): string[] {
  if (cased) return (v.dashCased ??= v.strs.map(foldDashes));
  return (v.dash ??= lowerOf(v).map(foldDashes));
}

/**
 * A reader for one dotted path over nested objects. A numeric segment indexes an array
 * (`process.args.0`), any other segment reads every element (`dns.answers.data`); a literal dotted key
 * below any level ("log": {"syslog.priority": 1}) is found too.
 */
export function accessor(path: string): Getter {
  const parts = path.split('.');
  if (parts.length === 1) return (d) => d[path];
  // Built once: most reads miss, and a miss checks for a literal dotted key.
  const suffixes = parts.map((_, i) => parts.slice(i).join('.'));
  const index = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : -1));
  const last = parts.length - 1;
  const walk = (start: EcsValue | undefined, from: number): EcsValue | undefined => {
    let cur = start;
    for (let i = from; i < parts.length; i++) {
      if (typeof cur !== 'object' || cur === null) return undefined;
      if (Array.isArray(cur)) {
        const n = index[i]!;
        if (n >= 0) {
          cur = cur[n];
          continue;
        }
        const out: EcsValue[] = [];
        for (const x of cur) {
          const v = walk(x, i);
          if (v !== undefined) out.push(v);
        }
        return out.length ? out : undefined;
      }
      const next: EcsValue | undefined = cur[parts[i]!];
      if (next !== undefined) {
        cur = next;
        continue;
      }
      return i < last ? cur[suffixes[i]!] : undefined;
    }
    return cur;
  };
  return (doc) => {
    const whole = doc[path];
    return whole !== undefined ? whole : walk(doc, 0);
  };
}
