// ECS for one audit record. Names follow Elastic's auditd integration: auditd.log.record_type and
// auditd.log.sequence, event.action in go-libaudit's words ("logged-in", "added-user-account"), the
// record's other fields under auditd.log.* (with "-" written "_": old_disk, new_mem).
// Who is who depends on the kind of record:
//   login and session records (USER_LOGIN, USER_AUTH, USER_START ...): user.* is the account logging in
//     (acct= / id=), process.user.id the uid of the program that wrote it (sshd, login: usually 0);
//   account and group management (ADD_USER, USER_CHAUTHTOK, GRP_MGMT ...): user.* is the administrator
//     (the login uid, auid), user.target.* the account, group.* the group;
//   kernel records (SYSCALL ...): user.id the uid, user.audit.id the login uid, user.effective.id the euid.
// A SYSCALL is remembered for the PATH and CWD records of the same event (same time stamp and serial),
// so that a PATH naming authorized_keys, or any path of an event whose rule key is about SSH keys,
// becomes an SSH key change (B2.1) with file.path and the syscall's action.
// VMs (libvirt's VIRT_* records) are named in libvirt.vm.{name, uuid, pid}, as vsphere.vm.* and
// proxmox.vm.* name theirs (docs/parsers.md); host.* stays the hypervisor that logged.
import type { EcsDoc } from '../../../core/event.js';
import { evidence } from '../ecs.js';
import type { ParserState } from '../state.js';
import { setSource } from '../sshd/linux-auth.js';
import type { AuditRecord } from './record.js';
import { archName, syscallName, syscallShape } from './syscalls.js';

type Shape = [action: string, category: string[], type: string[]];

const LOGIN_TYPES: Record<string, Shape> = {
  USER_LOGIN: ['logged-in', ['authentication'], ['start']],
  USER_LOGOUT: ['logged-out', ['authentication'], ['end']],
  USER_AUTH: ['authenticated', ['authentication'], ['info']],
  USER_ACCT: ['was-authorized', ['authentication'], ['info']],
  USER_ERR: ['error', ['authentication'], ['info']],
  CRED_ACQ: ['acquired-credentials', ['authentication'], ['info']],
  CRED_DISP: ['disposed-credentials', ['authentication'], ['info']],
  CRED_REFR: ['refreshed-credentials', ['authentication'], ['info']],
  USER_START: ['started-session', ['session'], ['start']],
  USER_END: ['ended-session', ['session'], ['end']],
  GRP_AUTH: ['authenticated-to-group', ['authentication'], ['info']],
  USER_CMD: ['ran-command', ['process'], ['start']],
  ANOM_LOGIN_FAILURES: ['failed-log-in-too-many-times-to', ['authentication'], ['info']],
};
const USER_MGMT_TYPES: Record<string, Shape> = {
  ADD_USER: ['added-user-account', ['iam'], ['user', 'creation']],
  DEL_USER: ['deleted-user-account', ['iam'], ['user', 'deletion']],
  USER_MGMT: ['modified-user-account', ['iam'], ['user', 'change']],
  USER_CHAUTHTOK: ['changed-password', ['iam'], ['user', 'change']],
  ACCT_LOCK: ['locked-account', ['iam'], ['user', 'change']],
  ACCT_UNLOCK: ['unlocked-account', ['iam'], ['user', 'change']],
  ROLE_ASSIGN: ['assigned-user-role-to', ['iam'], ['user', 'change']],
  ROLE_REMOVE: ['removed-user-role-from', ['iam'], ['user', 'change']],
};
const GROUP_MGMT_TYPES: Record<string, Shape> = {
  ADD_GROUP: ['added-group-account-to', ['iam'], ['group', 'creation']],
  DEL_GROUP: ['deleted-group-account-from', ['iam'], ['group', 'deletion']],
  GRP_MGMT: ['modified-group-account', ['iam'], ['group', 'change']],
  GRP_CHAUTHTOK: ['changed-group-password', ['iam'], ['group', 'change']],
};
const OTHER_TYPES: Record<string, Shape> = {
  LOGIN: ['changed-login-id-to', ['authentication'], ['start']],
  SYSTEM_BOOT: ['booted-system', ['host'], ['start']],
  SYSTEM_SHUTDOWN: ['shutdown-system', ['host'], ['end']],
  SYSTEM_RUNLEVEL: ['changed-to-runlevel', ['host'], ['change']],
  SERVICE_START: ['started-service', ['process'], ['start']],
  SERVICE_STOP: ['stopped-service', ['process'], ['end']],
  DAEMON_START: ['started-audit', ['process'], ['start']],
  DAEMON_END: ['shutdown-audit', ['process'], ['end']],
  CONFIG_CHANGE: ['changed-audit-configuration', ['configuration'], ['change']],
  NETFILTER_CFG: ['loaded-firewall-rule-to', ['configuration'], ['change']],
  KERN_MODULE: ['loaded-kernel-module', ['driver'], ['start']],
  SOFTWARE_UPDATE: ['package-updated', ['package'], ['info']],
  USYS_CONFIG: ['changed-configuration', ['configuration'], ['change']],
  EXECVE: ['executed', ['process'], ['start']],
  PROCTITLE: ['proctitle', ['process'], ['info']],
  CWD: ['cwd', ['file'], ['info']],
  VIRT_CONTROL: ['issued-vm-control', ['host'], ['info']],
  VIRT_RESOURCE: ['assigned-vm-resource', ['host', 'configuration'], ['change']],
  VIRT_MACHINE_ID: ['assigned-vm-id', ['host'], ['info']],
  VIRT_CREATE: ['created-vm-image', ['host'], ['creation']],
  VIRT_DESTROY: ['deleted-vm-image', ['host'], ['deletion']],
  VIRT_MIGRATE_IN: ['migrated-vm-from', ['host'], ['info']],
  VIRT_MIGRATE_OUT: ['migrated-vm-to', ['host'], ['info']],
};

