// The Windows DNS Server debug log (dns.log, "Log packets for debugging"): one line per packet,
//   11/23/2026 8:00:01 AM 0E60 PACKET  000001D2C1B3E0F0 UDP Rcv 10.0.0.5      4a3b   Q [0001   D   NOERROR] A      (7)example(3)com(0)
// date, time, thread, context, packet id, UDP/TCP, Snd/Rcv, remote IP, xid (hex), R for a response,
// opcode (Q/N/U/?), [flags hex, flag letters A/T/D/R, response code], question type, question name in
// the wire's (length)label form. Other contexts (EVENT, Note, …) carry free text.

export interface DnsDebugLine {
  time: Date;
  thread: string;
  context: string;
  /** The free text of non-packet lines. */
  text?: string;
  packet?: DnsPacket;
}

export interface DnsPacket {
  id: string;
  protocol: 'UDP' | 'TCP';
  direction: 'Snd' | 'Rcv';
  remote: string;
  xid: string;
  response: boolean;
  opcode: string;
  flagsHex?: string;
  flagChars?: string;
  rcode?: string;
  qtype?: string;
  qname?: string;
  /** Set when the line stopped making sense part-way (the fields before it were read). */
  error?: string;
}

/** A cheap test before any parsing: "M/D/YYYY " or "D.M.YYYY " or "YYYY-MM-DD " at the start. */
export function looksLikeDnsDebug(line: string): boolean {
  const c0 = line.charCodeAt(0);
  if (c0 < 0x30 || c0 > 0x39) return false;
  const sep = line.charCodeAt(1) >= 0x30 && line.charCodeAt(1) <= 0x39 ? line.charCodeAt(2) : line.charCodeAt(1);
  if (sep !== 0x2f && sep !== 0x2e && !(sep >= 0x30 && sep <= 0x39)) return false;
  return line.includes(' PACKET ') || line.includes(' EVENT ') || line.includes(' Note ');
}

class Tokens {
  i = 0;
  constructor(readonly s: string) {}
  next(): string | undefined {
    const s = this.s;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
    if (this.i >= s.length) return undefined;
    const start = this.i;
    while (this.i < s.length && s[this.i] !== ' ' && s[this.i] !== '\t') this.i++;
    return s.slice(start, this.i);
  }
  rest(): string {
    return this.s.slice(this.i).trim();
  }
}

const HEX = /^[0-9A-Fa-f]+$/;

export function parseDnsDebugLine(line: string): DnsDebugLine | null {
  const t = new Tokens(line);
  const date = t.next();
  const time = t.next();
  if (!date || !time) return null;
  const save = t.i;
  let ampm = t.next();
  if (ampm !== 'AM' && ampm !== 'PM') {
    ampm = undefined;
    t.i = save;
  }
  const when = parseTime(date, time, ampm);
  const thread = t.next();
  const context = t.next();
  if (!when || !thread || !HEX.test(thread) || !context) return null;
  const out: DnsDebugLine = { time: when, thread, context };
  if (context !== 'PACKET') {
    out.text = t.rest();
    return out;
  }
  const id = t.next();
  const protocol = t.next();
  const direction = t.next();
  const remote = t.next();
  const xid = t.next();
  if (!id || !HEX.test(id) || (protocol !== 'UDP' && protocol !== 'TCP') || (direction !== 'Snd' && direction !== 'Rcv') || !remote || !xid || !HEX.test(xid)) {
    return null;
  }
  const packet: DnsPacket = { id, protocol, direction, remote, xid, response: false, opcode: '?' };
  out.packet = packet;
  const open = line.indexOf('[', t.i);
  const close = open < 0 ? -1 : line.indexOf(']', open);
  if (open < 0 || close < 0) {
    packet.error = 'no [flags rcode] section';
    return out;
  }
  const head = line.slice(t.i, open).trim().split(/\s+/).filter(Boolean);
  if (head[0] === 'R') {
    packet.response = true;
    head.shift();
  }
  packet.opcode = head[0] ?? '?';
  const inner = line.slice(open + 1, close).trim().split(/\s+/).filter(Boolean);
  if (inner.length >= 2 && HEX.test(inner[0]!)) {
    packet.flagsHex = inner[0];
    packet.rcode = inner[inner.length - 1];
    packet.flagChars = inner.slice(1, -1).join('');
  } else packet.error = 'unreadable [flags rcode] section';
  const tail = new Tokens(line.slice(close + 1));
  packet.qtype = tail.next();
  const name = tail.rest();
  if (name) {
    const decoded = decodeWireName(name);
    if (decoded === undefined) packet.error ??= `unreadable question name ${name}`;
    else packet.qname = decoded;
  }
  return out;
}

/** "(7)example(3)com(0)" → "example.com"; "(0)" → "."; undefined when the lengths do not add up. */
export function decodeWireName(s: string): string | undefined {
  const labels: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '(') return undefined;
    const close = s.indexOf(')', i);
    if (close < 0 || close - i > 4) return undefined;
    const len = Number(s.slice(i + 1, close));
    if (!Number.isInteger(len) || len < 0 || len > 63) return undefined;
    if (len === 0) return close === s.length - 1 ? (labels.length ? labels.join('.') : '.') : undefined;
    const label = s.slice(close + 1, close + 1 + len);
    if (label.length !== len) return undefined;
    labels.push(label);
    i = close + 1 + len;
  }
  // Some builds drop the final (0).
  return labels.length ? labels.join('.') : undefined;
}

/**
 * The server's local time, read as UTC (the log has no zone). With AM/PM the date is M/D/Y (US
 * format); without, D/M/Y unless the second number is over 12; Y-M-D and D.M.Y are read as written.
 */
function parseTime(date: string, time: string, ampm: string | undefined): Date | undefined {
  const d = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})$/.exec(date);
  const tm = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(time);
  if (!d || !tm) return undefined;
  const a = Number(d[1]);
  const b = Number(d[3]);
  const c = Number(d[4]);
  let y: number;
  let mo: number;
  let day: number;
  if (d[1]!.length === 4) [y, mo, day] = [a, b, c];
  else if (ampm || (d[2] === '/' && b > 12)) [mo, day, y] = [a, b, c];
  else [day, mo, y] = [a, b, c];
  if (y < 100) y += 2000;
  let h = Number(tm[1]);
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm === 'PM' ? 12 : 0);
  }
  const ms = Date.UTC(y, mo - 1, day, h, Number(tm[2]), Number(tm[3]));
  const out = new Date(ms);
  if (out.getUTCMonth() !== mo - 1 || out.getUTCDate() !== day || h > 23 || Number(tm[2]) > 59 || Number(tm[3]) > 59) return undefined;
  return out;
}
