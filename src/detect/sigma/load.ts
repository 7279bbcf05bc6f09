// Reads Sigma rule files: YAML, several documents per file, each a detection rule, a correlation rule,
// or a legacy collection directive (`action: global | reset | repeat`). A broken document becomes one
// RuleError naming its file and line (the document's, or the offending key's) and the others still
// load: one typo must not take a rule set down.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { LEVELS, type LoadResult, type RuleError, type SigmaCorrelationDoc, type SigmaLevel, type SigmaLogsource, type SigmaRule } from './types.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = new Set(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
/** A plain scalar YAML read as a number is kept as a number only when written as one (`0x1F`, `1e3` stay text). */
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** Rule files under each path: the file itself, or every *.yml / *.yaml below a folder, sorted. */
export function ruleFiles(paths: readonly string[], missing: RuleError[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      missing.push({ file: p, line: 0, reason: 'no such file or folder' });
      continue;
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return out;
}

export function loadRuleFiles(paths: readonly string[]): LoadResult {
  const result: LoadResult = { rules: [], correlations: [], errors: [], warnings: [] };
  const seen = new Map<string, SigmaRule>();
  for (const file of ruleFiles(paths, result.errors)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      result.errors.push({ file, line: 0, reason: `cannot read: ${(e as Error).message}` });
      continue;
    }
    merge(result, parseRuleText(text, file), seen);
  }
  return result;
}

/** Adds one file's result, refusing a rule id already loaded from elsewhere. */
function merge(into: LoadResult, part: LoadResult, seen: Map<string, SigmaRule>): void {
  for (const r of part.rules) {
    const first = seen.get(r.id);
    if (first) {
      into.errors.push({ file: r.file, line: r.line, id: r.id, title: r.title, reason: `duplicate id: first loaded from ${first.file}:${first.line}` });
      continue;
    }
    seen.set(r.id, r);
    into.rules.push(r);
  }
  into.correlations.push(...part.correlations);
  into.errors.push(...part.errors);
  into.warnings.push(...part.warnings);
}

/** One file's text. Ids are checked for duplicates within the file only. */
export function parseRuleText(text: string, file: string): LoadResult {
  const lc = new LineCounter();
  const result: LoadResult = { rules: [], correlations: [], errors: [], warnings: [] };
  const line = (offset: number | undefined): number => (offset === undefined ? 1 : lc.linePos(offset).line);
  let global: Record<string, unknown> | undefined;
  let previous: Record<string, unknown> | undefined;
  const seen = new Map<string, SigmaRule>();

  for (const doc of parseAllDocuments(text, { lineCounter: lc, prettyErrors: true })) {
    const contents = doc.contents as Node | null;
    const docLine = line(contents?.range?.[0] ?? doc.range[0]);
    if (doc.errors.length) {
      for (const e of doc.errors) result.errors.push({ file, line: e.linePos?.[0]?.line ?? docLine, reason: `YAML: ${firstLine(e.message)}` });
      continue;
    }
    if (contents === null || (isScalar(contents) && contents.value === null)) continue; // an empty document
    if (!isMap(contents)) {
      result.errors.push({ file, line: docLine, reason: 'a rule document must be a YAML mapping' });
      continue;
    }
    const plain = toPlain(contents, doc) as Record<string, unknown>;
    const action = plain.action;
    if (action !== undefined) {
      // Legacy rule collections: `global` is merged into every later document, `reset` forgets it,
      // `repeat` is the previous document with this one's keys on top.
      delete plain.action;
      if (action === 'global') {
        global = plain;
        continue;
      }
      if (action === 'reset') {
        global = undefined;
        continue;
      }
      if (action === 'repeat') {
        if (!previous) {
          result.errors.push({ file, line: docLine, reason: '`action: repeat` with no document before it' });
          continue;
        }
        Object.assign(plain, deepMerge(previous, plain));
      } else {
        result.errors.push({ file, line: keyLine(contents, 'action', line) ?? docLine, reason: `unknown action '${String(action)}' (global, reset or repeat)` });
        continue;
      }
    }
    const merged = global && action !== 'repeat' ? deepMerge(global, plain) : plain;
    previous = merged;
    const lines = detectionLines(contents, line);
    const at = (key: string): number => keyLine(contents, key, line) ?? docLine;
    readDocument(merged, { file, docLine, at, detectionLines: lines }, result, seen);
  }
  return result;
}

interface DocContext {
  file: string;
  docLine: number;
  at(key: string): number;
  detectionLines: Record<string, number>;
}

