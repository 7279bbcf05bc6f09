// The logsource and field mapping: which events a rule's logsource selects, and which event field each
// Sigma field name reads. The table itself is data (ecs-mapping.yaml, documented there); this file
// reads it and answers one question per rule: its extra conditions and its field resolver, or why the
// rule cannot run on Vigil's events.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { RuleInvalid, RuleUnsupported } from './errors.js';
import type { FieldSpec } from './field-values.js';
import type { FieldResolver } from './modifiers.js';
import { compileSelection } from './selection.js';
import type { SigmaLogsource } from './types.js';

/**
 * The data file. Resolved through src/ so the same path works from src/ (tsx) and dist/ (the build does
 * not copy YAML).
 */
export const DEFAULT_MAPPING_FILE = fileURLToPath(new URL('../../../src/detect/sigma/ecs-mapping.yaml', import.meta.url));

export interface SourceEntry {
  logsource: SigmaLogsource;
  /** Sigma detection values over ECS names (a mapping is AND, a list of mappings OR), ANDed to the rule. */
  condition?: unknown;
  fields: Record<string, FieldSpec>;
  /** Where a field no entry names is read ({field} is its Sigma name): Windows' open-ended event data. */
  unmapped?: string;
  /** Field name (or prefix ending in '.') -> why Vigil's events lack it. */
  unavailable: Record<string, string>;
  unsupported?: string;
}

export interface FieldMapping {
  sources: SourceEntry[];
  /** Index fields, best first. */
  index: string[];
  keywords: FieldSpec;
  /** First segments of ECS / Vigil field names: a dotted Sigma field starting with one is used as it is. */
  ecsRoots: ReadonlySet<string>;
  /** False: every rule applies to every event and fields are read as written (tests, engine coverage). */
  strict: boolean;
}

export interface ResolvedLogsource {
  /** Detection values (ECS names) that all must match. */
  conditions: unknown[];
  resolver: FieldResolver;
}

const pathList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const fieldValue = z.union([pathList, z.object({ any: z.array(z.string().min(1)).min(1) }).strict()]);
const logsourceSchema = z
  .object({ product: z.string().optional(), service: z.string().optional(), category: z.string().optional() })
  .strict();
const fileSchema = z
  .object({
    index: z.array(z.string()).default([]),
    keywords: pathList.default(['event.original', 'message']),
    ecs_roots: z.array(z.string().min(1)).default([]),
    sources: z.array(
      z
        .object({
          logsource: logsourceSchema,
          condition: z.unknown().optional(),
          fields: z.record(z.string(), fieldValue).default({}),
          prefix: z.string().min(1).optional(),
          prefixed: z.array(z.string().min(1)).default([]),
          unmapped: z.string().includes('{field}').optional(),
          unavailable: z.record(z.string(), z.string()).default({}),
          unsupported: z.string().optional(),
        })
        .strict()
        .refine((s) => !s.prefixed.length || s.prefix, { message: '`prefixed` needs a `prefix`', path: ['prefix'] }),
    ),
  })
  .strict();

function spec(v: z.infer<typeof fieldValue>): FieldSpec {
  if (typeof v === 'string') return { paths: [v], mode: 'first' };
  if (Array.isArray(v)) return { paths: v, mode: 'first' };
  return { paths: v.any, mode: 'all' };
}

export class MappingError extends Error {
  constructor(readonly problems: string[]) {
    super(`Sigma field mapping: ${problems.join('; ')}`);
    this.name = 'MappingError';
  }
}

/** A mapping file; every problem is reported with its location. */
export function loadFieldMapping(file = DEFAULT_MAPPING_FILE): FieldMapping {
  return parseFieldMapping(readFileSync(file, 'utf8'), file);
}

