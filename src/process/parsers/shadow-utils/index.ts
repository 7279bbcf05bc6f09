// shadow-utils account and group management: useradd, usermod, userdel, groupadd, groupmod, groupdel,
// gpasswd, groupmems, passwd, chpasswd, chage, chfn, chsh, newusers. Each writes one syslog line per
// change, in the formats of shadow's sources (names quoted 'x' since 4.2, `x' before):
//   useradd: new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0
//   usermod: add 'bob' to group 'wheel'          gpasswd: user bob added by root to group wheel
//   usermod: lock user 'bob' password            passwd: pam_unix(passwd:chauthtok): password changed for bob
// user.target.* is the account acted on, user.name the administrator where the line names one,
// group.name/id the group. Membership of an administrative group (wheel, sudo, admin, root, sudoers)
// is also a privilege change (B1.9, P2c).
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { classify, ev, unwrap } from '../sshd/linux-auth.js';
import { isLockoutModule, pamEvent, readPam } from '../sshd/pam.js';

const ADMIN_GROUPS = new Set(['wheel', 'sudo', 'admin', 'admins', 'root', 'sudoers']);

// A quoted name in either quoting style: 'bob' or `bob'.
const Q = "[`']([^'`]*)'";

interface Change {
  target?: string;
  targetId?: string;
  group?: string;
  groupId?: string;
  actor?: string;
  /** What the line says, for system.auth.<program>.* */
  details?: EcsDoc;
  outcome?: 'success' | 'failure';
  reason?: string;
}

type Kind =
  | 'user-created'
  | 'user-create-failed'
  | 'user-deleted'
  | 'user-changed'
  | 'user-locked'
  | 'user-unlocked'
  | 'password-changed'
  | 'password-change-failed'
  | 'password-expiry-changed'
  | 'group-created'
  | 'group-deleted'
  | 'group-changed'
  | 'group-member-added'
  | 'group-member-removed'
  | 'group-members-set'
  | 'group-administrators-set'
  | 'group-password-changed'
  | 'authentication-failure';

interface Rule {
  re: RegExp;
  kind: Kind;
  read(m: RegExpExecArray): Change;
}

const rule = (re: string, kind: Kind, read: (m: RegExpExecArray) => Change): Rule => ({ re: new RegExp(`^${re}$`), kind, read });

