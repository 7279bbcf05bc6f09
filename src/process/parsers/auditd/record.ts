// One Linux audit record as text, in the forms audit.log, audispd / audisp-syslog and the kernel write:
//   type=USER_LOGIN msg=audit(1795430400.123:4521): pid=812 uid=0 auid=1000 ses=7 msg='op=login id=1000 exe="/usr/sbin/sshd" ... res=success'
//   node=hv1 type=VIRT_CONTROL msg=audit(...): ... msg='virt=kvm op=start reason=booted vm="web1" uuid=... res=success'
//   audit: type=1112 audit(1795430400.123:4521): pid=812 ...        (numeric type: kernel / journald forms)
// With log_format=ENRICHED the record ends in a group separator (0x1D, "#035" once syslog has escaped it)
// and the names of the ids ("UID="root" AUID="alice"").
// Values are `key=value`, `key="quoted"`, or hex when they contain blanks, quotes or control bytes
// (audit's "untrusted string" encoding), which is decoded here for the fields that use it.

export interface AuditRecord {
  node?: string;
  type: string;
  /** Seconds since the epoch, with milliseconds. */
  epoch: number;
  serial: number;
  /** Fields of the record and of its inner msg='...', inner ones winning; hex decoded; "?" and "(null)" dropped. */
  fields: Record<string, string>;
  /** ENRICHED names: UID, AUID, EUID, ID ... */
  names: Record<string, string>;
  /** The text of msg='...' when it is not key=value (kernel and some user-space records). */
  text?: string;
}

const HEAD = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+(?:\.\d+)?):(\d+)\): ?/;
const KERNEL_HEAD = /^(?:audit: )?type=(\d+) audit\((\d+(?:\.\d+)?):(\d+)\): ?/;

// Record type numbers (linux/audit.h and libaudit.h) for the forms that print them as numbers.
const TYPE_NUMBERS: Record<string, string> = {
  1006: 'LOGIN', 1100: 'USER_AUTH', 1101: 'USER_ACCT', 1102: 'USER_MGMT', 1103: 'CRED_ACQ', 1104: 'CRED_DISP',
  1105: 'USER_START', 1106: 'USER_END', 1107: 'USER_AVC', 1108: 'USER_CHAUTHTOK', 1109: 'USER_ERR', 1110: 'CRED_REFR',
  1111: 'USYS_CONFIG', 1112: 'USER_LOGIN', 1113: 'USER_LOGOUT', 1114: 'ADD_USER', 1115: 'DEL_USER', 1116: 'ADD_GROUP',
  1117: 'DEL_GROUP', 1119: 'CHGRP_ID', 1123: 'USER_CMD', 1124: 'USER_TTY', 1125: 'CHUSER_ID', 1126: 'GRP_AUTH',
  1127: 'SYSTEM_BOOT', 1128: 'SYSTEM_SHUTDOWN', 1129: 'SYSTEM_RUNLEVEL', 1130: 'SERVICE_START', 1131: 'SERVICE_STOP',
  1132: 'GRP_MGMT', 1133: 'GRP_CHAUTHTOK', 1135: 'ACCT_LOCK', 1136: 'ACCT_UNLOCK', 1138: 'SOFTWARE_UPDATE',
  1300: 'SYSCALL', 1302: 'PATH', 1305: 'CONFIG_CHANGE', 1306: 'SOCKADDR', 1307: 'CWD', 1309: 'EXECVE', 1320: 'EOE',
  1325: 'NETFILTER_CFG', 1326: 'SECCOMP', 1327: 'PROCTITLE', 1330: 'KERN_MODULE', 1400: 'AVC', 1701: 'ANOM_ABEND',
  2100: 'ANOM_LOGIN_FAILURES', 2101: 'ANOM_LOGIN_TIME', 2102: 'ANOM_LOGIN_SESSIONS', 2103: 'ANOM_LOGIN_ACCT',
  2104: 'ANOM_LOGIN_LOCATION', 2300: 'ROLE_ASSIGN', 2301: 'ROLE_REMOVE', 2500: 'VIRT_CONTROL', 2501: 'VIRT_RESOURCE',
  2502: 'VIRT_MACHINE_ID', 2503: 'VIRT_INTEGRITY_CHECK', 2504: 'VIRT_CREATE', 2505: 'VIRT_DESTROY',
  2506: 'VIRT_MIGRATE_IN', 2507: 'VIRT_MIGRATE_OUT',
};

