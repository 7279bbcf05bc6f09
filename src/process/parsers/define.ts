// The parser contract. A parser is one folder under src/process/parsers/<id>/ whose index.ts default-
// exports defineParser(...), with fixtures in <id>/fixtures/. scripts/gen-registry.mjs lists the folders
// into registry.generated.ts (npm run build regenerates it; CI fails if it is stale).
import type { EcsDoc } from '../../core/event.js';
import { isPrincipleId, isRequirementId } from '../../core/requirement-ids.js';
import type { SyslogMessage } from '../decode/syslog.js';
import type { ParserState } from './state.js';

/** What a parser sees of one record. */
export interface ParseInput {
  /** The text the parser should read: the syslog MSG part, or the whole line. */
  message: string;
  /** The whole decoded line, header included. */
  line: string;
  /** Present when the record (or a syslog MSG) was a JSON object. */
  json?: EcsDoc;
  /** Present when the line had a syslog header. */
  syslog?: SyslogMessage;
  /** The program from the syslog tag (process.name), for cheap dispatch. */
  program?: string;
  /** The tenant the record belongs to: state must never be shared across tenants. */
  tenant: string;
  /**
   * Bounded memory for parsers that join lines (LDAP BIND + RESULT, dnsmasq query + reply), scoped to
   * this parser and this tenant.
   */
  state: ParserState;
}

export interface ParserDef {
  id: string;
  /** The source's name as users know it, for docs (e.g. "OpenSSH sshd"). */
  title: string;
  /** Format and where it comes from. */
  description: string;
  /** 'json' parsers see JSON records, 'text' parsers see everything else. */
  input: 'json' | 'text';
  /** If set, only records whose syslog program is one of these are offered (text parsers). */
  programs?: readonly string[];
  /** Lower runs first; generic fall-backs use high numbers. Default 100. */
  priority?: number;
  /** Requirement IDs (CONTRACT.md 6) this source can evidence, for the docs' table of sources. */
  requirements: readonly string[];
  /**
   * Returns ECS fields for a record it recognises, or null. Fields it returns are merged over the syslog
   * header fields. A record it claims but cannot fully read is returned with what was read and
   * `vigil.parse.status: "partial"` plus `vigil.parse.error` saying why. It must not throw.
   */
  parse(input: ParseInput): EcsDoc | null;
  /**
   * For container records (CloudTrail's {"Records":[...]} files): the records inside, each of which
   * then becomes its own event with its own event.original. Only JSON records containing `marker`
   * (a cheap substring test) are offered.
   */
  split?: { marker: string; records(json: EcsDoc): EcsDoc[] | null };
}

export function defineParser(def: ParserDef): ParserDef {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(def.id)) throw new Error(`bad parser id "${def.id}"`);
  for (const r of def.requirements) {
    if (!isRequirementId(r) && !isPrincipleId(r)) throw new Error(`parser ${def.id}: unknown requirement id "${r}"`);
  }
  return def;
}
