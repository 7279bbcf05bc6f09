// Picks, per event, the few rules worth evaluating. Most rules can only match an event with one exact
// value in some field: its logsource's channel and event id, or `EventID: 4625`, or `eventName: X`. Such
// a rule sits in a bucket under that value (the mapping's `index` fields first) and is only tried on
// events carrying it; rules with no such value are tried on every event. Within a bucket, the literal
// filter (literal-filter.ts) narrows further. Both are necessary conditions only: the full rule still
// decides, so the index can never change a result (differential tests check it).
import type { EcsDoc } from '../../core/event.js';
import { CompiledSigmaRule } from './compile.js';
import { FIELDS, lowerOf, type FieldRef } from './field-values.js';
import { indexKey } from './index-key.js';
import { LiteralFilter, signature } from './literal-filter.js';
import { defaultFieldMapping, type FieldMapping } from './mapping.js';
import type { Node } from './tree.js';
import type { CompiledRule } from './types.js';

/** The key of the bucket for "the field has any value". */
export const PRESENT = '\u0000present';

/** One way an event can qualify: this field holds this key (or is present, for PRESENT). */
export interface Alternative {
  field: FieldRef;
  key: string;
}

/**
 * Alternatives one of which every event the node matches satisfies, or null when nothing can be said
 * (not, regex, contains…). An `and` takes its best child's, an `or` the union of its children's, so
 * `(Sysmon and 1) or (Security and 4688)` gives event id 1 or 4688.
 */
export function indexAlternatives(n: Node, rank: (f: FieldRef) => number): Alternative[] | null {
  switch (n.k) {
    case 'sel':
      return indexAlternatives(n.x, rank);
    case 'not':
      return null;
    case 'item': {
      const it = n.item;
      if (it.negate) return null;
      const ms = it.all ? (it.groups[0] ?? []) : it.groups.flat();
      const out: Alternative[] = [];
      for (const m of ms) {
        if (m.kind === 'string' && m.op === 'eq' && !m.windash) out.push({ field: it.field, key: indexKey(m.needle) });
        else if (m.kind === 'number' && m.op === 'eq') out.push({ field: it.field, key: indexKey(String(m.value)) });
        else if ((m.kind === 'exists' && m.value) || (m.kind === 'string' && m.op === 'any')) out.push({ field: it.field, key: PRESENT });
        else return null;
      }
      return out.length ? out : null;
    }
    case 'and': {
      let best: Alternative[] | null = null;
      let bestScore = Infinity;
      for (const x of n.xs) {
        const alts = indexAlternatives(x, rank);
        if (!alts) continue;
        // Fields earlier in the mapping's index list first, then fewer alternatives; presence is weak.
        const score = Math.max(...alts.map((a) => rank(a.field) + (a.key === PRESENT ? 100 : 0))) * 1000 + alts.length;
        if (score < bestScore) {
          best = alts;
          bestScore = score;
        }
      }
      return best;
    }
    case 'or':
    case 'atleast': {
      const out: Alternative[] = [];
      for (const x of n.xs) {
        const alts = indexAlternatives(x, rank);
        if (!alts) return null;
        out.push(...alts);
      }
      return out;
    }
  }
}

/**
 * Rules under one bucket key (or the always-tried ones): those without a literal signature, and the
 * others by the atoms of their signatures, so an event reaches only rules one of whose atoms it holds.
 */
class Bucket {
  readonly plain: number[] = [];
  readonly byAtom = new Map<number, number[]>();
  /** The literal filter's fields the signatures here read. */
  fields: number[] = [];

  add(rule: number, atoms: readonly number[] | undefined, literals: LiteralFilter): void {
    if (!atoms) {
      this.plain.push(rule);
      return;
    }
    for (const a of atoms) {
      const list = this.byAtom.get(a);
      if (list) list.push(rule);
      else this.byAtom.set(a, [rule]);
      const f = literals.fieldOf(a);
      if (!this.fields.includes(f)) this.fields.push(f);
    }
  }
}

interface Bucketed {
  field: FieldRef;
  buckets: Map<string, Bucket>;
}

