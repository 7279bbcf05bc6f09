// Turns received bytes into text. Hot path (one call per record), so the common cases avoid
// exceptions and extra copies: isAscii/isUtf8 are native validators, and trimming happens on
// byte offsets before any string is built.
import { isAscii, isUtf8 } from 'node:buffer';

// windows-1252 glyphs for 0x80..0x9F; the five holes keep their C1 code points (as WHATWG does).
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1_RANGE = /[\x80-\x9f]/g;

function cp1252(ch: string): string {
  return CP1252_HIGH[ch.charCodeAt(0) - 0x80]!;
}

/**
 * Decodes strict UTF-8; invalid UTF-8 falls back to windows-1252 with lossy=true (the caller keeps
 * the raw bytes). Strips a leading UTF-8 BOM and any trailing NUL/CR/LF bytes.
 */
export function decodeText(bytes: Buffer | Uint8Array): { text: string; lossy: boolean } {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  let end = buf.length;
  if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  while (end > start) {
    const b = buf[end - 1];
    if (b !== 0x00 && b !== 0x0a && b !== 0x0d) break;
    end--;
  }
  if (start === end) return { text: '', lossy: false };
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  // Latin-1 decoding of ASCII is the cheapest string construction (one-byte string, no validation).
  if (isAscii(view)) return { text: view.toString('latin1'), lossy: false };
  // Validating first avoids TextDecoder's fatal mode, whose failure path costs a thrown exception.
  if (isUtf8(view)) return { text: view.toString('utf8'), lossy: false };
  return { text: view.toString('latin1').replace(C1_RANGE, cp1252), lossy: true };
}