export function parseFieldMapping(text: string, file = '(mapping)'): FieldMapping {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new MappingError([`${file}: ${(e as Error).message.split('\n')[0]}`]);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw new MappingError(parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(top)'}: ${i.message}`));
  const f = parsed.data;
  // Conditions are Sigma detection values: one that does not compile is the mapping's fault, not a rule's.
  const problems: string[] = [];
  const ecs: FieldResolver = { field: (name) => ({ paths: [name], mode: 'first' }), keywords: () => ({ paths: [], mode: 'all' }) };
  f.sources.forEach((s, i) => {
    if (s.condition === undefined) return;
    try {
      compileSelection('condition', s.condition, ecs);
    } catch (e) {
      problems.push(`${file}: sources.${i}.condition: ${e instanceof RuleInvalid || e instanceof RuleUnsupported ? e.reason : String(e)}`);
    }
  });
  if (problems.length) throw new MappingError(problems);
  return {
    index: f.index,
    keywords: { paths: typeof f.keywords === 'string' ? [f.keywords] : f.keywords, mode: 'all' },
    sources: f.sources.map((s) => {
      const out: SourceEntry = {
        logsource: s.logsource,
        fields: {
          ...Object.fromEntries(s.prefixed.map((k) => [k, spec(`${s.prefix}.${k}`)])),
          ...Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, spec(v)])),
        },
        unavailable: s.unavailable,
      };
      if (s.condition !== undefined) out.condition = s.condition;
      if (s.unmapped !== undefined) out.unmapped = s.unmapped;
      if (s.unsupported !== undefined) out.unsupported = s.unsupported;
      return out;
    }),
    ecsRoots: new Set(f.ecs_roots),
    strict: true,
  };
}

let defaultMapping: FieldMapping | undefined;
export function defaultFieldMapping(): FieldMapping {
  return (defaultMapping ??= loadFieldMapping());
}

/** Every rule on every event, fields as written: for tests, and to measure the engine apart from the mapping. */
export function passthroughMapping(): FieldMapping {
  return { sources: [], index: [], keywords: { paths: ['event.original', 'message'], mode: 'all' }, ecsRoots: new Set(), strict: false };
}

const KEYS = ['product', 'service', 'category'] as const;

export function describeLogsource(ls: SigmaLogsource): string {
  return KEYS.filter((k) => ls[k] !== undefined)
    .map((k) => `${k}: ${ls[k]}`)
    .join(', ');
}

/** A rule's conditions and field resolver under the mapping, or RuleUnsupported saying why not. */
export function resolveLogsource(m: FieldMapping, ls: SigmaLogsource): ResolvedLogsource {
  if (!m.strict) {
    return { conditions: [], resolver: { field: (name) => ({ paths: [name], mode: 'first' }), keywords: () => m.keywords } };
  }
  const named = KEYS.filter((k) => ls[k] !== undefined);
  if (!named.length) throw new RuleUnsupported('no events of that logsource (it names no product, service or category)');
  const low = (s: string | undefined): string | undefined => s?.toLowerCase();
  const applied = m.sources
    .filter((s) => KEYS.every((k) => s.logsource[k] === undefined || low(s.logsource[k]) === low(ls[k])))
    .filter((s) => KEYS.some((k) => s.logsource[k] !== undefined))
    // Most specific first: its field names win.
    .sort((a, b) => KEYS.filter((k) => b.logsource[k]).length - KEYS.filter((k) => a.logsource[k]).length);
  const refused = applied.find((s) => s.unsupported);
  if (refused) throw new RuleUnsupported(refused.unsupported!);
  const uncovered = named.filter((k) => !applied.some((s) => s.logsource[k] !== undefined));
  if (uncovered.length) {
    const what: SigmaLogsource = {};
    for (const k of uncovered) what[k] = ls[k];
    throw new RuleUnsupported(`no events of that logsource (${describeLogsource(what)})`);
  }
  const where = describeLogsource(ls);
  const field = (name: string): FieldSpec => {
    for (const s of applied) if (Object.hasOwn(s.fields, name)) return s.fields[name]!;
    for (const s of applied) {
      for (const [prefix, reason] of Object.entries(s.unavailable)) {
        if (name === prefix || (prefix.endsWith('.') && name.startsWith(prefix))) throw new RuleUnsupported(`field '${name}': ${reason}`);
      }
    }
    if (name.includes('.') && m.ecsRoots.has(name.split('.')[0]!)) return { paths: [name], mode: 'first' };
    const template = applied.find((s) => s.unmapped);
    if (template) return { paths: [template.unmapped!.replace('{field}', name)], mode: 'first' };
    throw new RuleUnsupported(`field '${name}' has no mapping for ${where}`);
  };
  return {
    conditions: applied.filter((s) => s.condition !== undefined).map((s) => s.condition),
    resolver: { field, keywords: () => m.keywords },
  };
}