const UNSET = new Set(['4294967295', '-1']);

/** What the kernel side of one event told the records after it. */
interface Pending {
  syscall?: string;
  key?: string;
  cwd?: string;
  success?: string;
  uid?: string;
  auid?: string;
  exe?: string;
  comm?: string;
  pid?: string;
}

function sshKeyRule(key: string | undefined): boolean {
  return key !== undefined && /ssh.?key|authorized.?keys/i.test(key);
}

function isAuthorizedKeys(path: string | undefined): boolean {
  return path !== undefined && /(?:^|\/)authorized_keys2?$/.test(path);
}

function outcomeOf(f: Record<string, string>): 'success' | 'failure' | undefined {
  const r = f.res ?? f.result;
  if (r === 'success' || r === '1' || r === 'yes') return 'success';
  if (r === 'failed' || r === 'failure' || r === '0' || r === 'no') return 'failure';
  if (f.success === 'yes') return 'success';
  if (f.success === 'no') return 'failure';
  return undefined;
}

function id(v: string | undefined): string | undefined {
  return v !== undefined && /^\d+$/.test(v) && !UNSET.has(v) ? v : undefined;
}

/** Builds the event; `hostKey` scopes the join (node or syslog host). */
export function toEcs(rec: AuditRecord, state: ParserState, hostKey: string): EcsDoc {
  const f = { ...rec.fields };
  const names = rec.names;
  const log: EcsDoc = { record_type: rec.type, sequence: rec.serial };
  if (rec.node) log.node = rec.node;
  const doc: EcsDoc = { '@timestamp': new Date(Math.round(rec.epoch * 1000)).toISOString(), event: { kind: 'event' } };
  const event = doc.event as EcsDoc;
  const take = (k: string): string | undefined => {
    const v = f[k];
    delete f[k];
    return v;
  };
  const joinKey = `${hostKey}|${rec.epoch}|${rec.serial}`;

  // The process that wrote the record.
  const proc: EcsDoc = {};
  const pid = take('pid');
  if (pid && /^\d+$/.test(pid)) proc.pid = Number(pid);
  const ppid = take('ppid');
  if (ppid && /^\d+$/.test(ppid)) proc.parent = { pid: Number(ppid) };
  const exe = take('exe');
  if (exe) proc.executable = exe;
  const comm = take('comm');
  // The program the record is about, not the forwarder (audispd) named in the syslog header.
  if (comm) proc.name = comm;
  else if (exe) proc.name = exe.slice(exe.lastIndexOf('/') + 1);
  const proctitle = take('proctitle');
  if (proctitle) proc.title = proctitle;

  const outcome = outcomeOf(f);
  delete f.res;
  delete f.result;
  if (outcome) event.outcome = outcome;

  const auid = id(take('auid'));
  if (f.ses !== undefined && UNSET.has(f.ses)) delete f.ses;
  const uid = take('uid');
  const host = take('addr') ?? take('hostname');
  delete f.hostname;
  if (host) setSource(doc, host);
  const arch = take('arch');
  // node= names the machine that audited (audit.log files carry no other host name).
  const hostDoc: EcsDoc = {};
  if (rec.node) hostDoc.name = rec.node;
  if (arch) hostDoc.architecture = archName(arch)!;
  if (Object.keys(hostDoc).length) doc.host = hostDoc;
  const audit: EcsDoc = {};
  if (auid) audit.id = auid;
  if (names.AUID) audit.name = names.AUID;

  let shape: Shape | undefined;
  let req: string[] = [];
  let pr: string[] = [];
  const user: EcsDoc = {};

  if ((shape = LOGIN_TYPES[rec.type])) {
    const rawAcct = take('acct') ?? names.ACCT;
    const acct = placeholder(rawAcct);
    if (rawAcct && !acct) f.acct = rawAcct;
    const uidOf = id(take('id'));
    if (acct) user.name = acct;
    else if (names.ID) user.name = names.ID;
    if (uidOf) user.id = uidOf;
    else if (!acct && auid && rec.type !== 'USER_CMD') user.id = auid;
    if (rec.type === 'USER_CMD') {
      // sudo's record: the user who ran the command, and the command itself.
      if (id(uid)) user.id = uid!;
      if (names.UID) user.name = names.UID;
      const cwd = take('cwd');
      if (cwd) proc.working_directory = cwd;
    } else if (id(uid) !== undefined || uid === '0') proc.user = { id: uid! };
    const failed = outcome === 'failure';
    const viaSsh = typeof exe === 'string' && /\/sshd(?:-session|-auth)?$/.test(exe);
    switch (rec.type) {
      case 'USER_LOGIN':
      case 'USER_AUTH':
      case 'USER_ACCT':
        req = failed ? ['B1.4'] : [];
        if (viaSsh && rec.type !== 'USER_ACCT') req.push('B2.2');
        pr = ['P1a'];
        break;
      case 'USER_START':
        pr = ['P1d'];
        break;
      case 'USER_END':
        pr = ['P1f'];
        break;
      case 'USER_LOGOUT':
        pr = ['P1c'];
        break;
      case 'USER_CMD':
        pr = ['P2c'];
        break;
      case 'ANOM_LOGIN_FAILURES':
        req = ['B1.2'];
        pr = ['P1a'];
        break;
    }
  } else if ((shape = USER_MGMT_TYPES[rec.type] ?? GROUP_MGMT_TYPES[rec.type])) {
    const isGroup = rec.type in GROUP_MGMT_TYPES;
    if (auid) user.id = auid;
    if (names.AUID) user.name = names.AUID;
    if (id(uid) !== undefined || uid === '0') proc.user = { id: uid! };
    const acct = take('acct');
    const idOf = id(take('id'));
    const grp = take('grp');
    const op = f.op ?? '';
    const membership = /\bgroup\b|member/i.test(op) && !/^add(?:ing)?[- ]group$/i.test(op) && !/^delet(?:e|ing)[- ]group$/i.test(op);
    if (isGroup && !(membership && grp)) {
      const g: EcsDoc = {};
      if (acct) g.name = acct;
      else if (names.ID) g.name = names.ID;
      if (idOf) g.id = idOf;
      if (Object.keys(g).length) doc.group = g;
    } else {
      const t: EcsDoc = {};
      if (acct) t.name = acct;
      else if (names.ID) t.name = names.ID;
      if (idOf) t.id = idOf;
      if (Object.keys(t).length) user.target = t;
      if (grp) doc.group = { name: grp };
    }
    if (membership && (rec.type !== 'ADD_GROUP' && rec.type !== 'DEL_GROUP' ? true : /member|user/i.test(op))) {
      const removing = /del|remov/i.test(op) || rec.type === 'DEL_USER';
      shape = [removing ? 'removed-user-from-group' : 'added-user-to-group', ['iam'], ['group', 'change']];
      req = ['B1.7'];
      pr = ['P2b'];
    } else {
      switch (rec.type) {
        case 'ADD_USER':
          req = ['B1.1'];
          pr = ['P2a'];
          break;
        case 'ADD_GROUP':
          req = ['B1.8'];
          pr = ['P2a'];
          break;
        case 'USER_CHAUTHTOK':
          // usermod -L / -U and passwd -l / -u write this type too; their op says which.
          if (/unlock/i.test(op)) req = ['B1.3'];
          else if (/\block/i.test(op)) req = ['B1.2'];
          else req = ['B1.6'];
          pr = ['P2a'];
          break;
        case 'ACCT_LOCK':
          req = ['B1.2'];
          pr = ['P2a'];
          break;
        case 'ACCT_UNLOCK':
          req = ['B1.3'];
          pr = ['P2a'];
          break;
        case 'ROLE_ASSIGN':
        case 'ROLE_REMOVE':
          req = ['B1.9'];
          pr = ['P2c'];
          break;
        default:
          pr = ['P2a'];
      }
    }
  } else if (rec.type === 'SYSCALL') {
    userIds(user, uid, f, names);
    const name = syscallName(take('syscall'), arch);
    if (name) log.syscall = name;
    const s = syscallShape(name);
    shape = s ? [s.action, [s.category], [s.type]] : ['syscall', ['process'], ['info']];
    const key = f.key;
    state.set(joinKey, { syscall: name, key, success: f.success, uid, auid, exe, comm, pid } satisfies Pending);
    if (sshKeyRule(key)) {
      req = ['B2.1'];
      pr = ['P2a'];
    }
  } else if (rec.type === 'CWD') {
    const cwd = take('cwd');
    if (cwd) {
      proc.working_directory = cwd;
      const p = state.get<Pending>(joinKey);
      state.set(joinKey, { ...(p ?? {}), cwd } satisfies Pending);
    }
    shape = OTHER_TYPES.CWD;
  } else if (rec.type === 'PATH') {
    const p = state.get<Pending>(joinKey);
    const raw = take('name');
    const path = raw && p?.cwd && !raw.startsWith('/') ? `${p.cwd.replace(/\/$/, '')}/${raw}` : raw;
    const nametype = f.nametype;
    const file: EcsDoc = {};
    if (path) {
      file.path = path;
      const slash = path.lastIndexOf('/');
      if (slash >= 0 && slash < path.length - 1) file.name = path.slice(slash + 1);
      if (slash > 0) file.directory = path.slice(0, slash);
    }
    const inode = take('inode');
    if (inode) file.inode = inode;
    const mode = take('mode');
    if (mode) file.mode = mode.slice(-4);
    const ouid = take('ouid');
    if (ouid) file.uid = ouid;
    const ogid = take('ogid');
    if (ogid) file.gid = ogid;
    if (Object.keys(file).length) doc.file = file;
    const s = syscallShape(p?.syscall);
    let type = s?.category === 'file' ? s.type : 'info';
    if (nametype === 'CREATE') type = 'creation';
    else if (nametype === 'DELETE') type = 'deletion';
    shape = [s?.category === 'file' ? s.action : 'path', ['file'], [type]];
    if (p) {
      if (p.syscall) log.syscall = p.syscall;
      if (p.key) log.key = p.key;
      userIds(user, p.uid, {}, names);
      if (p.auid && id(p.auid)) audit.id = p.auid;
      if (!proc.executable && p.exe) proc.executable = p.exe;
      if (!proc.name && p.comm) proc.name = p.comm;
      if (!proc.pid && p.pid && /^\d+$/.test(p.pid)) proc.pid = Number(p.pid);
      if (!event.outcome && p.success) event.outcome = p.success === 'yes' ? 'success' : 'failure';
    }
    if (nametype !== 'PARENT' && (isAuthorizedKeys(path) || sshKeyRule(p?.key))) {
      // An SSH key change: watches on authorized_keys fire on writes and attribute changes.
      if (type === 'info') type = 'change';
      shape = [shape[0], ['file'], [type]];
      req = ['B2.1'];
      pr = ['P2a'];
    }
  } else if (rec.type === 'EOE') {
    state.take(joinKey);
    shape = ['end-of-event', ['process'], ['info']];
  } else if (rec.type.startsWith('VIRT_')) {
    shape = OTHER_TYPES[rec.type] ?? [rec.type.toLowerCase(), ['host'], ['info']];
    userIds(user, uid, f, names);
    const vm = virt(doc, f);
    [shape, req, pr] = virtShape(rec.type, f, shape, vm);
  } else {
    shape = OTHER_TYPES[rec.type] ?? [rec.type.toLowerCase(), [], ['info']];
    userIds(user, uid, f, names);
    if (rec.type === 'EXECVE') execve(proc, f);
  }

  if (Object.keys(audit).length) user.audit = audit;
  if (Object.keys(user).length) doc.user = user;
  if (Object.keys(proc).length) doc.process = proc;
  const [action, category, type] = shape ?? [rec.type.toLowerCase(), [], ['info']];
  event.action = action;
  if (category.length) event.category = category;
  event.type = type;
  if (rec.text) doc.message = rec.text;
  for (const [k, v] of Object.entries(f)) log[k.replace(/-/g, '_')] = v;
  doc.auditd = { log };
  return req.length || pr.length ? evidence(doc, req, pr) : doc;
}

