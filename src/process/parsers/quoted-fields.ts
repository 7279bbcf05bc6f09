// Space-separated fields where some are double-quoted (access logs, ALB logs, HAProxy's request).
export interface Token {
  value: string;
  quoted: boolean;
}

/**
 * Splits on blanks; a field opening with '"' runs to the next unescaped '"' (\" and \\ are unescaped).
 * A quote left open (a cut-off line) takes the rest of the text.
 */
export function splitQuoted(s: string): Token[] {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 0x20) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) === 0x22) {
      let v = '';
      let j = i + 1;
      let seg = j;
      while (j < n && s.charCodeAt(j) !== 0x22) {
        if (s.charCodeAt(j) === 0x5c && (s.charCodeAt(j + 1) === 0x22 || s.charCodeAt(j + 1) === 0x5c)) {
          v += s.slice(seg, j);
          seg = j + 1;
          j += 2;
          continue;
        }
        j++;
      }
      v += s.slice(seg, j);
      out.push({ value: v, quoted: true });
      i = j + 1;
    } else {
      let j = s.indexOf(' ', i);
      if (j < 0) j = n;
      out.push({ value: s.slice(i, j), quoted: false });
      i = j;
    }
  }
  return out;
}
