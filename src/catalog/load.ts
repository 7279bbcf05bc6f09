// Loads catalogue files: the built-in ones in catalog/ plus any the config names. Every problem (bad
// YAML, unknown or duplicate ids, selectors that do not parse, fields no parser produces) becomes one
// line of a CatalogError naming the file and the entry, and start-up stops: a catalogue that silently
// misclassifies would report coverage that is not there.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { VigilError } from '../core/errors.js';
import type { Expr } from '../ql/ast.js';
import { FIELD_RE } from '../ql/ast.js';
import { parseQuery } from '../ql/parser.js';
import { parseDuration } from '../ql/time.js';
import { Catalog, type CatalogEntry, type EntryKind, type Framework, type RequiredField } from './catalog.js';
import { catalogFileSchema, type EntryInput } from './schema.js';

/** The catalogue that ships with Vigil (the two guidance pages). */
export const BUILTIN_CATALOG_DIR = fileURLToPath(new URL('../../catalog/', import.meta.url));

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`catalogue error: ${problems.join('; ')}`);
    this.name = 'CatalogError';
  }
}

export interface LoadOptions {
  /**
   * Fields some parser or the pipeline can produce. Required fields and selector fields outside it are
   * errors (a requirement that asks for a field nothing fills can never be met). Omit to skip the check.
   */
  knownFields?: ReadonlySet<string>;
}

/** Catalogue files under each path (a file, or a folder's *.yaml / *.yml), sorted for a stable order. */
export function catalogFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CatalogError([`${p}: no such file or folder`]);
    }
    if (st.isDirectory()) {
      out.push(...readdirSync(p).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

export function loadCatalog(paths: readonly string[] = [BUILTIN_CATALOG_DIR], opts: LoadOptions = {}): Catalog {
  return buildCatalog(
    catalogFiles(paths).map((file) => ({ file, text: readFileSync(file, 'utf8') })),
    opts,
  );
}

/** The catalogue from file contents (tests and `vigil coverage --catalog` use it without a server). */
export function buildCatalog(files: readonly { file: string; text: string }[], opts: LoadOptions = {}): Catalog {
  const problems: string[] = [];
  const frameworks: Framework[] = [];
  const entries: CatalogEntry[] = [];
  const seen = new Map<string, string>();
  const pendingPrinciples: { entry: CatalogEntry; refs: string[] }[] = [];
  const extraFields = new Set<string>();

  for (const { file, text } of files) {
    const doc = parseDocument(text);
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(`${file}: YAML syntax at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
      continue;
    }
    const parsed = catalogFileSchema.safeParse(doc.toJS());
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${file}: ${i.path.join('.') || '(top)'}: ${i.message}`);
      continue;
    }
    const cf = parsed.data;
    frameworks.push({ id: cf.framework.id, title: cf.framework.title, ...(cf.framework.url ? { url: cf.framework.url } : {}), kind: cf.kind, file });
    for (const f of cf.extra_fields) extraFields.add(f);

    const walk = (input: EntryInput, parent: CatalogEntry | undefined, parentRefs: string[]): CatalogEntry => {
      const where = `${file}: ${input.id}`;
      if (seen.has(input.id)) problems.push(`${where}: duplicate id (also in ${seen.get(input.id)})`);
      seen.set(input.id, file);
      const tier = input.tier ?? parent?.tier;
      if (!tier) problems.push(`${where}: no tier (set it here or on its group)`);
      const e: CatalogEntry = {
        id: input.id,
        kind: cf.kind,
        framework: cf.framework.id,
        title: input.title,
        tier: tier ?? 'unknown',
        text: normaliseText(input.text ?? input.title),
        ...(parent ? { parent: parent.id } : {}),
        items: [],
        principles: [],
        technologies: input.technologies ?? parent?.technologies ?? [],
        allEvents: input.all_events ?? false,
        fields: fieldsOf(input, where, problems),
        file,
      };
      if (cf.kind === 'principle' && input.principles?.length) problems.push(`${where}: a principle cannot serve principles`);
      // Items inherit the principle ids as written; they resolve once every file is read.
      const refs = input.principles ?? parentRefs;
      pendingPrinciples.push({ entry: e, refs });
      if (input.selector) {
        const expr = selectorExpr(input.selector, `${where}: selector`, problems);
        if (expr) e.selector = { text: input.selector, expr };
      }
      if (input.derive) {
        const d = input.derive;
        const after = selectorExpr(d.after, `${where}: derive.after`, problems);
        const then = selectorExpr(d.then, `${where}: derive.then`, problems);
        const withinMs = parseDuration(d.within);
        if (withinMs === null) problems.push(`${where}: derive.within "${d.within}" is not a duration like 30m`);
        for (const b of d.by) if (!FIELD_RE.test(b)) problems.push(`${where}: derive.by "${b}" is not a field name`);
        if (after && then && withinMs !== null) e.derive = { after, then, by: d.by, withinMs, source: d };
      }
      entries.push(e);
      if (parent) parent.items.push(e.id);
      for (const item of input.items ?? []) walk(item, e, refs);
      const isLeaf = (input.items ?? []).length === 0;
      const ways = [e.selector, e.derive, e.allEvents || undefined].filter(Boolean).length;
      if (isLeaf && ways === 0) problems.push(`${where}: a leaf needs a selector, a derive rule or all_events: true`);
      if (ways > 1) problems.push(`${where}: give one of selector, derive and all_events`);
      if (!isLeaf && ways > 0) problems.push(`${where}: a group is evidenced through its items; move its selector to an item`);
      return e;
    };
    for (const input of cf.entries) walk(input, undefined, []);
  }

  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const { entry, refs } of pendingPrinciples) {
    const out: string[] = [];
    for (const r of refs) {
      const p = byId.get(r);
      if (!p) problems.push(`${entry.file}: ${entry.id}: unknown principle "${r}"`);
      else if (p.kind !== 'principle') problems.push(`${entry.file}: ${entry.id}: "${r}" is a requirement, not a principle`);
      else out.push(...expandIds(byId, r));
    }
    entry.principles = [...new Set(out)];
  }

  if (opts.knownFields) {
    const known = (f: string) => opts.knownFields!.has(f) || extraFields.has(f);
    for (const e of entries) {
      for (const f of e.fields) {
        const producible = f.paths.filter(known);
        if (producible.length === 0) {
          problems.push(`${e.file}: ${e.id}: field ${f.name}: no parser produces any of ${f.paths.join(', ')} (list it in extra_fields if your sources send it)`);
        }
      }
      const exprs = [e.selector?.expr, e.derive?.after, e.derive?.then].filter((x): x is Expr => !!x);
      for (const x of exprs) {
        for (const name of fieldsIn(x)) {
          if (!known(name)) problems.push(`${e.file}: ${e.id}: selector field ${name} is produced by no parser (list it in extra_fields if your sources send it)`);
        }
      }
    }
  }
  if (problems.length) throw new CatalogError(problems);
  return new Catalog(frameworks, entries);
}

