// Linux-PAM module lines, as every PAM-using program writes them into its own syslog tag:
//   sshd[812]: pam_unix(sshd:session): session opened for user alice(uid=1001) by (uid=0)
//   sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob
//   su(pam_unix)[2298]: authentication failure; logname= uid=1342 euid=0 tty= ruser=dcid rhost=  user=root   (old tag form)
//   sshd[812]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root
// Field names follow logstash-patterns-core's ECS mode (system.auth.pam.module/origin/session_state) and
// Elastic's system integration (event.action logged-on / logged-off / authentication_failure / password-changed).
import type { EcsDoc } from '../../../core/event.js';
import { evidence, parseKv } from '../ecs.js';
import { classify, setSource, setUser } from './linux-auth.js';

export interface PamLine {
  /** pam_unix, pam_sss, pam_faillock ...; "pam" for libpam's own lines ("PAM 2 more authentication failures"). */
  module: string;
  /** The PAM service (sshd, sudo, su-l, login ...). */
  service?: string;
  /** auth, account, session, password, chauthtok, setcred. */
  facility?: string;
  text: string;
}

const MODULE_LINE = /^(pam_[\w-]+)\(([^:()]+):(\w+)\): ?(.*)$/s;
const OLD_TAG = /^([\w.-]+)\((pam_[\w-]+)\)$/;

/** The PAM parts of a message, or null when it is not a PAM line. */
export function readPam(message: string, program?: string): PamLine | null {
  const c = message.charCodeAt(0);
  if (c === 0x70 /* p */ && message.startsWith('pam_')) {
    const m = MODULE_LINE.exec(message);
    if (m) return { module: m[1]!, service: m[2]!, facility: m[3]!, text: m[4]! };
    return null;
  }
  if (c === 0x50 /* P */ && message.startsWith('PAM ')) {
    // libpam and pam_unix's summary lines, under the caller's own tag.
    if (/^PAM \d+ more authentication failures?;/.test(message) || message.startsWith('PAM service(')) {
      return { module: 'pam', text: message.slice(4) };
    }
    return null;
  }
  if (program && program.endsWith(')')) {
    const m = OLD_TAG.exec(program);
    if (m) return { module: m[2]!, service: m[1]!, text: message };
  }
  return null;
}

/** pam_faillock and pam_tally lines go to the pam-faillock parser, whichever program wrote them. */
export function isLockoutModule(p: PamLine): boolean {
  return p.module === 'pam_faillock' || p.module === 'pam_tally2' || p.module === 'pam_tally';
}

export type PamKind =
  | 'session-open'
  | 'session-close'
  | 'auth-failure'
  | 'auth-success'
  | 'password-changed'
  | 'password-failure'
  | 'denied'
  | 'info';

export interface PamEvent {
  doc: EcsDoc;
  kind: PamKind;
}

const SESSION = /^session (opened|closed) for user (.+?)(?:\(uid=(\d+)\))?(?: by (.*?)(?:\(uid=(\d+)\))?)?$/;
const MORE = /^(\d+) more authentication failures?; ?(.*)$/;
const KV_KEYS = ['logname', 'uid', 'euid', 'tty', 'ruser', 'rhost'] as const;

