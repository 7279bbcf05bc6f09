// A second, finer pre-filter: most detections cannot match unless some literal text is in some field
// (`Image|endswith: '\whoami.exe'`, `CommandLine|contains: ' -enc'`, a keyword). Each rule gets a
// signature, a few such atoms one of which must hold; per event, each field a candidate rule needs is
// scanned once for every atom on it (exact values, prefixes and suffixes by hash, substrings by their
// rarest three characters), so thousands of process-creation rules
// cost a handful of lookups instead of thousands of string searches. A signature is only ever a
// necessary condition: the rule itself still decides.
import { FIELDS, foldDashes, lowerOf, type Ev, type FieldRef } from './field-values.js';
import type { Matcher } from './matchers.js';
import { indexKey } from './index-key.js';
import type { Node } from './tree.js';

export type AtomOp = 'eq' | 'prefix' | 'suffix' | 'contains';

/** A necessary condition on one field's lower-cased text. */
export interface AtomSpec {
  field: FieldRef;
  op: AtomOp;
  literal: string;
}

/** The shortest literals worth indexing; shorter substrings make signatures that pass too often. */
const MIN_CONTAINS = 3;

/** Roughly how often an atom holds on a random event: lower is more selective. */
function passRate(a: AtomSpec): number {
  const n = a.literal.length;
  if (a.op === 'eq') return 0.001;
  if (a.op === 'contains') return n >= 8 ? 0.002 : n >= 5 ? 0.01 : 0.05;
  return n >= 5 ? 0.002 : n >= 3 ? 0.01 : 0.1;
}

function score(sig: AtomSpec[]): number {
  return sig.reduce((s, a) => s + passRate(a), 0);
}

/** The longest run without dash-family characters, for windash literals (folded to '-'). */
function dashFree(s: string): string {
  return foldDashes(s)
    .split('-')
    .reduce((a, b) => (b.length > a.length ? b : a), '');
}

function atomOf(field: FieldRef, m: Matcher): AtomSpec | null {
  switch (m.kind) {
    case 'string': {
      if (m.op === 'any') return null;
      if (m.windash) {
        const lit = dashFree(m.needle.toLowerCase());
        return lit.length >= MIN_CONTAINS ? { field, op: 'contains', literal: lit } : null;
      }
      if (m.op === 'eq') return { field, op: 'eq', literal: indexKey(m.needle) };
      const lit = m.needle.toLowerCase();
      if (m.op === 'contains' && lit.length < MIN_CONTAINS) return null;
      return { field, op: m.op, literal: lit };
    }
    case 'glob': {
      const lit = m.windash ? dashFree(m.literal.toLowerCase()) : m.literal.toLowerCase();
      return lit.length >= MIN_CONTAINS ? { field, op: 'contains', literal: lit } : null;
    }
    case 'number':
      return m.op === 'eq' ? { field, op: 'eq', literal: indexKey(String(m.value)) } : null;
    default:
      return null;
  }
}

/** Atoms one of which must hold for the node to match, or null when nothing can be said. */
export function signature(n: Node): AtomSpec[] | null {
  switch (n.k) {
    case 'sel':
      return signature(n.x);
    case 'not':
      return null;
    case 'item': {
      const it = n.item;
      if (it.negate) return null;
      const groupSig = (g: Matcher[]): AtomSpec[] | null => {
        const out: AtomSpec[] = [];
        for (const m of g) {
          const a = atomOf(it.field, m);
          if (!a) return null;
          out.push(a);
        }
        return out.length ? out : null;
      };
      if (!it.all) return groupSig(it.groups.flat());
      return best(it.groups.map(groupSig));
    }
    case 'and':
      return best(n.xs.map(signature));
    case 'or':
    case 'atleast': {
      const out: AtomSpec[] = [];
      for (const x of n.xs) {
        const s = signature(x);
        if (!s) return null;
        out.push(...s);
      }
      return out;
    }
  }
}

function best(sigs: (AtomSpec[] | null)[]): AtomSpec[] | null {
  let pick: AtomSpec[] | null = null;
  for (const s of sigs) if (s && (!pick || score(s) < score(pick))) pick = s;
  return pick;
}

interface Probe {
  atom: number;
  literal: string;
  /** Where the probe's key sits in the literal (contains: the rarest trigram's offset). */
  offset: number;
}

/** The atoms on one field, arranged for one pass over each of its values. */
class FieldAtoms {
  readonly eq = new Map<string, number[]>();
  /** By literal length, then by the literal itself: one slice and lookup per length, no verification. */
  readonly prefix = new Map<number, Map<string, number[]>>();
  readonly suffix = new Map<number, Map<string, number[]>>();
  readonly contains = new Map<number, Probe[]>();
  /** A bitset over trigram hashes, so most positions skip the map. */
  readonly trigramBits = new Uint32Array(2048);
  stamp = 0;
  /** The atoms found on the current event. */
  hits: number[] = [];

  constructor(
    readonly field: FieldRef,
    readonly index: number,
  ) {}
}

function trigramCode(s: string, i: number): number {
  return (s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1)) * 65536 + s.charCodeAt(i + 2);
}

function trigramHash(s: string, i: number): number {
  return ((s.charCodeAt(i) * 961 + s.charCodeAt(i + 1) * 31 + s.charCodeAt(i + 2)) >>> 0) & 0xffff;
}

