// Account lockout by PAM (B1.2): pam_faillock, and the older pam_tally2 / pam_tally. They write under
// the tag of whichever program called PAM (sshd, login, sudo, su, gdm-password ...), so this parser
// is not bound to a program: it checks the message's start instead, and the program-bound parsers
// (sshd, sudo, su, login, shadow-utils) hand these lines on by returning null.
//   sshd[812]: pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily locked
//   login[77]: pam_tally2(login:auth): user alice (1001) tally 4, deny 3
//   sshd[9]: pam_tally2(sshd:auth): user root (0) has time limit [118s left] since last failure.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { classify, ev, setUser, unwrap } from '../sshd/linux-auth.js';
import { isLockoutModule, readPam, type PamLine } from '../sshd/pam.js';

const FAILLOCK_LOCKED = /^Consecutive login failures for user (\S+) account temporarily locked$/;
const TALLY_DENY = /^user (\S+) \((\d+)\) tally (\d+), deny (\d+)$/;
const TALLY_TIME = /^user (\S+) \((\d+)\) has time limit \[(\d+)s left\] since last failure\.?$/;
const TALLY_UNLOCK = /^user (\S+) \((\d+)\) has unlock time (?:\[(\d+)s left\] )?/;

function locked(doc: EcsDoc): EcsDoc {
  // As Elastic's system integration classifies pam_faillock's lockout.
  classify(doc, ['authentication'], ['info'], 'account-locked', 'failure');
  return evidence(doc, ['B1.2'], ['P1a']);
}

function read(p: PamLine): EcsDoc {
  const pam: EcsDoc = { module: p.module };
  if (p.service) pam.origin = p.facility ? `${p.service}:${p.facility}` : p.service;
  const doc: EcsDoc = { event: { kind: 'event' }, system: { auth: { pam } } };
  const t = p.text.trim();
  let m = FAILLOCK_LOCKED.exec(t);
  if (m) {
    setUser(doc, m[1]);
    ev(doc).reason = 'consecutive login failures';
    return locked(doc);
  }
  if ((m = TALLY_DENY.exec(t))) {
    // pam_tally2 writes this when the count is past "deny": the login is refused, the account locked.
    setUser(doc, m[1], m[2]);
    pam.tally = { count: Number(m[3]), deny: Number(m[4]) };
    ev(doc).reason = 'too many failed logins';
    return locked(doc);
  }
  if ((m = TALLY_TIME.exec(t)) || (m = TALLY_UNLOCK.exec(t))) {
    setUser(doc, m[1], m[2]);
    if (m[3]) pam.tally = { seconds_left: Number(m[3]) };
    ev(doc).reason = 'temporarily locked after a failed login';
    return locked(doc);
  }
  // Other lines (errors opening the tally file, "User unknown") are kept with the user they name.
  const u = /\buser (\S+)/.exec(t);
  if (u) setUser(doc, u[1]!.replace(/[(),.]+$/, ''));
  ev(doc).type = ['info'];
  return doc;
}

export default defineParser({
  id: 'pam-faillock',
  title: 'PAM account lockout (pam_faillock, pam_tally2)',
  description: 'pam_faillock and pam_tally2 / pam_tally lines, whichever program (sshd, login, sudo, su ...) logged them',
  input: 'text',
  // Before the generic fall-backs; a cheap prefix test keeps it out of everything else's way.
  priority: 50,
  requirements: ['B1.2'],
  parse({ message, program }) {
    const c = message.charCodeAt(0);
    const oldTag = program !== undefined && program.endsWith(')') && /\(pam_(?:faillock|tally2?)\)$/.test(program);
    if (!oldTag && !(c === 0x70 /* p */ && (message.startsWith('pam_faillock(') || message.startsWith('pam_tally')))) {
      // A relay may have kept a Solaris-style "[ID ...]" or "message repeated" wrapper.
      if (c !== 0x5b /* [ */ && c !== 0x6d /* m */) return null;
      const inner = unwrap(message).text;
      if (!inner.startsWith('pam_faillock(') && !inner.startsWith('pam_tally')) return null;
    }
    const p = readPam(unwrap(message).text, program);
    if (!p || !isLockoutModule(p)) return null;
    return read(p);
  },
});