function readDocument(doc: Record<string, unknown>, c: DocContext, result: LoadResult, seen: Map<string, SigmaRule>): void {
  const id = typeof doc.id === 'string' ? doc.id : undefined;
  const title = typeof doc.title === 'string' ? doc.title : undefined;
  const fail = (key: string | undefined, reason: string): void => {
    result.errors.push({ file: c.file, line: key ? c.at(key) : c.docLine, ...(id && { id }), ...(title && { title }), reason });
  };
  const warn = (key: string | undefined, reason: string): void => {
    result.warnings.push({ file: c.file, line: key ? c.at(key) : c.docLine, ...(id && { id }), ...(title && { title }), reason });
  };

  if ('correlation' in doc) {
    const corr = doc.correlation;
    if (!isRecord(corr) || typeof corr.type !== 'string') return fail('correlation', 'correlation must be a mapping with a type');
    const out: SigmaCorrelationDoc = { file: c.file, line: c.docLine, raw: doc };
    if (id) out.id = id;
    if (title) out.title = title;
    if (typeof doc.name === 'string') out.name = doc.name;
    result.correlations.push(out);
    return;
  }
  if ('filter' in doc && !('detection' in doc)) return fail('filter', 'Sigma filter documents are not supported yet');

  if (title === undefined) return fail(doc.title === undefined ? undefined : 'title', doc.title === undefined ? 'no title' : 'title must be a string');
  if (!title.trim()) return fail('title', 'title is empty');
  if (doc.id !== undefined && id === undefined) return fail('id', 'id must be a string');
  if (!isRecord(doc.logsource)) return fail(doc.logsource === undefined ? undefined : 'logsource', doc.logsource === undefined ? 'no logsource' : 'logsource must be a mapping');
  const logsource: SigmaLogsource = {};
  for (const k of ['product', 'service', 'category'] as const) {
    const v = doc.logsource[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return fail('logsource', `logsource.${k} must be a string`);
    logsource[k] = v;
  }
  const detection = doc.detection;
  if (!isRecord(detection)) return fail(doc.detection === undefined ? undefined : 'detection', doc.detection === undefined ? 'no detection' : 'detection must be a mapping');
  const condLine = c.detectionLines.condition ?? c.at('detection');
  const cond = detection.condition;
  if (cond === undefined) return fail('detection', 'detection has no condition');
  const condOk = typeof cond === 'string' ? cond.trim() !== '' : Array.isArray(cond) && cond.length > 0 && cond.every((x) => typeof x === 'string' && x.trim() !== '');
  if (!condOk) {
    result.errors.push({ file: c.file, line: condLine, ...(id && { id }), title, reason: 'condition must be a non-empty string or list of strings' });
    return;
  }
  const names = Object.keys(detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  if (!names.length) return fail('detection', 'detection defines no search identifier');
  for (const n of names) {
    const v = detection[n];
    if (v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && !isRecord(v))) {
      result.errors.push({ file: c.file, line: c.detectionLines[n] ?? c.at('detection'), ...(id && { id }), title, reason: `search identifier '${n}' is empty` });
      return;
    }
  }

  let level: SigmaLevel = 'medium';
  if (doc.level === undefined) warn(undefined, 'no level: medium assumed');
  else if (typeof doc.level === 'string' && (LEVELS as readonly string[]).includes(doc.level)) level = doc.level as SigmaLevel;
  else return fail('level', `level '${String(doc.level)}' is not one of ${LEVELS.join(', ')}`);
  if (doc.status !== undefined && !(typeof doc.status === 'string' && STATUSES.has(doc.status))) warn('status', `unknown status '${String(doc.status)}'`);
  if (id === undefined) warn(undefined, 'no id: the rule is identified by its file and line');
  else if (!UUID_RE.test(id)) warn('id', `id '${id}' is not a UUID`);

  const rule: SigmaRule = {
    id: id ?? `${c.file}:${c.docLine}`,
    title,
    level,
    tags: stringList(doc.tags, 'tags', warn) ?? [],
    logsource,
    file: c.file,
    line: c.docLine,
    raw: doc,
    detectionLines: c.detectionLines,
  };
  if (typeof doc.status === 'string') rule.status = doc.status;
  if (typeof doc.description === 'string') rule.description = doc.description;
  const refs = stringList(doc.references, 'references', warn);
  if (refs) rule.references = refs;
  const fps = stringList(doc.falsepositives, 'falsepositives', warn);
  if (fps) rule.falsepositives = fps;

  const first = seen.get(rule.id);
  if (first) return fail('id', `duplicate id: first defined at line ${first.line}`);
  seen.set(rule.id, rule);
  result.rules.push(rule);
}

function stringList(v: unknown, key: string, warn: (key: string, reason: string) => void): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(String);
  warn(key, `${key} must be a list of strings: ignored`);
  return undefined;
}

/** The node tree as plain values; numbers keep their source text unless written as plain decimals. */
function toPlain(node: unknown, doc: Document): unknown {
  if (isAlias(node)) return toPlain(node.resolve(doc), doc);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items as Pair[]) out[String(toPlain(pair.key, doc))] = toPlain(pair.value, doc);
    return out;
  }
  if (isSeq(node)) return node.items.map((x) => toPlain(x, doc));
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && node.type === 'PLAIN' && node.source !== undefined && !DECIMAL_RE.test(node.source)) return node.source;
    if (typeof v === 'bigint') return node.source ?? String(v);
    if (v instanceof Date) return node.source ?? v.toISOString();
    return v;
  }
  return node ?? null;
}

function keyLine(map: Node, key: string, line: (o: number | undefined) => number): number | undefined {
  if (!isMap(map)) return undefined;
  const pair = (map.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
  const range = (pair?.key as Node | undefined)?.range;
  return range ? line(range[0]) : undefined;
}

function detectionLines(map: Node, line: (o: number | undefined) => number): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isMap(map)) return out;
  const det = (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'detection')?.value;
  if (!isMap(det)) return out;
  for (const p of det.items as Pair[]) {
    const range = (p.key as Node | null)?.range;
    if (isScalar(p.key) && range) out[String(p.key.value)] = line(range[0]);
  }
  return out;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = isRecord(cur) && isRecord(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