/** sshd and PAM write "(invalid user)" or "(unknown)" where there is no account name. */
function placeholder(acct: string | undefined): string | undefined {
  return acct && /^\(.*\)$/.test(acct) ? undefined : acct;
}

function userIds(user: EcsDoc, uid: string | undefined, f: Record<string, string>, names: Record<string, string>): void {
  if (uid !== undefined && /^\d+$/.test(uid)) user.id = uid;
  if (names.UID) user.name = names.UID;
  const euid = f.euid;
  if (euid !== undefined && /^\d+$/.test(euid)) {
    user.effective = { id: euid, ...(names.EUID ? { name: names.EUID } : {}) };
    delete f.euid;
  }
  const gid = f.gid;
  if (gid !== undefined && /^\d+$/.test(gid)) {
    user.group = { id: gid, ...(names.GID ? { name: names.GID } : {}) };
    delete f.gid;
  }
}

/** EXECVE: argc and a0..aN (hex when they hold blanks or quotes). */
function execve(proc: EcsDoc, f: Record<string, string>): void {
  const args: string[] = [];
  const argc = f.argc;
  for (let i = 0; `a${i}` in f; i++) {
    const v = f[`a${i}`]!;
    args.push(/^(?:[0-9A-F]{2})+$/.test(v) && v.length > 2 ? Buffer.from(v, 'hex').toString('utf8') : v);
    delete f[`a${i}`];
  }
  if (args.length) {
    proc.args = args;
    proc.args_count = argc && /^\d+$/.test(argc) ? Number(argc) : args.length;
    delete f.argc;
  }
}

