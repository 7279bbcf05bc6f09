// Sigma value modifiers (`Field|mod1|mod2: value`): each is a pure step over the rule's values, declaring
// the value kinds it accepts, applied in the order written. Transformations (expand, base64,
// base64offset, utf16*, wide) rewrite values, possibly into several alternatives; the type modifiers (re,
// cidr, gt…, exists, fieldref) decide the matcher; the rest are flags (contains/startswith/endswith,
// all, cased, windash, neq). The result is one detection item: a field and its matchers.
import { parseCidr } from './cidr.js';
import { RuleInvalid, RuleUnsupported } from './errors.js';
import { FIELDS, foldDashes, type FieldRef, type FieldSpec } from './field-values.js';
import type { Matcher, NumberOp } from './matchers.js';
import { anchor, hasWildcard, literalPattern, longestLiteral, mapLiterals, parsePattern, patternRegex, plainText, STAR, type Pattern } from './pattern.js';

/** How a rule's field names become event fields (the logsource mapping decides). */
export interface FieldResolver {
  field(name: string): FieldSpec;
  /** Where keyword (field-less) values are searched. */
  keywords(): FieldSpec;
  placeholders?: Record<string, string[]>;
}

/** One `field|modifiers: values` entry, compiled. */
export interface Item {
  /** The key as written, for messages and explanations. */
  key: string;
  field: FieldRef;
  /** Each rule value's alternatives (base64offset makes three of one value); `all` needs every group. */
  groups: Matcher[][];
  all: boolean;
  /** `neq`: the field must match none of the values. */
  negate: boolean;
}

/** A value on its way through the modifiers. */
type Val =
  | { t: 'str'; raw: string }
  | { t: 'pat'; p: Pattern }
  | { t: 'bin'; s: string }
  | { t: 'num'; n: number; raw: string }
  | { t: 'bool'; b: boolean }
  | { t: 'null' };
type Kind = Val['t'];

type Anchor = 'contains' | 'prefix' | 'suffix';
type TypeModifier = 're' | 'cidr' | 'exists' | 'fieldref' | NumberOp;

interface Plan {
  anchor?: Anchor;
  all: boolean;
  cased: boolean;
  windash: boolean;
  negate: boolean;
  type?: TypeModifier;
  reFlags: string;
  steps: Step[];
}

interface Step {
  name: string;
  accepts: Kind[];
  apply(v: Val, r: FieldResolver): Val[];
}

const TEXT: Kind[] = ['str', 'pat', 'num', 'bool'];

/** Values as Sigma text patterns (numbers and booleans as written). */
function toPattern(v: Val): Pattern {
  switch (v.t) {
    case 'str':
      return parsePattern(v.raw);
    case 'pat':
      return v.p;
    case 'bin':
      return literalPattern(v.s);
    case 'num':
      return literalPattern(v.raw);
    case 'bool':
      return literalPattern(String(v.b));
    case 'null':
      return [];
  }
}

/** The plain text of a value an encoding applies to; wildcards cannot be encoded. */
function plainOf(v: Val, step: string): string {
  if (v.t === 'bin') return v.s;
  const text = plainText(toPattern(v));
  if (text === undefined) throw new RuleUnsupported(`${step} of a value with wildcards`);
  return text;
}

function bytesOf(v: Val, step: string): Buffer {
  return v.t === 'bin' ? Buffer.from(v.s, 'latin1') : Buffer.from(plainOf(v, step), 'utf8');
}

function utf16(v: Val, step: string, order: 'le' | 'be', bom: boolean): Val[] {
  const le = Buffer.from(plainOf(v, step), 'utf16le');
  if (order === 'be') le.swap16();
  const out = bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), le]) : le;
  return [{ t: 'bin', s: out.toString('latin1') }];
}

/** The three base64 forms a value takes at byte offsets 0, 1 and 2 of a longer text, edges trimmed. */
function base64Offsets(b: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), b]).toString('base64');
    const end = ends[(b.length + i) % 3]!;
    out.push(enc.slice(starts[i], end === 0 ? undefined : end));
  }
  return out;
}

const PLACEHOLDER = /(\\\\)|\\%|%([A-Za-z0-9_.-]+)%/g;

