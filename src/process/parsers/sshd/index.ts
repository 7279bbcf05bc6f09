// OpenSSH sshd lines from auth.log / secure: login attempts with the user and the public key (B2.2),
// failures (B1.4), PAM sessions (P1d / P1f) and the connection-level lines around them.
// Fields: user.name, source.ip/port, system.auth.ssh.{event, method, signature, key.type,
// key.fingerprint, cert.*, invalid_user, preauth, ...} (Elastic's system.auth.ssh.* names, extended).
// pam_faillock / pam_tally lines are left to the pam-faillock parser.
import { mergeInto } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { unwrap } from './linux-auth.js';
import { pamDoc, type PamTags } from './pam.js';
import { readSshd } from './sshd.js';

/** sshd's PAM lines: sessions and authentication outcomes, tagged for a bastion. */
const SSHD_PAM: PamTags = {
  'session-open': [[], ['P1d']],
  'session-close': [[], ['P1f']],
  'auth-failure': [['B2.2', 'B1.4'], ['P1a']],
  denied: [['B2.2', 'B1.4'], ['P1a']],
  'auth-success': [['B2.2'], ['P1a']],
  'password-changed': [['B1.6'], ['P2a']],
  'password-failure': [['B1.6'], ['P2a']],
};

export default defineParser({
  id: 'sshd',
  title: 'OpenSSH sshd',
  description: 'OpenSSH sshd authentication lines (auth.log / secure), via syslog or files: logins with user and key, failures, sessions, disconnects',
  input: 'text',
  // sshd-session and sshd-auth are the per-connection binaries of OpenSSH 9.8+; "sshd(pam_unix)" is the old PAM tag.
  programs: ['sshd', 'sshd-session', 'sshd-auth', 'sshd(pam_unix)'],
  requirements: ['B1.4', 'B1.6', 'B2.2'],
  parse({ message, program }) {
    const u = unwrap(message);
    const pam = pamDoc(u.text, program, SSHD_PAM);
    if (pam === null) return null;
    const doc = pam ?? readSshd(u.text, u.preauth);
    if (doc && u.repeated !== undefined) mergeInto(doc, { system: { auth: { repeated: u.repeated } } });
    return doc;
  },
});
