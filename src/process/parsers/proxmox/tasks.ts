// What each Proxmox VE task type does to a guest, for the B5 lifecycle tags. qm* tasks act on QEMU VMs,
// vz* tasks on LXC containers (PVE keeps the OpenVZ-era prefix). A clone's task id is the source guest.
import type { Lifecycle } from '../vsphere/lifecycle.js';

export interface TaskMeaning {
  what: Lifecycle;
  /** B5.4 items the task itself shows (a disk resize is storage). */
  requirements?: string[];
}

const BY_SUFFIX: Record<string, TaskMeaning> = {
  create: { what: 'created' },
  restore: { what: 'created' },
  clone: { what: 'created' },
  start: { what: 'on' },
  resume: { what: 'on' },
  stop: { what: 'off' },
  shutdown: { what: 'off' },
  suspend: { what: 'suspended' },
  reboot: { what: 'restarted' },
  reset: { what: 'restarted' },
  destroy: { what: 'deleted' },
  config: { what: 'modified' },
  template: { what: 'modified' },
  resize: { what: 'modified', requirements: ['B5.4.4'] },
};

export function guestKind(type: string): 'qemu' | 'lxc' | undefined {
  if (type.startsWith('qm')) return 'qemu';
  if (type.startsWith('vz') && type !== 'vzdump') return 'lxc';
  return undefined;
}

export function taskMeaning(type: string): TaskMeaning | undefined {
  if (type === 'resize') return BY_SUFFIX.resize;
  const kind = guestKind(type);
  return kind ? BY_SUFFIX[type.slice(2)] : undefined;
}

/** Sorts "update VM 100: -cores 4 -net1 virtio,bridge=vmbr1 -delete scsi2" options into B5.4 items. */
export function configChanges(args: string): { changes: Record<string, string>; deleted: string[]; requirements: string[] } {
  const changes: Record<string, string> = {};
  const deleted: string[] = [];
  const words = args.trim().split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) continue;
    const key = w.replace(/^-+/, '');
    // A value runs to the next option ("-description web server -onboot 1").
    const parts: string[] = [];
    while (i + 1 < words.length && !/^--?[a-z][\w-]*$/.test(words[i + 1]!)) parts.push(words[++i]!);
    const value = parts.join(' ');
    if (key === 'delete' || key === 'revert') deleted.push(...value.split(',').filter(Boolean));
    else changes[key] = value;
  }
  const reqs = new Set<string>();
  for (const k of [...Object.keys(changes), ...deleted]) {
    if (/^(cores|sockets|vcpus|cpus|maxcpus)$/.test(k)) reqs.add('B5.4.1');
    else if (/^(memory|balloon|swap)$/.test(k)) reqs.add('B5.4.2');
    else if (/^net\d+$/.test(k)) reqs.add('B5.4.3');
    else if (/^(ide|sata|scsi|virtio|efidisk|tpmstate|unused|mp)\d+$|^rootfs$|^disk$/.test(k)) reqs.add('B5.4.4');
  }
  return { changes, deleted, requirements: [...reqs].sort() };
}
