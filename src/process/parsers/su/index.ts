// su's syslog lines, in the forms util-linux, shadow-utils and older su write them, and its PAM lines:
//   (to root) alice on pts/0                  util-linux: switched
//   FAILED SU (to root) alice on pts/0        util-linux: refused
//   Successful su for root by alice           shadow-utils (with "+ /dev/pts/1 alice:root")
//   FAILED su for root by alice               shadow-utils (with "- /dev/pts/1 alice:root")
//   pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)
// user.name is who ran su, user.effective.name the account switched to. Every switch is a privilege
// elevation (P2c); failed ones are authentication failures too (B1.4, P1a).
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { classify, ev, setUser, unwrap } from '../sshd/linux-auth.js';
import { pamDoc, type PamTags } from '../sshd/pam.js';

interface Switch {
  actor?: string;
  target?: string;
  tty?: string;
  ok: boolean;
}

function readSwitch(t: string): Switch | null {
  let m = /^(FAILED SU )?\(to (.+?)\) (.+?) on (\S+)$/.exec(t);
  if (m) return { ok: !m[1], target: m[2], actor: m[3], tty: m[4] };
  if ((m = /^(Successful|FAILED) su for (\S+) by (\S+)$/.exec(t))) return { ok: m[1] === 'Successful', target: m[2], actor: m[3] };
  if ((m = /^([+-]) (\S+) (\S+?):(\S+)$/.exec(t))) return { ok: m[1] === '+', tty: m[2], actor: m[3], target: m[4] };
  // Older su: "BAD SU alice to root on /dev/ttyp0", "alice to root on /dev/ttyp1", "failed: ttyq4 changing from alice to root".
  if ((m = /^BAD SU (\S+) to (\S+) on (\S+)$/.exec(t))) return { ok: false, actor: m[1], target: m[2], tty: m[3] };
  if ((m = /^failed: (\S+) changing from (\S+) to (\S+)$/.exec(t))) return { ok: false, tty: m[1], actor: m[2], target: m[3] };
  if ((m = /^(\S+) to (\S+) on (\S+)$/.exec(t))) return { ok: true, actor: m[1], target: m[2], tty: m[3] };
  // util-linux, when PAM refuses: "pam_authenticate: Authentication failure"
  if ((m = /^pam_authenticate: (.*)$/.exec(t))) return { ok: false };
  return null;
}

const SU_PAM: PamTags = {
  'session-open': [[], ['P1d', 'P2c']],
  'session-close': [[], ['P1f']],
  'auth-failure': [['B1.4'], ['P1a', 'P2c']],
  denied: [[], ['P1a', 'P2c']],
};

export default defineParser({
  id: 'su',
  title: 'su',
  description: 'su switch-user lines (util-linux, shadow-utils and older forms) and its PAM lines (auth.log / secure)',
  input: 'text',
  programs: ['su', 'su(pam_unix)', 'su-l'],
  requirements: ['B1.4'],
  parse({ message, program }) {
    const u = unwrap(message);
    const pam = pamDoc(u.text, program, SU_PAM);
    if (pam !== undefined) return pam;
    const s = readSwitch(u.text);
    if (!s) return null;
    const doc: EcsDoc = { event: { kind: 'event' } };
    setUser(doc, s.actor);
    if (s.target) ((doc.user ??= {}) as EcsDoc).effective = { name: s.target };
    if (s.tty) doc.system = { auth: { su: { tty: s.tty } } };
    if (!s.ok && u.text.startsWith('pam_authenticate: ')) ev(doc).reason = u.text.slice(18);
    classify(doc, ['authentication', 'session'], ['start'], 'su', s.ok ? 'success' : 'failure');
    return s.ok ? evidence(doc, [], ['P2c']) : evidence(doc, ['B1.4'], ['P1a', 'P2c']);
  },
});