export class LiteralFilter {
  private readonly ids = new Map<string, number>();
  private readonly byField = new Map<number, FieldAtoms>();
  private readonly fieldList: FieldAtoms[] = [];
  private readonly specs: AtomSpec[] = [];
  /** Each atom's field structures, so a test needs no lookup. */
  private atomFields: FieldAtoms[] = [];
  private atomStamps = new Float64Array(0);
  private seq = 0;
  private ev: Ev | undefined;

  /** Registers a signature; returns its atom ids (found on an event through `hits`). */
  add(sig: AtomSpec[]): number[] {
    return [...new Set(sig.map((a) => this.intern(a)))];
  }

  private intern(a: AtomSpec): number {
    const key = `${a.field.id}\u0000${a.op}\u0000${a.literal}`;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.specs.length;
    this.ids.set(key, id);
    this.specs.push(a);
    return id;
  }

  /** Builds the per-field lookup structures; call once after every `add`. */
  seal(): void {
    this.atomStamps = new Float64Array(this.specs.length);
    // Trigram frequencies over every substring literal: each literal is probed by its rarest trigram.
    const freq = new Map<number, number>();
    for (const a of this.specs) {
      if (a.op !== 'contains') continue;
      for (let i = 0; i + 3 <= a.literal.length; i++) freq.set(trigramCode(a.literal, i), (freq.get(trigramCode(a.literal, i)) ?? 0) + 1);
    }
    this.specs.forEach((a, id) => {
      let f = this.byField.get(a.field.id);
      if (!f) {
        f = new FieldAtoms(a.field, this.fieldList.length);
        this.byField.set(a.field.id, f);
        this.fieldList.push(f);
      }
      const lit = a.literal;
      if (a.op === 'eq') {
        const list = f.eq.get(lit);
        if (list) list.push(id);
        else f.eq.set(lit, [id]);
      } else if (a.op === 'prefix' || a.op === 'suffix') {
        const maps = a.op === 'prefix' ? f.prefix : f.suffix;
        let m = maps.get(lit.length);
        if (!m) maps.set(lit.length, (m = new Map()));
        const list = m.get(lit);
        if (list) list.push(id);
        else m.set(lit, [id]);
      } else {
        let at = 0;
        let bestFreq = Infinity;
        for (let i = 0; i + 3 <= lit.length; i++) {
          const n = freq.get(trigramCode(lit, i))!;
          if (n < bestFreq) {
            bestFreq = n;
            at = i;
          }
        }
        const code = trigramCode(lit, at);
        const h = trigramHash(lit, at);
        f.trigramBits[h >>> 5]! |= 1 << (h & 31);
        const probe: Probe = { atom: id, literal: lit, offset: at };
        const list = f.contains.get(code);
        if (list) list.push(probe);
        else f.contains.set(code, [probe]);
      }
    });
    this.atomFields = this.specs.map((a) => this.byField.get(a.field.id)!);
  }

  /** Starts an event: every atom and field is unknown again. */
  begin(ev: Ev): void {
    this.ev = ev;
    this.seq++;
  }

  /** The field (its index here) an atom is about. */
  fieldOf(atom: number): number {
    return this.atomFields[atom]!.index;
  }

  /** The atoms of a field that hold on the current event (the field is scanned on first ask). */
  hits(field: number): readonly number[] {
    const f = this.fieldList[field]!;
    if (f.stamp !== this.seq) this.scan(f, this.seq);
    return f.hits;
  }

  /** Marks every atom of the field that holds on the current event. */
  private scan(f: FieldAtoms, seq: number): void {
    f.stamp = seq;
    const hits: number[] = (f.hits = []);
    const v = FIELDS.get(this.ev!, f.field);
    if (!v.strs.length) return;
    const stamps = this.atomStamps;
    const mark = (id: number): void => {
      if (stamps[id] !== seq) {
        stamps[id] = seq;
        hits.push(id);
      }
    };
    for (const s of lowerOf(v)) {
      if (f.eq.size) {
        const ids = f.eq.get(indexKey(s));
        if (ids) for (const id of ids) mark(id);
      }
      for (const [len, m] of f.prefix) {
        if (s.length < len) continue;
        const ids = m.get(s.slice(0, len));
        if (ids) for (const id of ids) mark(id);
      }
      for (const [len, m] of f.suffix) {
        if (s.length < len) continue;
        const ids = m.get(s.slice(s.length - len));
        if (ids) for (const id of ids) mark(id);
      }
      if (f.contains.size && s.length >= 3) {
        // One pass, the trigram rolled along: most positions end at the bitmap test.
        const bits = f.trigramBits;
        let c0 = s.charCodeAt(0);
        let c1 = s.charCodeAt(1);
        for (let i = 0; i + 3 <= s.length; i++) {
          const c2 = s.charCodeAt(i + 2);
          const h = ((c0 * 961 + c1 * 31 + c2) >>> 0) & 0xffff;
          if (bits[h >>> 5]! & (1 << (h & 31))) {
            const probes = f.contains.get((c0 * 65536 + c1) * 65536 + c2);
            if (probes) {
              for (const p of probes) {
                const start = i - p.offset;
                if (start >= 0 && stamps[p.atom] !== seq && s.startsWith(p.literal, start)) mark(p.atom);
              }
            }
          }
          c0 = c1;
          c1 = c2;
        }
      }
    }
  }

  get size(): number {
    return this.specs.length;
  }
}