function expand(v: Val, r: FieldResolver): Val[] {
  if (v.t !== 'str') return [v];
  const names = [...v.raw.matchAll(PLACEHOLDER)].filter((m) => m[2]).map((m) => m[2]!);
  if (!names.length) return [{ t: 'str', raw: v.raw.replace(/\\%/g, '%') }];
  let outs = [''];
  let last = 0;
  for (const m of v.raw.matchAll(PLACEHOLDER)) {
    const before = v.raw.slice(last, m.index);
    last = m.index + m[0].length;
    if (!m[2]) {
      outs = outs.map((o) => o + before + (m[1] ? m[1] : '%'));
      continue;
    }
    const values = r.placeholders?.[m[2]];
    // Unknown placeholder: the rule cannot run. Known but empty (an allow-list with nothing on it
    // yet): the value expands to nothing, and matches nothing.
    if (values === undefined) throw new RuleUnsupported(`placeholder %${m[2]}% has no value (expand)`);
    outs = outs.flatMap((o) => values.map((x) => o + before + x));
  }
  const tail = v.raw.slice(last);
  return outs.map((o) => ({ t: 'str', raw: o + tail }));
}

const STEPS: Record<string, Omit<Step, 'name'>> = {
  expand: { accepts: ['str'], apply: expand },
  base64: { accepts: [...TEXT, 'bin'], apply: (v) => [{ t: 'pat', p: literalPattern(bytesOf(v, 'base64').toString('base64')) }] },
  base64offset: { accepts: [...TEXT, 'bin'], apply: (v) => base64Offsets(bytesOf(v, 'base64offset')).map((s) => ({ t: 'pat', p: literalPattern(s) })) },
  utf16le: { accepts: TEXT, apply: (v) => utf16(v, 'utf16le', 'le', false) },
  wide: { accepts: TEXT, apply: (v) => utf16(v, 'wide', 'le', false) },
  utf16be: { accepts: TEXT, apply: (v) => utf16(v, 'utf16be', 'be', false) },
  utf16: { accepts: TEXT, apply: (v) => utf16(v, 'utf16', 'le', true) },
};

const TYPES = new Set<string>(['re', 'cidr', 'exists', 'fieldref', 'gt', 'gte', 'lt', 'lte']);
const ANCHORS: Record<string, Anchor> = { contains: 'contains', startswith: 'prefix', endswith: 'suffix' };
const TIME = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

function plan(mods: string[]): Plan {
  const p: Plan = { all: false, cased: false, windash: false, negate: false, reFlags: '', steps: [] };
  for (let i = 0; i < mods.length; i++) {
    const m = mods[i]!;
    if (STEPS[m]) p.steps.push({ name: m, ...STEPS[m]! });
    else if (ANCHORS[m]) {
      if (p.anchor && p.anchor !== ANCHORS[m]) throw new RuleInvalid(`modifiers '${m}' and '${anchorName(p.anchor)}' conflict`);
      p.anchor = ANCHORS[m];
    } else if (m === 'all') p.all = true;
    else if (m === 'cased') p.cased = true;
    else if (m === 'windash') p.windash = true;
    else if (m === 'neq') p.negate = true;
    else if (TYPES.has(m)) {
      if (p.type) throw new RuleInvalid(`modifiers '${m}' and '${p.type}' conflict`);
      p.type = m as TypeModifier;
      // re's own flags follow it: re|i, re|m, re|s.
      if (m === 're') while (['i', 'm', 's'].includes(mods[i + 1] ?? '')) p.reFlags += mods[++i];
    } else if (['i', 'm', 's'].includes(m)) throw new RuleInvalid(`modifier '${m}' only follows 're'`);
    else if (TIME.has(m)) throw new RuleUnsupported(`time modifier '${m}'`);
    else throw new RuleUnsupported(`unknown modifier '${m}'`);
  }
  if (p.anchor && p.type && p.type !== 'fieldref') throw new RuleInvalid(`modifier '${anchorName(p.anchor)}' cannot be combined with '${p.type}'`);
  return p;
}

function anchorName(a: Anchor): string {
  return a === 'prefix' ? 'startswith' : a === 'suffix' ? 'endswith' : 'contains';
}

function toVal(x: unknown, key: string): Val {
  if (x === null || x === undefined) return { t: 'null' };
  if (typeof x === 'string') return { t: 'str', raw: x };
  if (typeof x === 'number') return { t: 'num', n: x, raw: String(x) };
  if (typeof x === 'boolean') return { t: 'bool', b: x };
  throw new RuleInvalid(`'${key}': a value must be a string, number, boolean or null, not ${Array.isArray(x) ? 'a list' : 'a mapping'}`);
}

/**
 * One detection entry. `field` is the Sigma field name ('' for keywords); `mods` the modifiers after it.
 * Keyword entries match anywhere in the raw event, so their plain values behave as `contains`.
 */