/** The ECS document for a PAM line: who, from where, and what kind of event it is. */
export function pamEvent(p: PamLine): PamEvent {
  const pam: EcsDoc = { module: p.module };
  if (p.service && p.facility) pam.origin = `${p.service}:${p.facility}`;
  else if (p.service) pam.origin = p.service;
  const doc: EcsDoc = { event: { kind: 'event' }, system: { auth: { pam } } };
  const t = p.text.trim();

  let m = SESSION.exec(t);
  if (m) {
    const [, state, user, uid, byRaw, byUid] = m;
    pam.session_state = state!;
    // "by LOGIN(uid=0)" is login(1)'s placeholder, "by (uid=0)" names no one: the session's user is the actor.
    const by = byRaw && byRaw !== 'LOGIN' ? byRaw : undefined;
    if (by && by !== user) {
      setUser(doc, by, byUid);
      const eff: EcsDoc = { name: user! };
      if (uid) eff.id = uid;
      (doc.user as EcsDoc).effective = eff;
    } else setUser(doc, user, uid);
    const open = state === 'opened';
    classify(doc, ['session'], [open ? 'start' : 'end'], open ? 'logged-on' : 'logged-off');
    return { doc, kind: open ? 'session-open' : 'session-close' };
  }

  if (t.startsWith('authentication failure;') || t.startsWith('authentication success;')) {
    const ok = t.startsWith('authentication success;');
    kvFields(doc, pam, t.slice(t.indexOf(';') + 1));
    classify(doc, ['authentication'], ['info'], ok ? 'authentication_success' : 'authentication_failure', ok ? 'success' : 'failure');
    return { doc, kind: ok ? 'auth-success' : 'auth-failure' };
  }
  m = MORE.exec(t);
  if (m) {
    pam.more_failures = Number(m[1]);
    kvFields(doc, pam, m[2]!);
    classify(doc, ['authentication'], ['info'], 'authentication_failure', 'failure');
    return { doc, kind: 'auth-failure' };
  }
  if (t === 'check pass; user unknown') {
    (doc.event as EcsDoc).reason = 'user unknown';
    classify(doc, ['authentication'], ['info'], 'authentication_failure', 'failure');
    return { doc, kind: 'auth-failure' };
  }
  if ((m = /^auth could not identify password for \[(.*)\]$/.exec(t))) {
    setUser(doc, m[1]);
    (doc.event as EcsDoc).reason = 'no password given';
    classify(doc, ['authentication'], ['info'], 'authentication_failure', 'failure');
    return { doc, kind: 'auth-failure' };
  }
  if (t === 'conversation failed') {
    (doc.event as EcsDoc).reason = t;
    classify(doc, ['authentication'], ['info'], 'authentication_failure', 'failure');
    return { doc, kind: 'auth-failure' };
  }
  // pam_sss: "received for user alice: 7 (Authentication failure)"
  if ((m = /^received for user (\S+): (\d+) \((.*)\)$/.exec(t))) {
    setUser(doc, m[1]);
    pam.error_code = Number(m[2]);
    (doc.event as EcsDoc).reason = m[3]!;
    classify(doc, ['authentication'], ['info'], 'authentication_failure', 'failure');
    return { doc, kind: 'auth-failure' };
  }
  if ((m = /^password changed for (\S+)$/.exec(t))) {
    (doc as EcsDoc).user = { target: { name: m[1]! } };
    classify(doc, ['iam'], ['user', 'change'], 'password-changed', 'success');
    return { doc, kind: 'password-changed' };
  }
  if (p.facility === 'chauthtok' || p.facility === 'password') {
    // pam_unix's other chauthtok lines are refusals or errors ("password change failed", "... not changed").
    if (/fail|error|not |denied|refus/i.test(t)) {
      (doc.event as EcsDoc).reason = t;
      classify(doc, ['iam'], ['user', 'change'], 'password-change-failed', 'failure');
      const u = /(?:for|user) \[?'?(\w[\w.@-]*)/.exec(t);
      if (u) doc.user = { target: { name: u[1]! } };
      return { doc, kind: 'password-failure' };
    }
  }
  // pam_succeed_if: requirement "uid >= 1000" not met by user "root"
  if ((m = /^requirement "(.*)" not met by user "(.*)"$/.exec(t))) {
    setUser(doc, m[2]);
    (doc.event as EcsDoc).reason = `requirement ${m[1]} not met`;
    classify(doc, ['authentication'], ['info'], 'access-denied', 'failure');
    return { doc, kind: 'denied' };
  }
  // pam_access: access denied for user `alice' from `198.51.100.7'
  if ((m = /^access denied for user [`'"](.*?)['"] from [`'"](.*?)['"]$/.exec(t))) {
    setUser(doc, m[1]);
    setSource(doc, m[2]);
    classify(doc, ['authentication'], ['info'], 'access-denied', 'failure');
    return { doc, kind: 'denied' };
  }
  // pam_securetty: access denied: tty 'ttyS0' is not secure !
  if ((m = /^access denied: tty '(.*)' is not secure/.exec(t))) {
    pam.tty = m[1]!;
    (doc.event as EcsDoc).reason = 'tty is not secure';
    classify(doc, ['authentication'], ['info'], 'access-denied', 'failure');
    return { doc, kind: 'denied' };
  }
  // pam_unix account: "account alice has expired (account expired)", "expired password for user alice (password aged)"
  if ((m = /^account (\S+) has expired/.exec(t))) {
    setUser(doc, m[1]);
    (doc.event as EcsDoc).reason = 'account expired';
    classify(doc, ['authentication'], ['info'], 'access-denied', 'failure');
    return { doc, kind: 'denied' };
  }
  if (/^Failed to create session/.test(t)) {
    (doc.event as EcsDoc).reason = t;
    classify(doc, ['session'], ['start'], 'session-failed', 'failure');
    return { doc, kind: 'info' };
  }
  // libpam: "PAM service(sshd) ignoring max retries; 6 > 3"
  if ((m = /^service\((\S+)\) ignoring max retries; (\d+) > (\d+)$/.exec(t))) {
    pam.origin = m[1]!;
    pam.retries = { attempted: Number(m[2]), max: Number(m[3]) };
    classify(doc, ['authentication'], ['info'], 'max-retries-ignored');
    return { doc, kind: 'info' };
  }
  // Any other line from a module we know the name of: what it says, without a classification.
  const u = /\buser[= ]['"`]?([\w.@-]+)/.exec(t);
  if (u) setUser(doc, u[1]);
  (doc.event as EcsDoc).type = ['info'];
  return { doc, kind: 'info' };
}

/** The "; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root" part. */
function kvFields(doc: EcsDoc, pam: EcsDoc, text: string): void {
  const kv = parseKv(text);
  for (const k of KV_KEYS) if (kv[k]) pam[k] = kv[k]!;
  if (kv.user) setUser(doc, kv.user);
  if (kv.rhost) setSource(doc, kv.rhost);
}

/** Requirement and principle IDs per kind of PAM event; kinds not listed get none. */
export type PamTags = Partial<Record<PamKind, readonly [readonly string[], readonly string[]]>>;

/**
 * A PAM line as an event tagged by the caller's table: undefined when the text is not a PAM line, null
 * when it is a lockout module's line (pam_faillock / pam_tally2 take those).
 */
export function pamDoc(text: string, program: string | undefined, tags: PamTags): EcsDoc | null | undefined {
  const p = readPam(text, program);
  if (!p) return undefined;
  if (isLockoutModule(p)) return null;
  const { doc, kind } = pamEvent(p);
  const t = tags[kind];
  return t ? evidence(doc, t[0], t[1]) : doc;
}
