// An output's field transform: redact, then drop, then rename. Redaction is the one that must not
// leak: a redacted field's value is also scrubbed from every other string of the event (event.original
// and message repeat what the parser read out of them), and patterns are applied to every string.
import { deletePath, getPath, isDoc, setPath, type EcsDoc, type EcsValue } from '../core/event.js';

export interface TransformSpec {
  drop: string[];
  rename: Record<string, string>;
  redact: string[];
  redact_patterns: string[];
}

export const REDACTED = '[REDACTED]';

export type Transform = (doc: EcsDoc) => EcsDoc;

/** Compiles a spec; throws on a pattern that is not a valid regular expression (a config error). */
export function compileTransform(spec: TransformSpec): Transform | null {
  if (!spec.drop.length && !Object.keys(spec.rename).length && !spec.redact.length && !spec.redact_patterns.length) return null;
  const patterns = spec.redact_patterns.map((p) => new RegExp(p, 'g'));
  return (input) => {
    // Outputs share the processed event with the store and each other: transform a copy.
    const doc = structuredClone(input);
    const secrets = new Set<string>();
    for (const path of spec.redact) {
      const v = getPath(doc, path);
      if (v === undefined || v === null) continue;
      for (const s of scalars(v)) if (s !== '') secrets.add(s);
      setPath(doc, path, Array.isArray(v) ? v.map(() => REDACTED) : REDACTED);
    }
    if (secrets.size || patterns.length) {
      // Longest first, so a value that contains another is scrubbed whole.
      const values = [...secrets].sort((a, b) => b.length - a.length);
      scrub(doc, (s) => {
        let out = s;
        for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
        for (const re of patterns) out = out.replace(re, REDACTED);
        return out;
      });
    }
    for (const path of spec.drop) deletePath(doc, path);
    for (const [from, to] of Object.entries(spec.rename)) {
      const v = deletePath(doc, from);
      if (v !== undefined) setPath(doc, to, v);
    }
    return doc;
  };
}

function scalars(v: EcsValue): string[] {
  if (Array.isArray(v)) return v.flatMap(scalars);
  if (isDoc(v)) return Object.values(v).flatMap((x) => (x === undefined ? [] : scalars(x)));
  return v === null ? [] : [String(v)];
}

/** Rewrites every string in the document, keys untouched, in place. */
function scrub(node: EcsDoc | EcsValue[], f: (s: string) => string): void {
  const entries: [string | number, EcsValue | undefined][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [k, v] of entries) {
    if (typeof v === 'string') {
      const s = f(v);
      if (s !== v) (node as Record<string | number, EcsValue>)[k] = s;
    } else if (Array.isArray(v) || isDoc(v)) scrub(v, f);
  }
}
