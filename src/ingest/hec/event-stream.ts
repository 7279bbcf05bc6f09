// The body of POST /services/collector/event: JSON objects one after another, with or without whitespace
// between them ("{...}{...}" and "{...}\n{...}" alike), not an array. A scanner finds where each
// top-level object ends (tracking strings and escapes, so braces inside strings do not count) and
// JSON.parse reads it; what is not a whole object is the batch's "Invalid data format", numbered from 0
// as Splunk numbers it in "invalid-event-number".
import { HecError } from './replies.js';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BOM = 0xfeff;

function skipSpace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) return i;
    i++;
  }
}

/**
 * The index just past the value that opens with `{` at `start`, or -1 when the text ends first.
 * Brackets are only counted, not matched: JSON.parse rejects "{]" afterwards.
 */
export function objectEnd(s: string, start: number): number {
  let depth = 0;
  const n = s.length;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      // Inside a string only an unescaped quote matters.
      for (i++; i < n; i++) {
        const d = s.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (i >= n) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Every object in the body, in order; throws code 6 with the number of the first one that is not. */
export function parseEventStream(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) return out;
    const number = out.length;
    const bad = () => new HecError('invalid_data_format', { invalidEvent: number });
    if (text.charCodeAt(i) !== OPEN_BRACE) throw bad();
    const end = objectEnd(text, i);
    if (end === -1) throw bad();
    let value: unknown;
    try {
      value = JSON.parse(text.slice(i, end));
    } catch {
      throw bad();
    }
    out.push(value as Record<string, unknown>);
    i = end;
  }
}
