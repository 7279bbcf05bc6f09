// Dispatches a record to the parsers that can read it: forced parser first (`?source=`), then parsers
// bound to the record's syslog program, then the rest by priority.
import type { EcsDoc } from '../../core/event.js';
import type { ParseInput, ParserDef } from './define.js';
import { PARSERS } from './registry.generated.js';

export interface ParseOutcome {
  parser: string;
  doc: EcsDoc;
}

export class ParserRegistry {
  private readonly byId = new Map<string, ParserDef>();
  private readonly json: ParserDef[];
  private readonly textAny: ParserDef[];
  private readonly byProgram = new Map<string, ParserDef[]>();

  constructor(parsers: readonly ParserDef[] = PARSERS) {
    const sorted = [...parsers].sort((a, b) => (a.priority ?? 100) - (b.priority ?? 100));
    for (const p of sorted) {
      if (this.byId.has(p.id)) throw new Error(`two parsers share the id "${p.id}"`);
      this.byId.set(p.id, p);
      if (p.input === 'text' && p.programs) {
        for (const prog of p.programs) {
          const list = this.byProgram.get(prog) ?? [];
          list.push(p);
          this.byProgram.set(prog, list);
        }
      }
    }
    this.json = sorted.filter((p) => p.input === 'json');
    this.textAny = sorted.filter((p) => p.input === 'text' && !p.programs);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  list(): ParserDef[] {
    return [...this.byId.values()];
  }

  /** Returns the first parser's result, or null when none recognises the record. */
  parse(input: ParseInput, forced?: string): ParseOutcome | null {
    if (forced) {
      const p = this.byId.get(forced);
      return p ? attempt(p, input) : null;
    }
    const candidates = input.json
      ? this.json
      : [...(input.program ? (this.byProgram.get(input.program) ?? []) : []), ...this.textAny];
    for (const p of candidates) {
      const r = attempt(p, input);
      if (r) return r;
    }
    return null;
  }
}

function attempt(p: ParserDef, input: ParseInput): ParseOutcome | null {
  try {
    const doc = p.parse(input);
    return doc ? { parser: p.id, doc } : null;
  } catch {
    // A parser bug must not lose the event: it falls through as unrecognised.
    return null;
  }
}
