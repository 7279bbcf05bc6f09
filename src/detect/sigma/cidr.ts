// CIDR ranges for the `cidr` modifier, IPv4 and IPv6. A range is compiled once to its first and last
// address; an event's address is parsed when tested. IPv4-mapped IPv6 addresses (::ffff:10.1.2.3), as
// dual-stack sockets report them, are tested as the IPv4 address they carry.
import { ipv4ToInt, ipv6ToBigInt } from '../../core/ip.js';

export interface CidrRange {
  version: 4 | 6;
  lo: bigint;
  hi: bigint;
}

function ipv4(s: string): bigint | null {
  const n = ipv4ToInt(s);
  return n === null ? null : BigInt(n);
}

/** An IPv6 address, with a zone (fe80::1%eth0) allowed and ignored. */
function ipv6(s: string): bigint | null {
  const zone = s.indexOf('%');
  return ipv6ToBigInt(zone >= 0 ? s.slice(0, zone) : s);
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128); null when not one. */
export function parseCidr(text: string): CidrRange | null {
  const slash = text.indexOf('/');
  const addr = (slash >= 0 ? text.slice(0, slash) : text).trim();
  const bits = slash >= 0 ? text.slice(slash + 1).trim() : undefined;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  const v4 = ipv4(addr);
  const version = v4 !== null ? 4 : 6;
  const n = v4 ?? ipv6(addr);
  if (n === null) return null;
  const width = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (prefix > width) return null;
  const hostBits = BigInt(width - prefix);
  const lo = (n >> hostBits) << hostBits;
  return { version, lo, hi: lo + (1n << hostBits) - 1n };
}

const MAPPED = 0xffff00000000n;

/** An address as [version, number], IPv4-mapped IPv6 folded to IPv4; null when not an address. */
export function parseAddress(text: string): [4 | 6, bigint] | null {
  const v4 = ipv4(text);
  if (v4 !== null) return [4, v4];
  const v6 = ipv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === MAPPED >> 32n) return [4, v6 & 0xffffffffn];
  return [6, v6];
}

export function inRange(r: CidrRange, addr: [4 | 6, bigint]): boolean {
  return r.version === addr[0] && addr[1] >= r.lo && addr[1] <= r.hi;
}
