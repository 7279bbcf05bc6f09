// IP address and CIDR recognition, shared by the parser (is this value a CIDR?) and the compiler
// (which address range does it cover?). Addresses are read by core/ip.ts, as Sigma's cidr modifier reads them.
import { ipv4ToInt, ipv6ToBigInt } from '../core/ip.js';

export interface Cidr {
  version: 4 | 6;
  network: string;
  prefix: number;
}

/** Syntactic IPv6 check: up to 8 hex groups, at most one `::`, optionally ending in a dotted quad. */
export function isIpv6(s: string): boolean {
  return ipv6ToBigInt(s) !== null;
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
