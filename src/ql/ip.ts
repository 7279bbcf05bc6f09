// IP address and CIDR recognition, shared by the parser (is this value a CIDR?) and the compiler
// (which address range does it cover?).

export interface Cidr {
  version: 4 | 6;
  network: string;
  prefix: number;
}

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

/** Syntactic IPv6 check: up to 8 hex groups, at most one `::`, optionally ending in a dotted quad. */
export function isIpv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return false;
  let body = s;
  let groups = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    if (ipv4ToInt(s.slice(lastColon + 1)) === null) return false;
    body = s.slice(0, lastColon + 1) + '0'; // stand-in group for the position, counted as two below
    groups = 1;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  for (const half of halves) {
    if (half === '') continue;
    for (const g of half.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
      groups++;
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

/** `10.0.0.0/8` or `2001:db8::/32`, else null. */
export function parseCidr(text: string): Cidr | null {
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(text);
  if (!m) return null;
  const network = m[1]!;
  const prefix = Number(m[2]);
  if (ipv4ToInt(network) !== null) return prefix <= 32 ? { version: 4, network, prefix } : null;
  if (isIpv6(network)) return prefix <= 128 ? { version: 6, network, prefix } : null;
  return null;
}

/** First and last address (as integers) of an IPv4 CIDR; host bits in the network are ignored. */
export function ipv4Range(network: string, prefix: number): [number, number] {
  const n = ipv4ToInt(network);
  if (n === null) throw new Error(`not an IPv4 address: ${network}`);
  const size = 2 ** (32 - prefix);
  const lo = Math.floor(n / size) * size;
  return [lo, lo + size - 1];
}