export function compileItem(key: string, field: string, mods: string[], value: unknown, r: FieldResolver): Item {
  const p = plan(mods);
  const keyword = field === '';
  if (keyword && !p.anchor && !p.type) p.anchor = 'contains';
  const raw = Array.isArray(value) ? value : [value];
  if (!raw.length) throw new RuleInvalid(`'${key}' has an empty value list`);
  const ref = FIELDS.ref(keyword ? r.keywords() : r.field(field));

  const groups: Matcher[][] = raw.map((x) => {
    let vals: Val[] = [toVal(x, key)];
    for (const step of p.steps) {
      vals = vals.flatMap((v) => {
        if (v.t === 'null') return [v];
        if (!step.accepts.includes(v.t)) throw new RuleInvalid(`'${key}': ${step.name} does not apply to a ${v.t} value`);
        return step.apply(v, r);
      });
    }
    return vals.map((v) => toMatcher(v, p, key, r));
  });
  return { key, field: ref, groups, all: p.all, negate: p.negate };
}

function toMatcher(v: Val, p: Plan, key: string, r: FieldResolver): Matcher {
  if (v.t === 'null' && p.type !== 'exists') return { kind: 'null' };
  switch (p.type) {
    case 're':
      return { kind: 'regex', re: compileRegex(v.t === 'str' ? v.raw : plainOf(v, 're'), p.reFlags) };
    case 'cidr': {
      const text = v.t === 'str' ? v.raw : plainOf(v, 'cidr');
      const range = parseCidr(text);
      if (!range) throw new RuleInvalid(`'${key}': '${text}' is not a CIDR range`);
      return { kind: 'cidr', range, text };
    }
    case 'exists': {
      const b = v.t === 'bool' ? v.b : v.t === 'str' && /^(true|false)$/i.test(v.raw) ? v.raw.toLowerCase() === 'true' : undefined;
      if (b === undefined) throw new RuleInvalid(`'${key}': exists takes true or false`);
      return { kind: 'exists', value: b };
    }
    case 'fieldref': {
      if (v.t !== 'str') throw new RuleInvalid(`'${key}': fieldref takes a field name`);
      return { kind: 'fieldref', other: FIELDS.ref(r.field(v.raw)), op: p.anchor ?? 'eq', cased: p.cased };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = v.t === 'num' ? v.n : v.t === 'str' && /^-?\d+(\.\d+)?$/.test(v.raw.trim()) ? Number(v.raw) : NaN;
      if (Number.isNaN(n)) throw new RuleInvalid(`'${key}': ${p.type} takes a number`);
      return { kind: 'number', op: p.type, value: n };
    }
    case undefined:
      break;
  }
  // Plain values: numbers and booleans compare as such unless a text modifier applies.
  if (!p.anchor && !p.windash && !p.cased && !p.steps.length) {
    if (v.t === 'num') return { kind: 'number', op: 'eq', value: v.n };
    if (v.t === 'bool') return { kind: 'boolean', value: v.b };
  }
  return textMatcher(toPattern(v), p);
}

function textMatcher(pattern: Pattern, p: Plan): Matcher {
  let pat = pattern;
  if (p.anchor === 'contains' || p.anchor === 'suffix') if (pat[0] !== STAR) pat = [STAR, ...pat];
  if (p.anchor === 'contains' || p.anchor === 'prefix') if (pat[pat.length - 1] !== STAR) pat = [...pat, STAR];
  const fold = (s: string): string => {
    const t = p.cased ? s : s.toLowerCase();
    return p.windash ? foldDashes(t) : t;
  };
  pat = mapLiterals(pat, fold);
  const { lead, trail, core } = anchor(pat);
  const base = { cased: p.cased, windash: p.windash };
  if (!hasWildcard(core)) {
    const needle = core.join('');
    if (!needle && (lead || trail)) return { kind: 'string', op: 'any', needle, ...base };
    const op = lead && trail ? 'contains' : lead ? 'suffix' : trail ? 'prefix' : 'eq';
    return { kind: 'string', op, needle, ...base };
  }
  return { kind: 'glob', re: new RegExp(patternRegex(pat)), literal: longestLiteral(pat), ...base };
}

/** PCRE-style leading inline flags ((?i), (?s)…) become JavaScript flags; any other inline group is refused. */
export function compileRegex(source: string, flags: string): RegExp {
  let src = source;
  let f = flags;
  const lead = /^\(\?([imsx]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('x')) throw new RuleUnsupported('regular expression with the x (extended) flag');
    f += lead[1];
    src = src.slice(lead[0].length);
  }
  if (/\(\?[a-zA-Z]*[imsx-][a-zA-Z-]*[):]/.test(src.replace(/\\./g, ''))) throw new RuleUnsupported('regular expression with inline flags after its start');
  if (/\(\?P[<=>]/.test(src)) throw new RuleUnsupported('regular expression with Python named groups (?P<…>)');
  try {
    return new RegExp(src, [...new Set(f)].join(''));
  } catch (e) {
    throw new RuleUnsupported(`regular expression not valid in JavaScript: ${(e as Error).message}`);
  }
}
