// A Sigma string value: literal text with `*` (any run) and `?` (one character) wildcards. Backslash
// escapes follow the specification (and pySigma): `\*`, `\?` and `\\` are the literal character, a
// backslash before anything else is itself. So `C:\Windows\*` is the folder's contents and
// `\\\\server` is two backslashes.

export const STAR = 0;
export const ONE = 1;
export type Wild = typeof STAR | typeof ONE;
export type Token = string | Wild;

/** Tokens with adjacent literals joined. */
export type Pattern = Token[];

export function parsePattern(s: string): Pattern {
  const out: Pattern = [];
  let lit = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(c === '*' ? STAR : ONE);
    } else lit += c;
  }
  if (lit) out.push(lit);
  return out;
}

/** A pattern made of one literal (no wildcards). */
export function literalPattern(s: string): Pattern {
  return s ? [s] : [];
}

export function hasWildcard(p: Pattern): boolean {
  return p.some((t) => typeof t !== 'string');
}

/** The literal text, when the pattern has no wildcards. */
export function plainText(p: Pattern): string | undefined {
  return hasWildcard(p) ? undefined : p.join('');
}

export function mapLiterals(p: Pattern, f: (s: string) => string): Pattern {
  return p.map((t) => (typeof t === 'string' ? f(t) : t));
}

/** How a pattern is anchored once its leading and trailing `*` are taken off. */
export interface Anchored {
  lead: boolean;
  trail: boolean;
  core: Pattern;
}

export function anchor(p: Pattern): Anchored {
  let a = 0;
  let b = p.length;
  while (a < b && p[a] === STAR) a++;
  while (b > a && p[b - 1] === STAR) b--;
  return { lead: a > 0, trail: b < p.length, core: p.slice(a, b) };
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** An anchored regular expression source for a pattern; `*` and `?` cross newlines. */
export function patternRegex(p: Pattern): string {
  let src = '^';
  for (const t of p) src += t === STAR ? '[\\s\\S]*' : t === ONE ? '[\\s\\S]' : t.replace(REGEX_SPECIAL, '\\$&');
  return src + '$';
}

/** The longest literal run of a pattern: any match must contain it. */
export function longestLiteral(p: Pattern): string {
  let best = '';
  for (const t of p) if (typeof t === 'string' && t.length > best.length) best = t;
  return best;
}