function expandIds(byId: ReadonlyMap<string, CatalogEntry>, id: string): string[] {
  const e = byId.get(id);
  if (!e) return [];
  return e.items.length ? e.items.flatMap((i) => expandIds(byId, i)) : [id];
}

function fieldsOf(input: EntryInput, where: string, problems: string[]): RequiredField[] {
  const out: RequiredField[] = [];
  for (const [name, spec] of Object.entries(input.fields ?? {})) {
    const paths = Array.isArray(spec) ? spec : spec.paths;
    const optional = Array.isArray(spec) ? false : spec.optional;
    for (const p of paths) if (!FIELD_RE.test(p)) problems.push(`${where}: field ${name}: "${p}" is not a field name`);
    out.push({ name, paths, optional });
  }
  return out;
}

function selectorExpr(text: string, where: string, problems: string[]): Expr | undefined {
  try {
    const q = parseQuery(text);
    if (q.pipes.length) {
      problems.push(`${where}: a selector is a filter; pipes (| ...) are not allowed`);
      return undefined;
    }
    return q.filter;
  } catch (err) {
    problems.push(`${where}: ${err instanceof VigilError || err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** Every field name an expression reads. */
export function fieldsIn(e: Expr): string[] {
  switch (e.type) {
    case 'and':
    case 'or':
      return e.items.flatMap(fieldsIn);
    case 'not':
      return fieldsIn(e.expr);
    case 'match':
    case 'exists':
    case 'range':
    case 'cidr':
      return [e.field];
    default:
      return [];
  }
}

function normaliseText(s: string): string {
  return s.replace(/[ \t]+\n/g, '\n').trim();
}

export type { EntryKind };
