// Tokeniser for the query language. It runs once over the whole text (the parser needs two tokens of
// look-ahead to tell `field:` and `field >` from bare terms). After the first `|` the text is pipes, where
// `,` separates arguments; before it a comma is an ordinary character of a term.
import { VigilError } from '../core/errors.js';

export type TokenKind = 'word' | 'string' | 'lparen' | 'rparen' | 'colon' | 'pipe' | 'op' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** 0-based offset of the first character, and one past the last. */
  start: number;
  end: number;
  /** word: the text with escapes resolved; string: the contents; op: the operator; others: the character. */
  text: string;
  /** word only: the text with `*` as wildcard and literal `*` / `\` escaped (see ast.ts). */
  pattern: string;
  /** word only: contains an unescaped `*`. */
  wildcard: boolean;
  /** word only: contained a backslash escape, so it is never a keyword. */
  escaped: boolean;
  /** Whitespace (or the start of input) comes right before this token. */
  spaceBefore: boolean;
}

/** Characters that end an unquoted word. `,` is added after the first pipe. */
const SPECIAL = new Set([' ', '\t', '\n', '\r', '\f', '\v', '(', ')', '"', ':', '|', '<', '>']);

export function syntaxError(position: number, expected: string, found?: string): VigilError {
  const tail = found === undefined ? '' : ` (found ${found})`;
  return new VigilError('query_syntax', `expected ${expected} at position ${position}${tail}`, { position, expected });
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let inPipes = false;
  const tok = (kind: TokenKind, start: number, end: number, text: string, spaceBefore: boolean): Token => ({
    kind,
    start,
    end,
    text,
    pattern: text,
    wildcard: false,
    escaped: false,
    spaceBefore,
  });
  for (;;) {
    const before = i;
    while (i < src.length && isSpace(src[i]!)) i++;
    const spaceBefore = i > before || i === 0;
    if (i >= src.length) {
      out.push(tok('eof', src.length, src.length, '', spaceBefore));
      return out;
    }
    const c = src[i]!;
    const start = i;
    if (c === '(' || c === ')' || c === ':') {
      out.push(tok(c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'colon', start, ++i, c, spaceBefore));
    } else if (c === '|') {
      inPipes = true;
      out.push(tok('pipe', start, ++i, c, spaceBefore));
    } else if (c === ',' && inPipes) {
      out.push(tok('comma', start, ++i, c, spaceBefore));
    } else if (c === '<' || c === '>') {
      i++;
      if (src[i] === '=') i++;
      out.push(tok('op', start, i, src.slice(start, i), spaceBefore));
    } else if (c === '"') {
      i++;
      let text = '';
      for (;;) {
        if (i >= src.length) throw syntaxError(start, 'a closing \'"\' for the quote', 'end of query');
        const d = src[i]!;
        if (d === '"') break;
        if (d === '\\') {
          if (i + 1 >= src.length) throw syntaxError(i, "a character after '\\'", 'end of query');
          text += src[i + 1];
          i += 2;
        } else {
          text += d;
          i++;
        }
      }
      i++;
      out.push(tok('string', start, i, text, spaceBefore));
    } else {
      let text = '';
      let pattern = '';
      let wildcard = false;
      let escaped = false;
      while (i < src.length) {
        const d = src[i]!;
        if (SPECIAL.has(d) || (inPipes && d === ',')) break;
        if (d === '\\') {
          if (i + 1 >= src.length) throw syntaxError(i, "a character after '\\'", 'end of query');
          const e = src[i + 1]!;
          text += e;
          pattern += e === '*' || e === '\\' ? '\\' + e : e;
          escaped = true;
          i += 2;
        } else {
          if (d === '*') wildcard = true;
          text += d;
          pattern += d;
          i++;
        }
      }
      out.push({ kind: 'word', start, end: i, text, pattern, wildcard, escaped, spaceBefore });
    }
  }
}

/** How a token is named in error messages. */
export function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'end of query';
  if (t.kind === 'string') return 'a quoted string';
  return `'${t.text.length > 30 ? t.text.slice(0, 30) + '…' : t.text}'`;
}