// Fields audit writes with its untrusted-string encoding (hex when not quoted), as Elastic's pipeline lists them.
const HEX_FIELDS = new Set([
  'exe', 'cmd', 'data', 'path', 'comm', 'file', 'name', 'watch', 'cwd', 'acct', 'dir', 'vm', 'key', 'ocomm', 'grp',
  'new_group', 'sw', 'root_dir', 'proctitle', 'device', 'cgroup', 'old-chardev', 'new-chardev', 'old-disk', 'new-disk',
  'old-fs', 'new-fs', 'old-net', 'new-net', 'old-rng', 'new-rng', 'apparmor', 'operation', 'profile', 'info',
]);
const HEX = /^(?:[0-9A-F]{2})+$/;

/** Decodes audit's hex encoding; NUL (between proctitle's arguments) becomes a blank, key's 0x01 separator a comma. */
export function decodeHex(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end).toString('utf8').replace(/\u0000/g, ' ').replace(/\u0001/g, ',');
}

interface Token {
  key: string;
  value: string;
  quote: '' | '"' | "'";
}

/**
 * key=value tokens. An unquoted value runs to the next blank that starts another key=, so that
 * shadow-utils' "op=adding user acct=..." keeps "adding user" together, as Elastic's kv split does.
 */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 0x20) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && text[j] !== '=' && text[j] !== ' ') j++;
    if (j >= n || text[j] === ' ') {
      // A word with no "=": part of the previous unquoted value, or noise.
      const prev = out[out.length - 1];
      if (prev && prev.quote === '') prev.value += ' ' + text.slice(i, j);
      i = j;
      continue;
    }
    const key = text.slice(i, j);
    let k = j + 1;
    const q = text[k];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, k + 1);
      const end = close < 0 ? n : close;
      out.push({ key, value: text.slice(k + 1, end), quote: q });
      i = end + 1;
      continue;
    }
    while (k < n && text.charCodeAt(k) !== 0x20) k++;
    out.push({ key, value: text.slice(j + 1, k), quote: '' });
    i = k;
  }
  return out;
}

function put(fields: Record<string, string>, t: Token): void {
  let v = t.value;
  if (t.quote === '' && HEX_FIELDS.has(t.key) && HEX.test(v)) v = decodeHex(v);
  if (v === '?' || v === '(null)' || v === '(none)' || v === '') return;
  fields[t.key] = v;
}

/** Reads a record; null when the text is not one. */
export function readRecord(message: string): AuditRecord | null {
  let text = message;
  let node: string | undefined;
  let type: string | undefined;
  let epoch: number;
  let serial: number;
  let m = HEAD.exec(text);
  if (m) {
    node = m[1];
    type = m[2]!;
    epoch = Number(m[3]);
    serial = Number(m[4]);
  } else {
    m = KERNEL_HEAD.exec(text);
    if (!m) return null;
    type = TYPE_NUMBERS[m[1]!] ?? m[1]!;
    epoch = Number(m[2]);
    serial = Number(m[3]);
  }
  text = text.slice(m[0].length);
  // Old LOGIN records: "old auid=4294967295 new auid=1000 old ses=4294967295 new ses=3".
  if (text.includes(' auid=') && / (?:old|new) (?:auid|ses)=/.test(text)) text = text.replace(/\bold (auid|ses)=/g, 'old-$1=').replace(/\bnew (auid|ses)=/g, '$1=');
  // ENRICHED: the translated names after the group separator.
  const names: Record<string, string> = {};
  let gs = text.indexOf('\u001d');
  let gsLen = 1;
  if (gs < 0) {
    gs = text.indexOf('#035');
    gsLen = 4;
  }
  if (gs >= 0) {
    for (const t of tokens(text.slice(gs + gsLen))) if (t.value && t.value !== '?' && t.value !== 'unset') names[t.key] = t.value;
    text = text.slice(0, gs);
  }
  const fields: Record<string, string> = {};
  let inner: string | undefined;
  for (const t of tokens(text)) {
    if (t.key === 'msg' && t.quote === "'") inner = t.value;
    else put(fields, t);
  }
  let free: string | undefined;
  if (inner !== undefined) {
    const its = tokens(inner);
    if (its.length === 0) free = inner;
    for (const t of its) put(fields, t);
  }
  const rec: AuditRecord = { type, epoch, serial, fields, names };
  if (node) rec.node = node;
  if (free) rec.text = free;
  return rec;
}
