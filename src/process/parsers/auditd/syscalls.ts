// Syscall names for the numbers raw audit.log carries (x86_64 and aarch64, the architectures Vigil's
// hosts run), and what each does to a file, in go-libaudit's words as Elastic's auditd pipeline uses
// them (event.action "opened-file", "renamed", "deleted" ...). Only the calls that matter for file and
// process auditing are listed; others keep their number.

const X86_64: Record<number, string> = {
  0: 'read', 1: 'write', 2: 'open', 4: 'stat', 6: 'lstat', 42: 'connect', 43: 'accept', 49: 'bind', 50: 'listen',
  56: 'clone', 57: 'fork', 59: 'execve', 62: 'kill', 76: 'truncate', 77: 'ftruncate', 82: 'rename', 83: 'mkdir',
  84: 'rmdir', 85: 'creat', 86: 'link', 87: 'unlink', 88: 'symlink', 90: 'chmod', 91: 'fchmod', 92: 'chown',
  93: 'fchown', 94: 'lchown', 105: 'setuid', 106: 'setgid', 113: 'setreuid', 117: 'setresuid', 165: 'mount',
  166: 'umount2', 188: 'setxattr', 189: 'lsetxattr', 190: 'fsetxattr', 197: 'removexattr', 257: 'openat',
  258: 'mkdirat', 260: 'fchownat', 263: 'unlinkat', 264: 'renameat', 265: 'linkat', 266: 'symlinkat',
  268: 'fchmodat', 288: 'accept4', 313: 'finit_module', 316: 'renameat2', 322: 'execveat', 437: 'openat2',
};
const AARCH64: Record<number, string> = {
  5: 'setxattr', 6: 'lsetxattr', 7: 'fsetxattr', 14: 'removexattr', 34: 'mkdirat', 35: 'unlinkat', 36: 'symlinkat',
  37: 'linkat', 38: 'renameat', 40: 'mount', 39: 'umount2', 45: 'truncate', 46: 'ftruncate', 52: 'fchmod',
  53: 'fchmodat', 54: 'fchownat', 55: 'fchown', 56: 'openat', 63: 'read', 64: 'write', 129: 'kill', 146: 'setuid',
  144: 'setgid', 198: 'socket', 200: 'bind', 201: 'listen', 202: 'accept', 203: 'connect', 220: 'clone',
  221: 'execve', 242: 'accept4', 273: 'finit_module', 276: 'renameat2', 281: 'execveat', 437: 'openat2',
};
const ARCHES: Record<string, { name: string; table: Record<number, string> }> = {
  c000003e: { name: 'x86_64', table: X86_64 },
  c00000b7: { name: 'aarch64', table: AARCH64 },
};

export function archName(arch: string | undefined): string | undefined {
  return arch ? (ARCHES[arch.toLowerCase()]?.name ?? arch) : undefined;
}

/** The syscall's name: audit.log has numbers, ausearch -i and the enriched format have names. */
export function syscallName(syscall: string | undefined, arch: string | undefined): string | undefined {
  if (!syscall) return undefined;
  if (!/^\d+$/.test(syscall)) return syscall;
  const table = arch ? ARCHES[arch.toLowerCase()]?.table : undefined;
  return table?.[Number(syscall)] ?? syscall;
}

export interface SyscallShape {
  action: string;
  category: string;
  type: string;
}

const S = (action: string, category: string, type: string): SyscallShape => ({ action, category, type });
const SHAPES: Record<string, SyscallShape> = {
  open: S('opened-file', 'file', 'info'),
  openat: S('opened-file', 'file', 'info'),
  openat2: S('opened-file', 'file', 'info'),
  creat: S('opened-file', 'file', 'creation'),
  read: S('read-file', 'file', 'info'),
  write: S('wrote-to-file', 'file', 'change'),
  truncate: S('opened-file', 'file', 'change'),
  ftruncate: S('opened-file', 'file', 'change'),
  rename: S('renamed', 'file', 'change'),
  renameat: S('renamed', 'file', 'change'),
  renameat2: S('renamed', 'file', 'change'),
  unlink: S('deleted', 'file', 'deletion'),
  unlinkat: S('deleted', 'file', 'deletion'),
  rmdir: S('deleted', 'file', 'deletion'),
  mkdir: S('created-directory', 'file', 'creation'),
  mkdirat: S('created-directory', 'file', 'creation'),
  link: S('linked', 'file', 'creation'),
  linkat: S('linked', 'file', 'creation'),
  symlink: S('symlinked', 'file', 'creation'),
  symlinkat: S('symlinked', 'file', 'creation'),
  chmod: S('changed-file-permissions-of', 'file', 'change'),
  fchmod: S('changed-file-permissions-of', 'file', 'change'),
  fchmodat: S('changed-file-permissions-of', 'file', 'change'),
  chown: S('changed-file-ownership-of', 'file', 'change'),
  fchown: S('changed-file-ownership-of', 'file', 'change'),
  lchown: S('changed-file-ownership-of', 'file', 'change'),
  fchownat: S('changed-file-ownership-of', 'file', 'change'),
  setxattr: S('changed-file-attributes-of', 'file', 'change'),
  lsetxattr: S('changed-file-attributes-of', 'file', 'change'),
  fsetxattr: S('changed-file-attributes-of', 'file', 'change'),
  removexattr: S('changed-file-attributes-of', 'file', 'change'),
  execve: S('executed', 'process', 'start'),
  execveat: S('executed', 'process', 'start'),
  kill: S('killed-pid', 'process', 'end'),
  setuid: S('changed-identity-of', 'process', 'change'),
  setgid: S('changed-identity-of', 'process', 'change'),
  setreuid: S('changed-identity-of', 'process', 'change'),
  setresuid: S('changed-identity-of', 'process', 'change'),
  connect: S('connected-to', 'network', 'connection'),
  accept: S('accepted-connection-from', 'network', 'connection'),
  accept4: S('accepted-connection-from', 'network', 'connection'),
  bind: S('bound-socket', 'network', 'start'),
  listen: S('listen-for-connections', 'network', 'start'),
  mount: S('mounted', 'file', 'creation'),
  umount2: S('unmounted', 'file', 'deletion'),
  finit_module: S('loaded-kernel-module', 'driver', 'start'),
};

export function syscallShape(name: string | undefined): SyscallShape | undefined {
  return name ? SHAPES[name] : undefined;
}
