// Reads one correlation document (already YAML-parsed by the caller) into a CorrelationRule, reporting
// every problem with the line it is on rather than stopping at the first. References to other rules are
// only checked for shape here; whether they exist is the engine's question (it knows the rule set).
import { isLevel } from '../levels.js';
import { describe, onlyUpperBounds } from './condition.js';
import { parseTimespan } from './timespan.js';
import {
  CONDITION_OPS,
  CORRELATION_TYPES,
  FIELD_TYPES,
  TEMPORAL_TYPES,
  type CorrelationCondition,
  type CorrelationError,
  type CorrelationRule,
  type CorrelationSection,
  type CorrelationType,
} from './types.js';

export interface CorrelationSource {
  /** The parsed YAML document. */
  raw: unknown;
  file: string;
  /** The line the document starts on. */
  line: number;
  /** The line of a key, by dotted path (`correlation.timespan`), when the caller can tell. */
  at?: (path: string) => number | undefined;
}

export interface ParseResult {
  /** Absent when there are errors. */
  rule?: CorrelationRule;
  errors: CorrelationError[];
  warnings: CorrelationError[];
}

const SECTION_KEYS = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate']);

export function parseCorrelation(src: CorrelationSource): ParseResult {
  const errors: CorrelationError[] = [];
  const warnings: CorrelationError[] = [];
  const doc = src.raw;
  const lineOf = (path: string): number => {
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const l = src.at?.(p);
      if (l !== undefined) return l;
    }
    return src.line;
  };
  const id = isRecord(doc) && typeof doc.id === 'string' ? doc.id : undefined;
  const title = isRecord(doc) && typeof doc.title === 'string' ? doc.title : undefined;
  const report = (into: CorrelationError[], path: string, reason: string): void => {
    into.push({ file: src.file, line: path ? lineOf(path) : src.line, ...(id && { id }), ...(title && { title }), reason });
  };
  const fail = (path: string, reason: string): void => report(errors, path, reason);
  const warn = (path: string, reason: string): void => report(warnings, path, reason);

  if (!isRecord(doc)) {
    fail('', 'a correlation rule must be a mapping');
    return { errors, warnings };
  }
  if (title === undefined) fail(doc.title === undefined ? '' : 'title', doc.title === undefined ? 'no title' : 'title must be a string');
  else if (!title.trim()) fail('title', 'title is empty');
  if (doc.id !== undefined && id === undefined) fail('id', 'id must be a string');
  const name = doc.name;
  if (name !== undefined && (typeof name !== 'string' || !name.trim())) fail('name', 'name must be a non-empty string');
  let level = 'medium';
  if (doc.level !== undefined) {
    if (typeof doc.level === 'string' && isLevel(doc.level)) level = doc.level;
    else fail('level', `level '${String(doc.level)}' is not one of informational, low, medium, high, critical`);
  }
  const tags = stringList(doc.tags);
  if (doc.tags !== undefined && tags === undefined) fail('tags', 'tags must be a list of strings');

  const corr = doc.correlation;
  if (!isRecord(corr)) {
    fail(corr === undefined ? '' : 'correlation', corr === undefined ? 'no correlation section' : 'correlation must be a mapping');
    return { errors, warnings };
  }
  for (const k of Object.keys(corr)) if (!SECTION_KEYS.has(k)) warn(`correlation.${k}`, `unknown key correlation.${k} ignored`);

  // type
  let type: CorrelationType | undefined;
  if (corr.type === undefined) fail('correlation', 'no correlation.type');
  else if (typeof corr.type === 'string' && (CORRELATION_TYPES as readonly string[]).includes(corr.type)) type = corr.type as CorrelationType;
  else fail('correlation.type', `unknown correlation type '${String(corr.type)}' (one of ${CORRELATION_TYPES.join(', ')})`);

  // rules
  const rules = typeof corr.rules === 'string' ? [corr.rules] : stringList(corr.rules);
  if (corr.rules === undefined) fail('correlation', 'no correlation.rules');
  else if (rules === undefined) fail('correlation.rules', 'correlation.rules must be a list of rule ids or names');
  else if (rules.length === 0) fail('correlation.rules', 'correlation.rules is empty');
  else {
    const dup = duplicate(rules);
    if (dup !== undefined) fail('correlation.rules', `rule '${dup}' is listed twice in correlation.rules`);
    if (rules.some((r) => !r.trim())) fail('correlation.rules', 'correlation.rules has an empty reference');
  }

  // group-by
  const groupBy = typeof corr['group-by'] === 'string' ? [corr['group-by']] : stringList(corr['group-by']);
  if (corr['group-by'] !== undefined) {
    if (groupBy === undefined) fail('correlation.group-by', 'correlation.group-by must be a list of field names');
    else {
      const dup = duplicate(groupBy);
      if (dup !== undefined) fail('correlation.group-by', `field '${dup}' is listed twice in correlation.group-by`);
    }
  }

  // timespan
  let timespanMs = 0;
  if (corr.timespan === undefined) fail('correlation', 'no correlation.timespan');
  else {
    const t = parseTimespan(corr.timespan);
    if (typeof t === 'number') timespanMs = t;
    else fail('correlation.timespan', t.reason);
  }

  // condition
  const condition = type ? readCondition(corr.condition, type, rules?.length ?? 0, fail, warn) : undefined;

  // aliases
  let aliases: Record<string, Record<string, string>> | undefined;
  if (corr.aliases !== undefined) {
    if (!isRecord(corr.aliases)) fail('correlation.aliases', 'correlation.aliases must be a mapping of alias -> (rule -> field)');
    else {
      aliases = {};
      for (const [alias, mapping] of Object.entries(corr.aliases)) {
        if (!isRecord(mapping) || Object.keys(mapping).length === 0 || !Object.values(mapping).every((f) => typeof f === 'string' && f.trim())) {
          fail('correlation.aliases', `alias '${alias}' must map rule names to field names`);
          continue;
        }
        aliases[alias] = mapping as Record<string, string>;
      }
      const used = new Set([...(groupBy ?? []), ...(condition?.field !== undefined ? [condition.field] : [])]);
      for (const alias of Object.keys(aliases)) if (!used.has(alias)) warn('correlation.aliases', `alias '${alias}' is not used in group-by or condition.field`);
    }
  }

  // generate
  if (corr.generate !== undefined && typeof corr.generate !== 'boolean') fail('correlation.generate', 'correlation.generate must be true or false');

  if (errors.length > 0 || !type || !rules || !condition) return { errors, warnings };

  const key = id ?? (typeof name === 'string' ? name : undefined);
  if (key === undefined) warn('', `no id or name: it is known as ${src.file}:${src.line}`);
  const section: CorrelationSection = { type, rules, timespan: String(corr.timespan), condition };
  if (groupBy) section['group-by'] = groupBy;
  if (aliases) section.aliases = aliases;
  if (typeof corr.generate === 'boolean') section.generate = corr.generate;
  const rule: CorrelationRule = {
    id: key ?? `${src.file}:${src.line}`,
    title: title!,
    level,
    tags: tags ?? [],
    correlation: section,
    timespanMs,
    file: src.file,
    line: src.line,
  };
  if (typeof name === 'string') rule.name = name;
  return { rule, errors, warnings };
}

