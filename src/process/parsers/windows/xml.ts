// A small XML reader for one Windows event record (<Event>…</Event> on one line). Hand-written over
// indexOf and char codes: no regexes, linear in the input, bounded depth and node count, no DTDs and so
// no entity expansion beyond the five predefined entities and numeric character references.

export interface XmlElement {
  /** Local name: a namespace prefix ("ns:Event") is dropped. */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (CDATA included), entities decoded. */
  text: string;
}

export interface XmlDocument {
  root: XmlElement;
  /** False when the input ended before the root element closed (a truncated record). */
  complete: boolean;
}

const MAX_DEPTH = 32;
const MAX_NODES = 20_000;

/** Parses the first element of `s`; null when it is not well-formed enough to read. */
export function parseXml(s: string): XmlDocument | null {
  const n = s.length;
  let i = 0;
  let nodes = 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];

  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      // Text after the last tag: inside an open element it is content; after the root it is ignored.
      if (stack.length) appendText(stack[stack.length - 1]!, s, i, n);
      break;
    }
    if (lt > i && stack.length) appendText(stack[stack.length - 1]!, s, i, lt);
    const c = s.charCodeAt(lt + 1);
    if (c === 0x3f /* ? */) {
      const end = s.indexOf('?>', lt + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (c === 0x21 /* ! */) {
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        if (end < 0) return finish();
        i = end + 3;
      } else if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        const stop = end < 0 ? n : end;
        if (stack.length) stack[stack.length - 1]!.text += s.slice(lt + 9, stop);
        if (end < 0) return finish();
        i = end + 3;
      } else return null; // <!DOCTYPE …>: never read, so no entity tricks
    } else if (c === 0x2f /* / */) {
      const end = s.indexOf('>', lt + 2);
      if (end < 0) return finish();
      const name = localName(s.slice(lt + 2, end).trim());
      const top = stack.pop();
      if (!top || top.name !== name) return null;
      i = end + 1;
      if (stack.length === 0) return { root: root!, complete: true };
    } else {
      const tag = readTag(s, lt + 1);
      if (!tag) return finish();
      if (++nodes > MAX_NODES || stack.length >= MAX_DEPTH) return null;
      const el: XmlElement = { name: tag.name, attrs: tag.attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) return { root, complete: true }; // a second top-level element: stop at the first
      else root = el;
      if (!tag.selfClosing) stack.push(el);
      else if (stack.length === 0) return { root: el, complete: true };
      i = tag.next;
    }
  }
  return finish();

  function finish(): XmlDocument | null {
    return root ? { root, complete: false } : null;
  }
}

function appendText(el: XmlElement, s: string, from: number, to: number): void {
  el.text += decodeEntities(s.slice(from, to));
}

function localName(q: string): string {
  const colon = q.indexOf(':');
  return colon < 0 ? q : q.slice(colon + 1);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === 0x2f || c === 0x3e || c === 0x3d || Number.isNaN(c);
}

/** Reads `name attr='v' …>` or `… />` starting just after '<'. */
function readTag(s: string, i: number): { name: string; attrs: Record<string, string>; selfClosing: boolean; next: number } | null {
  const n = s.length;
  let j = i;
  while (j < n && !isNameEnd(s.charCodeAt(j))) j++;
  if (j === i) return null;
  const name = localName(s.slice(i, j));
  const attrs: Record<string, string> = {};
  for (;;) {
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (j >= n) return null;
    const c = s.charCodeAt(j);
    if (c === 0x3e) return { name, attrs, selfClosing: false, next: j + 1 };
    if (c === 0x2f) {
      if (s.charCodeAt(j + 1) !== 0x3e) return null;
      return { name, attrs, selfClosing: true, next: j + 2 };
    }
    const k = j;
    while (j < n && !isNameEnd(s.charCodeAt(j))) j++;
    if (j === k) return null;
    const attr = localName(s.slice(k, j));
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 0x3d) return null;
    j++;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    const q = s.charCodeAt(j);
    if (q !== 0x22 && q !== 0x27) return null;
    const end = s.indexOf(q === 0x22 ? '"' : "'", j + 1);
    if (end < 0) return null;
    // Keys come from the wire: "__proto__" must stay an own property.
    Object.defineProperty(attrs, attr, { value: decodeEntities(s.slice(j + 1, end)), enumerable: true, writable: true, configurable: true });
    j = end + 1;
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and &#NN; / &#xHH; references; anything else is kept as written. */
export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 10) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    const ref = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (ref.charCodeAt(0) === 0x23 /* # */) {
      const hex = ref.charCodeAt(1) === 0x78 || ref.charCodeAt(1) === 0x58;
      const digits = ref.slice(hex ? 2 : 1);
      const cp = digits.length && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) rep = String.fromCodePoint(cp);
    } else rep = Object.hasOwn(NAMED, ref) ? NAMED[ref] : undefined;
    if (rep !== undefined) {
      out += s.slice(from, amp) + rep;
      from = semi + 1;
    }
    amp = s.indexOf('&', semi + 1);
  }
  return out + s.slice(from);
}

/** The first child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}
