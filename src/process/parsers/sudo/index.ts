// sudo's syslog lines (sudoers plugin log format) and its PAM lines:
//   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx
//   bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls
//   carol : user NOT in sudoers ; TTY=pts/2 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh
//   pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)
// Every command line is a privilege elevation (P2c): user.name is who ran sudo, user.effective.name the
// account assumed; the details go to system.auth.sudo.* as in Elastic's system integration. Wrong
// passwords are authentication failures (B1.4, P1a); refusals by policy are failures without B1.4.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { classify, ev, setUser, unwrap } from '../sshd/linux-auth.js';
import { pamDoc, type PamTags } from '../sshd/pam.js';

const HEAD = /^\s*(\S+) : (.*)$/s;
const KEYS: Record<string, string> = { TTY: 'tty', PWD: 'pwd', USER: 'user', GROUP: 'group', TSID: 'tsid', ENV: 'env', CHROOT: 'chroot', CWD: 'pwd' };

function sudoLine(actor: string, rest: string): EcsDoc | null {
  const doc: EcsDoc = { event: { kind: 'event' } };
  const sudo: EcsDoc = {};
  if (rest.startsWith('(command continued) ')) {
    // sudo splits a long command over several lines; the first one carries the event.
    setUser(doc, actor);
    sudo.command_continued = rest.slice(20);
    doc.system = { auth: { sudo } };
    return classify(doc, ['process'], ['info'], 'command-continued');
  }
  // COMMAND= comes last and may itself contain " ; ".
  let head = rest;
  const at = rest.startsWith('COMMAND=') ? 0 : rest.indexOf(' ; COMMAND=');
  if (at >= 0) {
    sudo.command = rest.slice(at === 0 ? 8 : at + 11);
    head = at === 0 ? '' : rest.slice(0, at);
  }
  const errors: string[] = [];
  let fields = 0;
  for (const part of head ? head.split(' ; ') : []) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? KEYS[part.slice(0, eq)] : undefined;
    if (key) {
      sudo[key] = part.slice(eq + 1);
      fields++;
    } else errors.push(part.trim());
  }
  if (!sudo.command && fields === 0) return null;
  setUser(doc, actor);
  const user = doc.user as EcsDoc;
  if (sudo.user) user.effective = { name: sudo.user as string };
  if (sudo.group) ((user.effective ??= {}) as EcsDoc).group = { name: sudo.group as string };
  doc.system = { auth: { sudo } };
  if (errors.length === 0) {
    classify(doc, ['process'], ['start'], 'sudo-command', 'success');
    return evidence(doc, [], ['P2c']);
  }
  const error = errors.join(' ; ');
  sudo.error = error;
  ev(doc).reason = error;
  const m = /^(\d+) incorrect password attempts?$/.exec(errors[0]!);
  if (m) {
    sudo.incorrect_password_attempts = Number(m[1]);
    classify(doc, ['authentication', 'process'], ['start'], 'sudo-command', 'failure');
    return evidence(doc, ['B1.4'], ['P1a', 'P2c']);
  }
  // Refused by policy ("user NOT in sudoers", "command not allowed", "a password is required"): an
  // authorisation failure rather than a failed authentication.
  classify(doc, ['process'], ['start'], 'sudo-command', 'failure');
  return evidence(doc, [], ['P1a', 'P2c']);
}

const SUDO_PAM: PamTags = {
  'session-open': [[], ['P1d', 'P2c']],
  'session-close': [[], ['P1f']],
  'auth-failure': [['B1.4'], ['P1a', 'P2c']],
  denied: [[], ['P1a', 'P2c']],
};

export default defineParser({
  id: 'sudo',
  title: 'sudo',
  description: 'sudo command log lines and its PAM lines (auth.log / secure): who ran what as whom, wrong passwords, refusals, sessions',
  input: 'text',
  programs: ['sudo'],
  requirements: ['B1.4'],
  parse({ message, program }) {
    const u = unwrap(message);
    const pam = pamDoc(u.text, program, SUDO_PAM);
    if (pam !== undefined) return pam;
    const m = HEAD.exec(u.text);
    if (m) return sudoLine(m[1]!, m[2]!);
    // sudo's own errors: "unable to resolve host x: Name or service not known", "unable to execute /usr/sbin/sendmail: ..."
    if (/^unable to (?:resolve host|execute|open|send mail)/.test(u.text)) {
      const doc: EcsDoc = { event: { kind: 'event', type: ['info'], action: 'sudo-error' }, error: { message: u.text } };
      return doc;
    }
    return null;
  },
});