// Trailing ", from=/dev/pts/0" (shadow 4.4+) and gpasswd's " in /etc/gshadow"-style suffixes are allowed.
const RULES: Rule[] = [
  rule('new user: name=([^,]+), UID=(\\d+), GID=(\\d+), home=([^,]*), shell=([^,]*?)(?:, from=(.*))?', 'user-created', (m) => ({
    target: m[1],
    targetId: m[2],
    groupId: m[3],
    details: { home: m[4], shell: m[5], ...(m[6] ? { from: m[6] } : {}) },
  })),
  rule('new group: name=([^,]+), GID=(\\d+)', 'group-created', (m) => ({ group: m[1], groupId: m[2] })),
  rule('group added to (\\S+): name=([^,]+)(?:, GID=(\\d+))?', 'group-created', (m) => ({ group: m[2], groupId: m[3], details: { file: m[1] } })),
  rule(`add ${Q} to (shadow )?group ${Q}`, 'group-member-added', (m) => ({ target: m[1], group: m[3], details: shadowFile(m[2]) })),
  rule(`failed adding user ${Q}, (.*)`, 'user-create-failed', (m) => ({ target: m[1], outcome: 'failure', reason: m[2] })),
  rule(`delete ${Q} from (shadow )?group ${Q}`, 'group-member-removed', (m) => ({ target: m[1], group: m[3], details: shadowFile(m[2]) })),
  rule(`removed (shadow )?group ${Q}(?: owned by ${Q})?`, 'group-deleted', (m) => ({ group: m[2], target: m[3], details: shadowFile(m[1]) })),
  rule(`delete user ${Q}`, 'user-deleted', (m) => ({ target: m[1] })),
  rule(`lock user ${Q} password`, 'user-locked', (m) => ({ target: m[1] })),
  rule(`unlock user ${Q} password`, 'user-unlocked', (m) => ({ target: m[1] })),
  rule(`change user ${Q} password`, 'password-changed', (m) => ({ target: m[1] })),
  rule(`change user name ${Q} to ${Q}`, 'user-changed', (m) => ({ target: m[1], details: { change: 'name', old: m[1], new: m[2] } })),
  rule(`change user ${Q} (UID|GID|home|shell|inactive|expiration) from ${Q} to ${Q}`, 'user-changed', (m) => ({
    target: m[1],
    details: { change: m[2]!.toLowerCase(), old: m[3], new: m[4] },
  })),
  rule(`change (admin )?${Q} to ${Q} in (shadow )?group ${Q}`, 'group-changed', (m) => ({
    target: m[3],
    group: m[5],
    details: { change: m[1] ? 'admin-name' : 'member-name', old: m[2], new: m[3], ...shadowFile(m[4]) },
  })),
  rule(`group ${Q} removed(?: from (\\S+))?`, 'group-deleted', (m) => ({ group: m[1], details: m[2] ? { file: m[2] } : undefined })),
  rule(`remove group ${Q}`, 'group-deleted', (m) => ({ group: m[1] })),
  rule(`change group ${Q} to ${Q}`, 'group-changed', (m) => ({ group: m[1], details: { change: 'name', old: m[1], new: m[2] } })),
  rule(`change GID for ${Q} to (\\d+)`, 'group-changed', (m) => ({ group: m[1], details: { change: 'gid', new: m[2] } })),
  // groupmod: "group changed in /etc/group (group wheel2/1002, new name: wheel3)"
  rule('group changed in (\\S+) \\(group ([^/,\\s]+)(?:/(\\d+))?(?:, (.*))?\\)', 'group-changed', (m) => ({
    group: m[2],
    groupId: m[3],
    details: { file: m[1], ...(m[4] ? { change: m[4] } : {}) },
  })),
  rule(`password for ${Q} changed by ${Q}`, 'password-changed', (m) => ({ target: m[1], actor: m[2] })),
  rule(`password locked for ${Q}`, 'password-change-failed', (m) => ({ target: m[1], outcome: 'failure', reason: 'password is locked' })),
  rule(`now < minimum age for ${Q}`, 'password-change-failed', (m) => ({ target: m[1], outcome: 'failure', reason: 'password minimum age not reached' })),
  rule('incorrect password for (\\S+)', 'authentication-failure', (m) => ({ target: m[1], outcome: 'failure', reason: 'incorrect password' })),
  rule('changed password expiry for (\\S+)', 'password-expiry-changed', (m) => ({ target: m[1] })),
  rule(`changed user ${Q} information`, 'user-changed', (m) => ({ target: m[1], details: { change: 'information' } })),
  rule(`changed user ${Q} shell to ${Q}`, 'user-changed', (m) => ({ target: m[1], details: { change: 'shell', new: m[2] } })),
  // gpasswd
  rule('user (\\S+) added by (\\S+) to group (\\S+?)(?: in (\\S+))?', 'group-member-added', (m) => ({ target: m[1], actor: m[2], group: m[3], details: m[4] ? { file: m[4] } : undefined })),
  rule('user (\\S+) removed by (\\S+) from group (\\S+?)(?: in (\\S+))?', 'group-member-removed', (m) => ({ target: m[1], actor: m[2], group: m[3], details: m[4] ? { file: m[4] } : undefined })),
  rule('members of group (\\S+) set by (\\S+) to (.*?)(?: in (/\\S+))?', 'group-members-set', (m) => ({ group: m[1], actor: m[2], details: { members: list(m[3]) } })),
  rule('administrators of group (\\S+) set by (\\S+) to (.*?)(?: in (/\\S+))?', 'group-administrators-set', (m) => ({ group: m[1], actor: m[2], details: { administrators: list(m[3]) } })),
  rule('password of group (\\S+) (changed|removed) by (\\S+?)(?: in (\\S+))?', 'group-password-changed', (m) => ({ group: m[1], actor: m[3], details: { change: m[2] } })),
  rule('access to group (\\S+) restricted by (\\S+?)(?: in (\\S+))?', 'group-changed', (m) => ({ group: m[1], actor: m[2], details: { change: 'restricted' } })),
  rule('(\\S+) failed to add user (\\S+) to group (\\S+?)(?: in (\\S+))?', 'group-member-added', (m) => ({ actor: m[1], target: m[2], group: m[3], outcome: 'failure' })),
  rule('(\\S+) failed to remove user (\\S+) from group (\\S+?)(?: in (\\S+))?', 'group-member-removed', (m) => ({ actor: m[1], target: m[2], group: m[3], outcome: 'failure' })),
  // groupmems
  rule('add member (\\S+) to group (\\S+) by (\\S+)', 'group-member-added', (m) => ({ target: m[1], group: m[2], actor: m[3] })),
  rule('remove member (\\S+) from group (\\S+) by (\\S+)', 'group-member-removed', (m) => ({ target: m[1], group: m[2], actor: m[3] })),
  rule('set members of (\\S+) to (.*)', 'group-members-set', (m) => ({ group: m[1], details: { members: list(m[2]) } })),
  // the cleanup the tools run when a change fails half-way
  rule('failed to add user (\\S+)', 'user-create-failed', (m) => ({ target: m[1], outcome: 'failure' })),
  rule('failed to add group (\\S+)', 'group-created', (m) => ({ group: m[1], outcome: 'failure' })),
];

function shadowFile(shadow: string | undefined): EcsDoc | undefined {
  return shadow ? { file: '/etc/gshadow' } : undefined;
}