interface Vm {
  name?: string;
  uuid?: string;
}

/** Moves the VM's identifiers (and the hypervisor type) from the record's fields to libvirt.*. */
function virt(doc: EcsDoc, f: Record<string, string>): Vm {
  const vm: Vm = {};
  const out: EcsDoc = {};
  if (f.vm) out.name = vm.name = f.vm;
  if (f.uuid) out.uuid = vm.uuid = f.uuid;
  if (f['vm-pid'] && /^\d+$/.test(f['vm-pid'])) out.pid = Number(f['vm-pid']);
  const lv: EcsDoc = {};
  if (Object.keys(out).length) lv.vm = out;
  if (f.virt) lv.virt = f.virt;
  if (Object.keys(lv).length) doc.libvirt = lv;
  delete f.vm;
  delete f.uuid;
  delete f['vm-pid'];
  delete f.virt;
  return vm;
}

// libvirt's resources (domain_audit.c): vcpu, mem, net (MAC), disk and fs (paths), and device kinds.
const RESOURCE_REQ: Record<string, [string, string]> = {
  vcpu: ['B5.4.1', 'P6'],
  mem: ['B5.4.2', 'P6'],
  net: ['B5.4.3', 'P3g'],
  disk: ['B5.4.4', 'P6'],
  fs: ['B5.4.4', 'P6'],
};

