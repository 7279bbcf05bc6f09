// Dispatches a record to the parsers that can read it: forced parser first (`?source=`), then parsers
// bound to the record's syslog program, then the rest by priority.
import type { EcsDoc } from '../../core/event.js';
import type { ParseInput, ParserDef } from './define.js';
import { ParserStates } from './state.js';
import { PARSERS } from './registry.generated.js';

export interface ParseOutcome {
  parser: string;
  doc: EcsDoc;
}

/** A record as the pipeline hands it over; the registry adds each parser's own state. */
export type RecordInput = Omit<ParseInput, 'state'>;

/** The parsers a config selects; an unknown id is an error, so a typo cannot silently change nothing. */
export function selectParsers(all: readonly ParserDef[], sel: { disable: string[]; only?: string[] | undefined }): ParserDef[] {
  const ids = new Set(all.map((p) => p.id));
  for (const id of [...sel.disable, ...(sel.only ?? [])]) {
    if (!ids.has(id)) throw new Error(`parsers: no parser with id "${id}" (known: ${[...ids].sort().join(', ')})`);
  }
  return all.filter((p) => (sel.only ? sel.only.includes(p.id) : true) && !sel.disable.includes(p.id));
}

export class ParserRegistry {
  private readonly byId = new Map<string, ParserDef>();
  private readonly json: ParserDef[];
  private readonly textAny: ParserDef[];
  private readonly byProgram = new Map<string, ParserDef[]>();
  private readonly states = new ParserStates();
  private readonly splitters: ParserDef[];

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
    this.splitters = sorted.filter((p) => p.split);
  }

  /** The records inside a container record, or null when `text` is not one. */
  split(text: string): EcsDoc[] | null {
    if (this.splitters.length === 0 || text.charCodeAt(0) !== 0x7b) return null;
    let json: EcsDoc | undefined;
    for (const p of this.splitters) {
      if (!text.includes(p.split!.marker)) continue;
      try {
        json ??= JSON.parse(text) as EcsDoc;
        const out = p.split!.records(json);
        // An empty container is kept as the one event it is, never dropped.
        if (out && out.length > 0) return out;
      } catch {
        return null;
      }
    }
    return null;
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
  parse(input: RecordInput, forced?: string): ParseOutcome | null {
    if (forced) {
      const p = this.byId.get(forced);
      return p ? this.attempt(p, input) : null;
    }
    if (input.json) {
      for (const p of this.json) {
        const r = this.attempt(p, input);
        if (r) return r;
      }
      // A JSON payload inside a syslog line that no JSON parser knows may still be a text format.
      if (!input.syslog) return null;
    }
    const bound = input.program ? this.byProgram.get(input.program) : undefined;
    if (bound) {
      for (const p of bound) {
        const r = this.attempt(p, input);
        if (r) return r;
      }
    }
    for (const p of this.textAny) {
      const r = this.attempt(p, input);
      if (r) return r;
    }
    return null;
  }

  private attempt(p: ParserDef, input: RecordInput): ParseOutcome | null {
    try {
      // One input object per record, its state swapped per parser: a copy per attempt cost more than
      // most parsers' own rejection of a line that is not theirs.
      const full = input as ParseInput;
      full.state = this.states.for(p.id, input.tenant);
      const doc = p.parse(full);
      return doc ? { parser: p.id, doc } : null;
    } catch {
      // A parser bug must not lose the event: it falls through as unrecognised.
      return null;
    }
  }
}
