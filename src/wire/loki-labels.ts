// A Loki stream's label set as text: the Prometheus label-selector form `{job="varlogs", host="b1"}`
// that Promtail, Alloy and the Loki docker driver put in every protobuf PushRequest (StreamAdapter.labels).
// Values are Go string literals (what Prometheus' labels.String() writes with strconv.Quote), so every Go
// escape is read: \a \b \f \n \r \t \v \\ \" \' \xHH \ooo \uHHHH \UHHHHHHHH; a `raw` backquoted value too.
// Names are [A-Za-z_][A-Za-z0-9_]*, or quoted as Prometheus 3 writes names outside that set
// ({"service.name"="x"}). Only `=` pairs: this is a label set, not a query.
//
// A label with an empty value is no label (Prometheus' rule), so it is dropped. A name given twice is
// refused, as Loki refuses it. Errors name the character where reading stopped.
import { VigilError } from '../core/errors.js';

export type LabelSet = Record<string, string>;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const LEGACY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A label set with no prototype, so that a label called `__proto__` is an ordinary key. */
export function labelSet(): LabelSet {
  return Object.create(null) as LabelSet;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string, at = this.pos): never {
    const shown = this.text.length > 200 ? `${this.text.slice(0, 200)}…` : this.text;
    throw new VigilError('bad_request', `invalid stream labels ${JSON.stringify(shown)}: ${what} at character ${at + 1}`, { labels: shown, position: at + 1 });
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  expect(ch: string, what: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected ${what}, found ${this.describe()}`);
    this.pos++;
  }

  describe(): string {
    const ch = this.text[this.pos];
    return ch === undefined ? 'the end' : JSON.stringify(ch);
  }
}

/** Parses `{name="value", ...}`; throws bad_request naming the problem and where it is. */
export function parseLabels(text: string): LabelSet {
  const c = new Cursor(text);
  const out = labelSet();
  const seen = new Set<string>();
  c.skipSpace();
  c.expect('{', '"{"');
  c.skipSpace();
  while (c.peek() !== '}') {
    const at = c.pos;
    const name = readName(c);
    if (seen.has(name)) c.fail(`label ${JSON.stringify(name)} is given twice`, at);
    seen.add(name);
    c.skipSpace();
    if (c.peek() === '!' || (c.peek() === '=' && c.text[c.pos + 1] === '~')) c.fail('only name="value" pairs are allowed in stream labels, not matchers');
    c.expect('=', `"=" after label ${JSON.stringify(name)}`);
    c.skipSpace();
    const value = readQuoted(c, `a quoted value for label ${JSON.stringify(name)}`);
    if (value !== '') out[name] = value;
    c.skipSpace();
    if (c.peek() === ',') {
      c.pos++;
      c.skipSpace();
    } else if (c.peek() !== '}') {
      c.fail(`expected "," or "}" after the value of ${JSON.stringify(name)}, found ${c.describe()}`);
    }
  }
  c.pos++;
  c.skipSpace();
  if (c.pos < text.length) c.fail(`unexpected ${c.describe()} after "}"`);
  return out;
}

function readName(c: Cursor): string {
  const ch = c.peek();
  if (ch === '"' || ch === '`') {
    const at = c.pos;
    const name = readQuoted(c, 'a label name');
    if (name === '') c.fail('a label name is empty', at);
    return name;
  }
  if (ch === undefined || !NAME_START.test(ch)) c.fail(`expected a label name, found ${c.describe()}`);
  const start = c.pos;
  while (c.pos < c.text.length && NAME_CHAR.test(c.text[c.pos]!)) c.pos++;
  return c.text.slice(start, c.pos);
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };

/** A Go string literal: "interpreted" (escapes; \x and octal are bytes, so the result is UTF-8 decoded) or `raw`. */
function readQuoted(c: Cursor, what: string): string {
  const quote = c.peek();
  if (quote === '`') {
    const end = c.text.indexOf('`', c.pos + 1);
    if (end === -1) c.fail('a `raw` string is not closed');
    const s = c.text.slice(c.pos + 1, end);
    c.pos = end + 1;
    return s;
  }
  if (quote !== '"') c.fail(`expected ${what}, found ${c.describe()}`);
  const start = c.pos;
  c.pos++;
  const bytes: number[] = [];
  const pushText = (s: string) => {
    for (const b of Buffer.from(s, 'utf8')) bytes.push(b);
  };
  for (;;) {
    const ch = c.text[c.pos];
    if (ch === undefined) c.fail('a quoted string is not closed', start);
    if (ch === '"') break;
    if (ch === '\n') c.fail('a quoted string holds a raw newline (write \\n)');
    if (ch !== '\\') {
      // A whole code point, so surrogate pairs stay together.
      const cp = c.text.codePointAt(c.pos)!;
      pushText(String.fromCodePoint(cp));
      c.pos += cp > 0xffff ? 2 : 1;
      continue;
    }
    const escAt = c.pos;
    const e = c.text[c.pos + 1];
    c.pos += 2;
    if (e !== undefined && e in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[e]!);
    else if (e === 'x') bytes.push(readDigits(c, 2, 16, escAt));
    else if (e !== undefined && e >= '0' && e <= '7') {
      c.pos--;
      const v = readDigits(c, 3, 8, escAt);
      if (v > 255) c.fail('an octal escape is over \\377', escAt);
      bytes.push(v);
    } else if (e === 'u' || e === 'U') {
      const cp = readDigits(c, e === 'u' ? 4 : 8, 16, escAt);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) c.fail(`\\${e} escape is not a Unicode code point`, escAt);
      pushText(String.fromCodePoint(cp));
    } else c.fail(`unknown escape \\${e ?? ''}`, escAt);
  }
  c.pos++;
  return Buffer.from(bytes).toString('utf8');
}

function readDigits(c: Cursor, n: number, radix: 8 | 16, escAt: number): number {
  const digits = c.text.slice(c.pos, c.pos + n);
  const ok = radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
  if (digits.length !== n || !ok.test(digits)) c.fail(`an escape needs ${n} ${radix === 16 ? 'hex' : 'octal'} digits`, escAt);
  c.pos += n;
  return parseInt(digits, radix);
}

/** Go's strconv.Quote for the characters a label can hold: control characters escaped, the rest as is. */
export function quoteLabelValue(v: string): string {
  let out = '"';
  for (const ch of v) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp === 10) out += '\\n';
    else if (cp === 9) out += '\\t';
    else if (cp === 13) out += '\\r';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // a lone surrogate has no UTF-8 form
    else out += ch;
  }
  return `${out}"`;
}

/** `{a="x", b="y"}`, names sorted, as Prometheus and Loki print a label set; parseLabels reads it back. */
export function formatLabels(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${LEGACY_NAME.test(n) ? n : quoteLabelValue(n)}=${quoteLabelValue(labels[n]!)}`).join(', ')}}`;
}