export interface IndexStats {
  rules: number;
  indexed: Record<string, number>;
  always: number;
  /** Rules with a literal signature, and the distinct literals behind them. */
  withLiterals: number;
  literals: number;
}

export class RuleIndex {
  private readonly rules: CompiledRule[];
  private readonly fields: Bucketed[] = [];
  private readonly always = new Bucket();
  private readonly literals = new LiteralFilter();
  private readonly seen: Float64Array;
  private withLiterals = 0;
  private seq = 0;

  constructor(rules: readonly CompiledRule[], opts: { mapping?: FieldMapping } = {}) {
    this.rules = [...rules];
    this.seen = new Float64Array(this.rules.length);
    const atoms = this.rules.map((r) => {
      const sig = r instanceof CompiledSigmaRule ? signature(r.detection) : null;
      return sig ? this.literals.add(sig) : undefined;
    });
    this.literals.seal();
    this.withLiterals = atoms.filter(Boolean).length;
    const priority = (opts.mapping ?? defaultFieldMapping()).index;
    const rank = (f: FieldRef): number => {
      const p = f.spec.paths.length === 1 ? priority.indexOf(f.spec.paths[0]!) : -1;
      return p < 0 ? priority.length : p;
    };
    const byField = new Map<FieldRef, Bucketed>();
    this.rules.forEach((r, i) => {
      const alts = r instanceof CompiledSigmaRule ? indexAlternatives(r.tree, rank) : null;
      if (!alts) return this.always.add(i, atoms[i], this.literals);
      for (const { field, key } of alts) {
        let b = byField.get(field);
        if (!b) byField.set(field, (b = { field, buckets: new Map() }));
        let bucket = b.buckets.get(key);
        if (!bucket) b.buckets.set(key, (bucket = new Bucket()));
        bucket.add(i, atoms[i], this.literals);
      }
    });
    this.fields = [...byField.values()];
  }

  /** The rules worth evaluating on this event (a superset of those that match). */
  candidates(doc: EcsDoc): CompiledRule[] {
    return this.pick(doc, false);
  }

  /** The rules that match this event, in the order they were given. */
  match(doc: EcsDoc): CompiledRule[] {
    return this.pick(doc, true);
  }

  private pick(doc: EcsDoc, evaluate: boolean): CompiledRule[] {
    const ev = FIELDS.begin(doc);
    this.literals.begin(ev);
    const seq = ++this.seq;
    const seen = this.seen;
    const hits: number[] = [];
    const consider = (i: number): void => {
      if (seen[i] === seq) return;
      seen[i] = seq;
      const r = this.rules[i]!;
      if (!evaluate || (r instanceof CompiledSigmaRule ? r.matchEv(ev) : r.match(doc))) hits.push(i);
    };
    const visit = (b: Bucket): void => {
      for (const i of b.plain) consider(i);
      for (const f of b.fields) {
        for (const atom of this.literals.hits(f)) {
          const list = b.byAtom.get(atom);
          if (list) for (const i of list) consider(i);
        }
      }
    };
    for (const f of this.fields) {
      const v = FIELDS.get(ev, f.field);
      if (v.present) {
        const b = f.buckets.get(PRESENT);
        if (b) visit(b);
      }
      for (const s of lowerOf(v)) {
        const b = f.buckets.get(indexKey(s));
        if (b) visit(b);
      }
    }
    visit(this.always);
    if (hits.length > 1) hits.sort((a, b) => a - b);
    return hits.map((i) => this.rules[i]!);
  }

  stats(): IndexStats {
    const indexed: Record<string, number> = {};
    for (const f of this.fields) {
      const n = new Set([...f.buckets.values()].flatMap((b) => [...b.plain, ...[...b.byAtom.values()].flat()])).size;
      indexed[f.field.spec.paths.join('|')] = n;
    }
    const always = new Set([...this.always.plain, ...[...this.always.byAtom.values()].flat()]).size;
    return { rules: this.rules.length, indexed, always, withLiterals: this.withLiterals, literals: this.literals.size };
  }
}
