// The loaded catalogue: every principle and requirement as a flat map of entries, groups knowing their
// items. Built by load.ts; read by the classifier (selectors), coverage (fields, tiers, groups) and the
// supply chain (a group ID stands for all of its items).
import type { Expr } from '../ql/ast.js';

export type EntryKind = 'principle' | 'requirement';

export interface RequiredField {
  name: string;
  paths: string[];
  optional: boolean;
}

export interface DeriveRule {
  after: Expr;
  then: Expr;
  by: string[];
  withinMs: number;
  /** The rule as written, for the API. */
  source: { after: string; then: string; by: string[]; within: string };
}

export interface CatalogEntry {
  id: string;
  kind: EntryKind;
  framework: string;
  title: string;
  tier: string;
  text: string;
  /** The group this entry is an item of. */
  parent?: string;
  /** Item ids, in file order; empty for a leaf. */
  items: string[];
  /** Principle ids this requirement serves (principles: empty). */
  principles: string[];
  technologies: string[];
  selector?: { text: string; expr: Expr };
  /** Every event evidences it (P7a: the tenant sends its logs here at all). */
  allEvents: boolean;
  derive?: DeriveRule;
  fields: RequiredField[];
  file: string;
}

export interface Framework {
  id: string;
  title: string;
  url?: string;
  kind: EntryKind;
  file: string;
}

export class Catalog {
  readonly byId: ReadonlyMap<string, CatalogEntry>;
  constructor(
    readonly frameworks: readonly Framework[],
    readonly entries: readonly CatalogEntry[],
  ) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  /** Leaves (entries with no items), in file order: what events evidence and coverage rows report. */
  leaves(kind?: EntryKind): CatalogEntry[] {
    return this.entries.filter((e) => e.items.length === 0 && (!kind || e.kind === kind));
  }

  groups(kind?: EntryKind): CatalogEntry[] {
    return this.entries.filter((e) => e.items.length > 0 && (!kind || e.kind === kind));
  }

  /** The leaf ids an id stands for: itself for a leaf, every leaf below it for a group. Unknown: []. */
  expand(id: string): string[] {
    const e = this.byId.get(id);
    if (!e) return [];
    if (e.items.length === 0) return [e.id];
    return e.items.flatMap((i) => this.expand(i));
  }

  tiers(): string[] {
    return [...new Set(this.leaves('requirement').map((e) => e.tier))];
  }
}
