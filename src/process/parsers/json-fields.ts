// Shared by the JSON parsers (cloudtrail, entra-id, okta, auth0, github-audit, google-workspace):
// typed reads of untrusted JSON, snake_case namespaces as Elastic keeps them, and compact event-name
// tables applied by applyRule.
import type { EcsDoc, EcsValue } from '../../core/event.js';
import { evidence } from './ecs.js';

export function isObj(v: unknown): v is EcsDoc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string (numbers are written out), else undefined. */
export { asText as str } from '../../core/event.js';

export function obj(v: unknown): EcsDoc | undefined {
  return isObj(v) ? v : undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * A top-level key, tolerating an all-lower-case copy of it: some exporters (and Panther's normalised
 * Azure and Okta records) lower-case the top-level keys ("eventtype", "calleripaddress").
 */
export function key(o: EcsDoc, k: string): EcsValue | undefined {
  const v = o[k];
  return v !== undefined ? v : o[k.toLowerCase()];
}

/**
 * The record with the listed top-level keys in their documented case when an exporter lower-cased them
 * ("eventname" → "eventName"); the record itself otherwise.
 */
export function restoreKeys(o: EcsDoc, keys: readonly string[]): EcsDoc {
  const first = keys[0]!;
  // Cheap for every other record: only a lower-cased first key starts the copy.
  if (o[first] !== undefined || o[first.toLowerCase()] === undefined) return o;
  const out: EcsDoc = { ...o };
  for (const k of keys) {
    const lower = k.toLowerCase();
    if (out[k] === undefined && out[lower] !== undefined) {
      out[k] = out[lower];
      delete out[lower];
    }
  }
  return out;
}

/** Walks a dotted path through nested objects. */
export function dig(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** camelCase / PascalCase → snake_case ("ipAddress" → "ip_address", "userPrincipalName" → "user_principal_name"). */
export function snake(k: string): string {
  return k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s.-]+/g, '_')
    .toLowerCase();
}

/**
 * A copy with snake_case keys and without null, empty-string, empty-object or empty-array values (as
 * Elastic's pipelines drop them). `rename` maps a source key to a different name at any depth.
 */
export function snakeDeep(v: unknown, rename: Record<string, string> = {}): EcsValue | undefined {
  return cleanDeep(v, (k) => rename[k] ?? snake(k), 0);
}

/** A copy without null, empty-string, empty-object or empty-array values; keys as they are. */
export function compactDeep(v: unknown): EcsValue | undefined {
  return cleanDeep(v, (k) => k, 0);
}

function cleanDeep(v: unknown, keyOf: (k: string) => string, depth: number): EcsValue | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (depth > 12) return undefined;
  if (Array.isArray(v)) {
    const out = v.map((x) => cleanDeep(x, keyOf, depth + 1)).filter((x): x is EcsValue => x !== undefined);
    return out.length ? out : undefined;
  }
  if (isObj(v)) {
    const out: EcsDoc = {};
    for (const [k, x] of Object.entries(v)) {
      const c = cleanDeep(x, keyOf, depth + 1);
      if (c !== undefined) out[keyOf(k)] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v as EcsValue;
}

/** Splits "name@domain" (a UPN or an e-mail address); a value without "@" is all name. */
export function splitAt(s: string): { name: string; domain?: string } {
  const at = s.lastIndexOf('@');
  return at > 0 && at < s.length - 1 ? { name: s.slice(0, at), domain: s.slice(at + 1) } : { name: s };
}

/** The JSON text of an object, for fields kept as strings (aws.cloudtrail.request_parameters). */
export function jsonText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v || undefined : JSON.stringify(v);
}

/** One row of an event-name table: ECS categorisation and the IDs it evidences. */
export interface EventRule {
  category: string[];
  type: string[];
  req: string[];
  pr: string[];
}

/** A compact rule: m('iam', 'user,creation', 'B1.1', 'P2a'). */
export function m(category: string, type: string, req = '', pr = ''): EventRule {
  const split = (s: string) => (s ? s.split(',') : []);
  return { category: split(category), type: split(type), req: split(req), pr: split(pr) };
}

/**
 * Sets event.category/type and the evidence tags of a rule, with extra IDs for this instance. Reads
 * event.outcome (set it first): a failed sign-in (authentication, P1a) adds B1.4; any other failed call
 * changed nothing, so it keeps its principles (the attempt is monitored) but evidences no requirement.
 */
export function applyRule(doc: EcsDoc, rule: EventRule, extraReq: readonly string[] = [], extraPr: readonly string[] = []): EcsDoc {
  const event = (doc.event ??= {}) as EcsDoc;
  event.category = [...rule.category];
  event.type = [...rule.type];
  const failed = event.outcome === 'failure';
  const signIn = rule.category.includes('authentication') && rule.pr.includes('P1a');
  let req = [...rule.req, ...extraReq];
  if (failed && signIn) req.push('B1.4');
  else if (failed) req = [];
  const uniq = (a: readonly string[]) => [...new Set(a)];
  return evidence(doc, uniq(req), uniq([...rule.pr, ...extraPr]));
}

/** Time from a value that may be ISO text, "YYYY-MM-DD hh:mm:ss.fff" (UTC) or epoch ms/s. */
export function anyTime(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    const d = new Date(v < 1e11 ? v * 1000 : v);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v !== 'string' || v === '') return undefined;
  // "2022-12-11 02:57:48.693000000": space-separated, zone-less (UTC), sometimes nanoseconds.
  let s = v;
  const sp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)?$/.exec(v);
  if (sp) s = `${sp[1]}T${sp[2]}${sp[3] ? sp[3].slice(0, 4) : ''}Z`;
  else s = v.replace(/(\.\d{3})\d+/, '$1'); // 7-digit fractions (Azure) → milliseconds
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