function list(s: string | undefined): string[] {
  return s ? s.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

/** ECS category/type and requirement tags per kind; [requirements, principles]. */
const SHAPES: Record<Kind, { type: string[]; category?: string[]; req: string[]; pr: string[] }> = {
  'user-created': { type: ['user', 'creation'], req: ['B1.1'], pr: ['P2a'] },
  'user-create-failed': { type: ['user', 'creation'], req: ['B1.1'], pr: ['P2a'] },
  'user-deleted': { type: ['user', 'deletion'], req: [], pr: ['P2a'] },
  'user-changed': { type: ['user', 'change'], req: [], pr: ['P2a'] },
  'user-locked': { type: ['user', 'change'], req: ['B1.2'], pr: ['P2a'] },
  'user-unlocked': { type: ['user', 'change'], req: ['B1.3'], pr: ['P2a'] },
  'password-changed': { type: ['user', 'change'], req: ['B1.6'], pr: ['P2a'] },
  'password-change-failed': { type: ['user', 'change'], req: ['B1.6'], pr: ['P2a'] },
  'password-expiry-changed': { type: ['user', 'change'], req: [], pr: ['P2a'] },
  'group-created': { type: ['group', 'creation'], req: ['B1.8'], pr: ['P2a'] },
  'group-deleted': { type: ['group', 'deletion'], req: [], pr: ['P2a'] },
  'group-changed': { type: ['group', 'change'], req: [], pr: ['P2a'] },
  'group-member-added': { type: ['group', 'change'], req: ['B1.7'], pr: ['P2b'] },
  'group-member-removed': { type: ['group', 'change'], req: ['B1.7'], pr: ['P2b'] },
  'group-members-set': { type: ['group', 'change'], req: ['B1.7'], pr: ['P2b'] },
  'group-administrators-set': { type: ['group', 'change'], req: ['B1.9'], pr: ['P2c'] },
  'group-password-changed': { type: ['group', 'change'], req: [], pr: ['P2a'] },
  'authentication-failure': { type: ['info'], category: ['authentication'], req: ['B1.4'], pr: ['P1a'] },
};

function build(program: string, kind: Kind, c: Change): EcsDoc {
  const doc: EcsDoc = { event: { kind: 'event' } };
  const shape = SHAPES[kind];
  classify(doc, shape.category ?? ['iam'], shape.type, kind, c.outcome ?? 'success');
  if (c.reason) ev(doc).reason = c.reason;
  const user: EcsDoc = {};
  if (c.actor) user.name = c.actor;
  if (c.target || c.targetId) user.target = { ...(c.target ? { name: c.target } : {}), ...(c.targetId ? { id: c.targetId } : {}) };
  if (c.details?.change === 'name' && kind === 'user-changed') user.changes = { name: c.details.new as string };
  if (Object.keys(user).length) doc.user = user;
  if (c.group || c.groupId) doc.group = { ...(c.group ? { name: c.group } : {}), ...(c.groupId ? { id: c.groupId } : {}) };
  if (c.details) {
    const d: EcsDoc = {};
    for (const [k, v] of Object.entries(c.details)) if (v !== undefined && v !== '') d[k] = v;
    if (Object.keys(d).length) doc.system = { auth: { [program.replace(/[^a-z]/g, '')]: d } };
  }
  const members = c.details?.members ?? c.details?.administrators;
  if (Array.isArray(members) && members.length) doc.related = { user: members as string[] };
  const req = [...shape.req];
  const pr = [...shape.pr];
  // Membership of a group that grants administration is a privilege change as well.
  if (c.group && ADMIN_GROUPS.has(c.group) && (kind === 'group-member-added' || kind === 'group-member-removed' || kind === 'group-members-set')) {
    req.push('B1.9');
    pr.push('P2c');
  }
  return evidence(doc, req, pr);
}

const PROGRAMS = ['useradd', 'usermod', 'userdel', 'groupadd', 'groupdel', 'groupmod', 'gpasswd', 'groupmems', 'passwd', 'chpasswd', 'chgpasswd', 'chage', 'chfn', 'chsh', 'newusers'];

export default defineParser({
  id: 'shadow-utils',
  title: 'shadow-utils account management',
  description: 'useradd, usermod, userdel, groupadd, groupmod, groupdel, gpasswd, passwd, chpasswd, chage and friends: local account and group changes',
  input: 'text',
  programs: [...PROGRAMS, 'passwd(pam_unix)'],
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9'],
  parse({ message, program }) {
    const u = unwrap(message);
    const prog = program ?? '';
    const p = readPam(u.text, program);
    if (p) {
      if (isLockoutModule(p)) return null;
      const { doc, kind } = pamEvent(p);
      if (kind === 'password-changed' || kind === 'password-failure') return evidence(doc, ['B1.6'], ['P2a']);
      if (kind === 'auth-failure') return evidence(doc, ['B1.4'], ['P1a']);
      if (kind === 'session-open') return evidence(doc, [], ['P1d']);
      if (kind === 'session-close') return evidence(doc, [], ['P1f']);
      return doc;
    }
    const text = u.text.replace(/(?:\n|#012)$/, '');
    for (const r of RULES) {
      const m = r.re.exec(text);
      if (m) return build(prog, r.kind, r.read(m));
    }
    return null;
  },
});
