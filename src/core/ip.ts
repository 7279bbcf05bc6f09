// IP addresses as numbers, for CIDR tests: the query language's (ql/ip.ts) and Sigma's `cidr` modifier
// (detect/sigma/cidr.ts) read addresses the same way. IPv4 fits a number; IPv6 needs a bigint.

/** A dotted-quad IPv4 address as an unsigned 32-bit integer, or null. */
export function ipv4ToInt(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/**
 * An IPv6 address (up to 8 hex groups, at most one `::`, optionally ending in a dotted quad) as a
 * 128-bit bigint, or null. No zone (`%eth0`): callers that accept one strip it first.
 */
export function ipv6ToBigInt(s: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return null;
  let text = s;
  // A trailing dotted quad (::ffff:10.1.2.3) is two more hex groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4ToInt(text.slice(lastColon + 1));
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): bigint[] | null => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const known = head.length + tail.length;
  if (halves.length === 2 ? known > 7 : known !== 8) return null;
  const all = halves.length === 2 ? [...head, ...new Array<bigint>(8 - known).fill(0n), ...tail] : head;
  let n = 0n;
  for (const g of all) n = (n << 16n) | g;
  return n;
}
