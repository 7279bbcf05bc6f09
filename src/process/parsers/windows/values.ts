// Reading Windows event values: "-" and "" mean "not set", numbers may be 0x-hex, paths use '\',
// accounts are DOMAIN\name, and IPv4 addresses often arrive IPv4-mapped (::ffff:10.0.0.5).
import { isIp } from '../ecs.js';
import { asInt, type WinValue } from './event.js';

/** A set value (first one of a list), or undefined for missing, "", "-", the null GUID and the NULL SID. */
export function field(data: Record<string, WinValue> | undefined, key: string): string | undefined {
  if (!data || !Object.hasOwn(data, key)) return undefined;
  const raw = data[key];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' || t === '-' || t === '{00000000-0000-0000-0000-000000000000}' || t === 'S-1-0-0' ? undefined : v;
}

export function intField(data: Record<string, WinValue> | undefined, key: string): number | undefined {
  return asInt(field(data, key));
}

/** The last path segment of a Windows (or POSIX) path; undefined when there is none. */
export function basename(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  const name = path.slice(i + 1);
  return name || undefined;
}

export function dirname(path: string): string | undefined {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i > 0 ? path.slice(0, i) : undefined;
}

export function extension(name: string | undefined): string | undefined {
  const i = name ? name.lastIndexOf('.') : -1;
  return name && i > 0 && i < name.length - 1 ? name.slice(i + 1) : undefined;
}

/** "CORP\alice" into domain and name; a bare name has no domain. */
export function splitAccount(v: string | undefined): { domain?: string; name?: string } {
  if (!v) return {};
  const i = v.indexOf('\\');
  return i < 0 ? { name: v } : { domain: v.slice(0, i) || undefined, name: v.slice(i + 1) || undefined };
}

/** An IP address, with IPv4-mapped IPv6 (::ffff:a.b.c.d) written as IPv4; undefined if not an IP. */
export function ipField(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let t = v.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (t.toLowerCase().startsWith('::ffff:') && isIp(t.slice(7)) && t.slice(7).includes('.')) t = t.slice(7);
  return isIp(t) ? t : undefined;
}

/** A TCP/UDP port; 0 means "not known" in Windows events and is left out. */
export function portField(v: string | undefined): number | undefined {
  const n = asInt(v);
  return n !== undefined && n > 0 && n < 65536 ? n : undefined;
}

/** Windows command-line splitting (CommandLineToArgvW rules), for process.args. */
export function splitCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  const n = cmd.length;
  while (i < n) {
    while (i < n && (cmd[i] === ' ' || cmd[i] === '\t')) i++;
    if (i >= n) break;
    let arg = '';
    let quoted = false;
    let slashes = 0;
    for (; i < n; i++) {
      const c = cmd[i]!;
      if (c === '\\') {
        slashes++;
        continue;
      }
      if (c === '"') {
        arg += '\\'.repeat(slashes >> 1);
        if (slashes % 2 === 0) {
          if (quoted && cmd[i + 1] === '"') {
            arg += '"';
            i++;
          }
          quoted = !quoted;
        } else arg += '"';
        slashes = 0;
        continue;
      }
      arg += '\\'.repeat(slashes);
      slashes = 0;
      if ((c === ' ' || c === '\t') && !quoted) break;
      arg += c;
    }
    arg += '\\'.repeat(slashes);
    args.push(arg);
  }
  return args;
}
