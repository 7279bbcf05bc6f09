// login(1) lines, as util-linux and shadow-utils write them, and its PAM lines:
//   FAILED LOGIN 1 FROM tty1 FOR alice, Authentication failure                  util-linux
//   TOO MANY LOGIN TRIES (3) FROM tty1 FOR alice, Authentication failure         util-linux
//   ROOT LOGIN ON tty1 / LOGIN ON tty2 BY alice FROM host                         util-linux
//   FAILED LOGIN (1) on '/dev/tty1' FOR 'alice', Authentication failure          shadow-utils
//   ROOT LOGIN  on '/dev/tty1' / 'alice' logged in  on '/dev/tty2' from 'host'   shadow-utils
//   pam_unix(login:session): session opened for user alice(uid=1000) by LOGIN(uid=0)
// Failed logins are B1.4 (P1a); a lockout lifted by login is B1.3.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { classify, ev, looksLikeTty, setSource, setUser, unwrap } from '../sshd/linux-auth.js';
import { pamDoc, type PamTags } from '../sshd/pam.js';

// util-linux puts the remote host after FROM when there is one, else the terminal.
const UL_FAILED = /^FAILED LOGIN (?:(\d+)|SESSION) FROM (\S+) FOR (.*?), (.*)$/;
const UL_TOO_MANY = /^TOO MANY LOGIN TRIES \((\d+)\) FROM (\S+) FOR (.*?), (.*)$/;
const UL_ROOT = /^ROOT LOGIN ON (\S+)(?: FROM (\S+))?$/;
const UL_OK = /^(?:LOGIN ON|DIALUP AT) (\S+) BY (\S+)(?: FROM (\S+))?$/;
// shadow-utils: fromhost is " on '<tty>'" and/or " from '<host>'".
const WHERE = `(?: on '([^']*)')?(?: from '([^']*)')?`;
const SH_FAILED = new RegExp(`^FAILED LOGIN \\((\\d+)\\)${WHERE} FOR '(.*)', (.*)$`);
const SH_TOO_MANY = new RegExp(`^TOO MANY LOGIN TRIES \\((\\d+)\\)${WHERE} FOR '(.*)'$`);
const SH_ROOT = new RegExp(`^ROOT LOGIN ?${WHERE}$`);
const SH_OK = new RegExp(`^'(.*)' logged in ?${WHERE}$`);
const REENABLED = /^login '(.*)' re-enabled after temporary lockout \((\d+) failures\)$/;

function where(doc: EcsDoc, tty: string | undefined, host: string | undefined): void {
  if (tty) doc.system = { auth: { login: { tty } } };
  setSource(doc, host);
}

/** util-linux's FROM: a terminal or a host. */
function fromField(doc: EcsDoc, from: string | undefined): void {
  if (!from) return;
  if (looksLikeTty(from)) where(doc, from, undefined);
  else where(doc, undefined, from);
}

function login(doc: EcsDoc, ok: boolean, action = 'login'): EcsDoc {
  classify(doc, ['authentication', 'session'], ['start'], action, ok ? 'success' : 'failure');
  return ok ? evidence(doc, [], ['P1a']) : evidence(doc, ['B1.4'], ['P1a']);
}

function readLogin(t: string): EcsDoc | null {
  const doc: EcsDoc = { event: { kind: 'event' } };
  let m: RegExpExecArray | null;
  if ((m = UL_FAILED.exec(t))) {
    setUser(doc, m[3]);
    fromField(doc, m[2]);
    if (m[1]) mergeLogin(doc, { failures: Number(m[1]) });
    ev(doc).reason = m[4]!;
    return login(doc, false);
  }
  if ((m = UL_TOO_MANY.exec(t))) {
    setUser(doc, m[3]);
    fromField(doc, m[2]);
    mergeLogin(doc, { failures: Number(m[1]) });
    ev(doc).reason = m[4]!;
    return login(doc, false, 'too-many-login-tries');
  }
  if ((m = UL_ROOT.exec(t))) {
    setUser(doc, 'root');
    where(doc, m[1], m[2]);
    return login(doc, true);
  }
  if ((m = UL_OK.exec(t))) {
    setUser(doc, m[2]);
    where(doc, m[1], m[3]);
    return login(doc, true);
  }
  if ((m = SH_FAILED.exec(t))) {
    setUser(doc, m[4]);
    where(doc, m[2], m[3]);
    mergeLogin(doc, { failures: Number(m[1]) });
    ev(doc).reason = m[5]!;
    return login(doc, false);
  }
  if ((m = SH_TOO_MANY.exec(t))) {
    setUser(doc, m[4]);
    where(doc, m[2], m[3]);
    mergeLogin(doc, { failures: Number(m[1]) });
    return login(doc, false, 'too-many-login-tries');
  }
  if ((m = SH_ROOT.exec(t))) {
    setUser(doc, 'root');
    where(doc, m[1], m[2]);
    return login(doc, true);
  }
  if ((m = SH_OK.exec(t))) {
    setUser(doc, m[1]);
    where(doc, m[2], m[3]);
    return login(doc, true);
  }
  if ((m = REENABLED.exec(t))) {
    // The account logs in (user) and is unlocked by it (user.target).
    setUser(doc, m[1]);
    (doc.user as EcsDoc).target = { name: m[1]! };
    mergeLogin(doc, { failures: Number(m[2]) });
    classify(doc, ['iam'], ['user', 'change'], 'account-unlocked', 'success');
    return evidence(doc, ['B1.3'], ['P2a']);
  }
  return null;
}

function mergeLogin(doc: EcsDoc, fields: EcsDoc): void {
  const sys = (doc.system ??= {}) as EcsDoc;
  const auth = (sys.auth ??= {}) as EcsDoc;
  auth.login = { ...((auth.login as EcsDoc | undefined) ?? {}), ...fields };
}

const LOGIN_PAM: PamTags = {
  'session-open': [[], ['P1d']],
  'session-close': [[], ['P1f']],
  'auth-failure': [['B1.4'], ['P1a']],
  denied: [[], ['P1a']],
};

export default defineParser({
  id: 'login',
  title: 'login',
  description: 'login(1) console and remote login lines (util-linux and shadow-utils forms) and its PAM lines',
  input: 'text',
  programs: ['login', 'login(pam_unix)'],
  requirements: ['B1.3', 'B1.4'],
  parse({ message, program }) {
    const u = unwrap(message);
    const pam = pamDoc(u.text, program, LOGIN_PAM);
    if (pam !== undefined) return pam;
    return readLogin(u.text);
  },
});
