// An ECS document: nested objects keyed by ECS field-name segments ("user" -> "name").
// Dotted paths ("user.name") address fields; helpers here read and write them.

export type EcsScalar = string | number | boolean | null;
export type EcsValue = EcsScalar | EcsValue[] | EcsDoc;
export interface EcsDoc {
  [key: string]: EcsValue | undefined;
}

function isDoc(v: unknown): v is EcsDoc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths split once: getPath runs per event and field, over a small set of paths. */
const SPLIT = new Map<string, string[]>();
function split(path: string): string[] {
  let parts = SPLIT.get(path);
  if (!parts) {
    parts = path.split('.');
    if (SPLIT.size < 10_000) SPLIT.set(path, parts);
  }
  return parts;
}

/** Reads a dotted path. Accepts both nested objects and literal dotted keys ("user.name": "x"). */
export function getPath(doc: EcsDoc, path: string): EcsValue | undefined {
  if (path in doc) return doc[path];
  let cur: EcsValue | undefined = doc;
  const parts = split(path);
  for (let i = 0; i < parts.length; i++) {
    if (!isDoc(cur)) return undefined;
    const direct: EcsValue | undefined = cur[parts[i]!];
    if (direct !== undefined) {
      cur = direct;
      continue;
    }
    // A literal dotted key below this level ("log": {"syslog.priority": 1}).
    const rest = parts.slice(i).join('.');
    return rest in cur ? cur[rest] : undefined;
  }
  return cur;
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
