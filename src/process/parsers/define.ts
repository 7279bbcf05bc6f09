// The parser contract. A parser is one folder under src/process/parsers/<id>/ whose index.ts default-
// exports defineParser(...). scripts/gen-registry.mjs lists the folders into registry.generated.ts, so a
// new format needs no edit elsewhere; CI fails if the generated file is stale.
import type { EcsDoc } from '../../core/event.js';
import type { SyslogMessage } from '../decode/syslog.js';

/** What a parser sees of one record. */
export interface ParseInput {
  /** The text the parser should read: the syslog MSG part, or the whole line. */
  message: string;
  /** The whole decoded line, header included. */
  line: string;
  /** Present when the record was JSON. */
  json?: EcsDoc;
  /** Present when the line had a syslog header. */
  syslog?: SyslogMessage;
  /** The program from the syslog tag (process.name), for cheap dispatch. */
  program?: string;
}

export interface ParserDef {
  id: string;
  /** Human description: format and where it comes from. */
  description: string;
  /** 'json' parsers see JSON records, 'text' parsers see everything else. */
  input: 'json' | 'text';
  /** If set, only records whose syslog program is one of these are offered (text parsers). */
  programs?: readonly string[];
  /** Lower runs first; generic fall-backs use high numbers. */
  priority?: number;
  /**
   * Returns ECS fields for a record it recognises, or null. Fields it returns are merged over the
   * syslog header fields. It must not throw on input it does not recognise.
   */
  parse(input: ParseInput): EcsDoc | null;
}

export function defineParser(def: ParserDef): ParserDef {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(def.id)) throw new Error(`bad parser id "${def.id}"`);
  return def;
}
