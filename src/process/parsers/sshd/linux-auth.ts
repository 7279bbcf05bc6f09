// Building blocks shared by the Linux local-account parsers (sshd, sudo, su, login, shadow-utils,
// pam-faillock): what wraps a message, where a login came from, and the event shapes they all use.
import type { EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';

export interface Unwrapped {
  text: string;
  /** sshd marks lines written before authentication completed with " [preauth]". */
  preauth: boolean;
  /** syslogd folded N identical lines into "message repeated N times: [ ... ]". */
  repeated?: number;
}

const REPEATED = /^message repeated (\d+) times: \[ ?(.*?) ?\]$/;

/**
 * The message without its wrappers: Solaris's "[ID 800047 auth.notice] " tag, syslogd's
 * "message repeated N times: [ ... ]" and sshd's trailing " [preauth]".
 */
export function unwrap(message: string): Unwrapped {
  let text = message.trim();
  let repeated: number | undefined;
  if (text.charCodeAt(0) === 0x5b /* [ */ && text.startsWith('[ID ')) {
    const end = text.indexOf('] ');
    if (end > 0) text = text.slice(end + 2);
  }
  if (text.charCodeAt(0) === 0x6d /* m */ && text.startsWith('message repeated ')) {
    const m = REPEATED.exec(text);
    if (m) {
      repeated = Number(m[1]);
      text = m[2]!;
    }
  }
  let preauth = false;
  if (text.endsWith(' [preauth]')) {
    preauth = true;
    text = text.slice(0, -10);
  }
  return repeated === undefined ? { text, preauth } : { text, preauth, repeated };
}

/** source.ip (or source.domain for a host name) and source.port. Placeholders ("UNKNOWN", "?") are skipped. */
export function setSource(doc: EcsDoc, host: string | undefined, port?: string | number): void {
  if (!host || host === 'UNKNOWN' || host === '?' || host === 'unknown') return;
  let h = host;
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.startsWith('::ffff:') && isIp(h.slice(7)) && h.includes('.')) h = h.slice(7);
  const src: EcsDoc = isIp(h) ? { ip: h } : { domain: h, address: h };
  if (port !== undefined && port !== '') {
    const n = Number(port);
    if (Number.isInteger(n) && n >= 0 && n <= 65535) src.port = n;
  }
  doc.source = src;
}

/** Sets user.name (and user.id when numeric); empty names are left out. */
export function setUser(doc: EcsDoc, name: string | undefined, id?: string | number): void {
  const u = (doc.user ??= {}) as EcsDoc;
  if (name) u.name = name;
  if (id !== undefined && id !== '' && /^\d+$/.test(String(id))) u.id = String(id);
  if (Object.keys(u).length === 0) delete doc.user;
}

/** The event object, created if absent. */
export function ev(doc: EcsDoc): EcsDoc {
  return (doc.event ??= { kind: 'event' }) as EcsDoc;
}

/** Sets event.category/type/action/outcome in one go (undefined values are left out). */
export function classify(doc: EcsDoc, category: string[], type: string[], action?: string, outcome?: 'success' | 'failure'): EcsDoc {
  const e = ev(doc);
  e.category = category;
  e.type = type;
  if (action) e.action = action;
  if (outcome) e.outcome = outcome;
  return doc;
}

/** A terminal name: "tty1", "pts/0", "/dev/pts/0", ":0", "console", "ssh", "NODEVssh". */
export function looksLikeTty(s: string): boolean {
  return /^(?:\/dev\/)?(?:tty\w*|pts\/\d+|console|ttyS\d+|hvc\d+|vc\/\d+|:\d+(?:\.\d+)?|ssh|NODEV\w*|none)$/.test(s);
}