/** Parses many documents; ids must be unique among them. */
export function parseCorrelations(srcs: readonly CorrelationSource[]): { rules: CorrelationRule[]; errors: CorrelationError[]; warnings: CorrelationError[] } {
  const out = { rules: [] as CorrelationRule[], errors: [] as CorrelationError[], warnings: [] as CorrelationError[] };
  const seen = new Map<string, CorrelationRule>();
  for (const src of srcs) {
    const r = parseCorrelation(src);
    out.errors.push(...r.errors);
    out.warnings.push(...r.warnings);
    if (!r.rule) continue;
    const prev = seen.get(r.rule.id);
    if (prev) {
      out.errors.push({ file: src.file, line: src.line, id: r.rule.id, title: r.rule.title, reason: `id '${r.rule.id}' is already used by ${prev.file}:${prev.line}` });
      continue;
    }
    seen.set(r.rule.id, r.rule);
    out.rules.push(r.rule);
  }
  return out;
}

type Report = (path: string, reason: string) => void;

function readCondition(raw: unknown, type: CorrelationType, ruleCount: number, fail: Report, warn: Report): CorrelationCondition | undefined {
  const temporal = TEMPORAL_TYPES.has(type);
  if (raw === undefined) {
    if (temporal) return { gte: ruleCount };
    fail('correlation', `no correlation.condition (${type} needs one)`);
    return undefined;
  }
  if (typeof raw === 'string') {
    fail('correlation.condition', 'extended (expression) correlation conditions are not supported; write a mapping such as {gte: 2}');
    return undefined;
  }
  if (!isRecord(raw)) {
    fail('correlation.condition', 'correlation.condition must be a mapping such as {gte: 100}');
    return undefined;
  }
  const cond: CorrelationCondition = {};
  let ok = true;
  const counts = type === 'event_count' || type === 'value_count' || temporal;
  for (const [k, v] of Object.entries(raw)) {
    if ((CONDITION_OPS as readonly string[]).includes(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail('correlation.condition', `condition ${k} must be a number (got ${JSON.stringify(v)})`);
        ok = false;
      } else if (counts && (!Number.isInteger(v) || v < 0)) {
        fail('correlation.condition', `condition ${k} counts ${temporal ? 'rules' : 'events'}: it must be a whole number ≥ 0 (got ${v})`);
        ok = false;
      } else cond[k as (typeof CONDITION_OPS)[number]] = v;
    } else if (k !== 'field' && k !== 'percentile') {
      fail('correlation.condition', `unknown condition key '${k}' (gt, gte, lt, lte, eq, field, percentile)`);
      ok = false;
    }
  }
  if (!CONDITION_OPS.some((op) => op in raw)) {
    fail('correlation.condition', 'correlation.condition has no bound (gt, gte, lt, lte or eq)');
    ok = false;
  }

  const field = raw.field;
  if (FIELD_TYPES.has(type)) {
    if (field === undefined) {
      fail('correlation.condition', `${type} needs condition.field`);
      ok = false;
    } else if (Array.isArray(field)) {
      fail('correlation.condition', 'a list of fields in condition.field is not supported; name one field');
      ok = false;
    } else if (typeof field !== 'string' || !field.trim()) {
      fail('correlation.condition', 'condition.field must be a field name');
      ok = false;
    } else cond.field = field;
  } else if (field !== undefined) warn('correlation.condition', `condition.field is ignored by ${type}`);

  const pct = raw.percentile;
  if (type === 'value_percentile') {
    if (pct === undefined) {
      fail('correlation.condition', 'value_percentile needs condition.percentile (0-100)');
      ok = false;
    } else if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
      fail('correlation.condition', `condition.percentile must be a number from 0 to 100 (got ${JSON.stringify(pct)})`);
      ok = false;
    } else cond.percentile = pct;
  } else if (pct !== undefined) warn('correlation.condition', `condition.percentile is ignored by ${type}`);

  if (!ok) return undefined;
  if (temporal) {
    const lower = Math.max(cond.gt !== undefined ? cond.gt + 1 : 0, cond.gte ?? 0, cond.eq ?? 0);
    if (lower > ruleCount) {
      fail('correlation.condition', `condition ${describe(cond)} can never hold: ${type} counts at most ${ruleCount} distinct rules`);
      return undefined;
    }
  }
  if (onlyUpperBounds(cond)) warn('correlation.condition', `condition ${describe(cond)} has only an upper bound: it holds from a group's first event, so it fires then`);
  return cond;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function duplicate(xs: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const x of xs) {
    if (seen.has(x)) return x;
    seen.add(x);
  }
  return undefined;
}