function virtShape(type: string, f: Record<string, string>, shape: Shape, vm: Vm): [Shape, string[], string[]] {
  if (!vm.name && !vm.uuid) return [shape, [], []];
  if (type === 'VIRT_CONTROL') {
    const op = f.op ?? '';
    // libvirt writes op=start / stop (and init for containers); other tools use create / destroy.
    if (op === 'start' || op === 'resume') return [['vm-' + op, ['host'], ['start']], ['B5.2'], ['P3a']];
    if (op === 'stop' || op === 'suspend' || op === 'shutdown') return [['vm-' + op, ['host'], ['end']], ['B5.2'], ['P3a']];
    if (op === 'create' || op === 'define') return [['vm-' + op, ['host'], ['creation']], ['B5.1'], ['P3b']];
    if (op === 'delete' || op === 'destroy' || op === 'undefine') return [['vm-' + op, ['host'], ['deletion']], ['B5.3'], ['P3b']];
    return [op ? ['vm-' + op, ['host'], ['info']] : shape, [], []];
  }
  if (type === 'VIRT_RESOURCE') {
    const r = RESOURCE_REQ[f.resrc ?? ''];
    const action = f.resrc ? `vm-resource-${f.resrc}` : shape[0];
    return r ? [[action, shape[1], shape[2]], [r[0]], [r[1]]] : [[action, shape[1], shape[2]], [], ['P6']];
  }
  if (type === 'VIRT_CREATE') return [shape, ['B5.1'], ['P3b']];
  if (type === 'VIRT_DESTROY') return [shape, ['B5.3'], ['P3b']];
  // VIRT_MACHINE_ID is libvirt's security label assignment, written at every start: not a creation.
  return [shape, [], []];
}
