// An ECS document: nested objects keyed by ECS field-name segments ("user" -> "name").
// Dotted paths ("user.name") address fields; helpers here read and write them.

export type EcsScalar = string | number | boolean | null;
export type EcsValue = EcsScalar | EcsValue[] | EcsDoc;
export interface EcsDoc {
  [key: string]: EcsValue | undefined;
}

/** A plain object: not null, not an array (what JSON calls an object). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDoc(v: unknown): v is EcsDoc {
  return isRecord(v);
}

/** A value as a non-empty string (numbers are written out), else undefined. */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A value as a finite number (numeric strings too, "4624", " 11 "), else undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/**
 * A reader for one dotted path, split once: nested objects, or a literal dotted key at any level
 * ({"user.name": x} or {"log": {"syslog.priority": 1}}). Hot paths (selectors, rules) hold one per field.
 */
export function pathReader(path: string): (doc: EcsDoc) => EcsValue | undefined {
  const parts = path.split('.');
  if (parts.length === 1) return (d) => d[path];
  // The dotted remainders, built once: most reads miss, and a miss checks for a literal dotted key.
  const suffixes = parts.map((_, i) => parts.slice(i).join('.'));
  const last = parts.length - 1;
  return (doc) => {
    let cur: EcsValue | undefined = doc;
    for (let i = 0; i < parts.length; i++) {
      if (!isDoc(cur)) return undefined;
      const next: EcsValue | undefined = cur[parts[i]!];
      if (next !== undefined) {
        cur = next;
        continue;
      }
      return i < last ? cur[suffixes[i]!] : undefined;
    }
    return cur;
  };
}

/** getPath's readers, one per path it has been asked for (a small set: the fields code names). */
const READERS = new Map<string, (doc: EcsDoc) => EcsValue | undefined>();

/** Reads a dotted path. A literal dotted key at the top wins; else as pathReader reads it. */
export function getPath(doc: EcsDoc, path: string): EcsValue | undefined {
  if (path in doc) return doc[path];
  let read = READERS.get(path);
  if (!read) {
    read = pathReader(path);
    if (READERS.size < 10_000) READERS.set(path, read);
  }
  return read(doc);
}

/** Writes a dotted path, creating nested objects as needed. Undefined values are ignored. */
export function setPath(doc: EcsDoc, path: string, value: EcsValue | undefined): void {
  if (value === undefined) return;
  const parts = path.split('.');
  let cur: EcsDoc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const next = cur[key];
    if (isDoc(next)) cur = next;
    else {
      const created: EcsDoc = {};
      cur[key] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Removes a dotted path; returns its value. Empty parent objects are left in place. */
export function deletePath(doc: EcsDoc, path: string): EcsValue | undefined {
  if (path in doc) {
    const v = doc[path];
    delete doc[path];
    return v;
  }
  const parts = path.split('.');
  let cur: EcsValue | undefined = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isDoc(cur)) return undefined;
    cur = cur[parts[i]!];
  }
  if (!isDoc(cur)) return undefined;
  const last = parts[parts.length - 1]!;
  const v = cur[last];
  delete cur[last];
  return v;
}

/** Turns literal dotted keys into nested objects, recursively ({"a.b":1} -> {a:{b:1}}). */
export function expandDottedKeys(input: EcsDoc): EcsDoc {
  const out: EcsDoc = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const value = isDoc(raw) ? expandDottedKeys(raw) : raw;
    const existing = key.includes('.') ? getPath(out, key) : out[key];
    if (isDoc(existing) && isDoc(value)) mergeInto(existing, value);
    else setPath(out, key, value);
  }
  return out;
}

/** Deep-merges src into dst (src wins on scalars). */
export function mergeInto(dst: EcsDoc, src: EcsDoc): EcsDoc {
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined) continue;
    const cur = dst[k];
    if (isDoc(cur) && isDoc(v)) mergeInto(cur, v);
    else dst[k] = v;
  }
  return dst;
}

export { isDoc };

/** The event's time in epoch ms (an ISO string or a number of ms); now when it has none that parses. */
export function eventTimeMs(doc: EcsDoc): number {
  const ts = doc['@timestamp'];
  const t = typeof ts === 'string' || typeof ts === 'number' ? new Date(ts).getTime() : NaN;
  return Number.isNaN(t) ? Date.now() : t;
}
