// The configuration changes a VmReconfiguredEvent lists (vSphere 6.5+), sorted into the B5.4 items:
//   Modified: config.hardware.numCPU: 2 -> 4; config.hardware.memoryMB: 4096 -> 8192;
//   Added:    config.hardware.device(4001): (key = 4001, deviceInfo = (label = "Network adapter 2", ...
//   Deleted:  config.hardware.device(2001): (...)
// Devices are recognised by label, type name or backing, else by vSphere's default device key ranges
// (2000-2999 SCSI disks, 16000-16999 SATA disks, 31000-31999 NVMe disks, 4000-4999 network adapters).
import type { EcsDoc } from '../../../core/event.js';

export interface Reconfig {
  doc: EcsDoc;
  cpu: boolean;
  memory: boolean;
  network: boolean;
  storage: boolean;
}

const MAX_ENTRIES = 50;
const MAX_ENTRY_CHARS = 500;

const NETWORK = /Network adapter|VirtualEthernetCard|VirtualVmxnet|VirtualE1000|VirtualPCNet32|VirtualSriovEthernetCard|macAddress|\.backing\.(deviceName|network|port)\b|device\(4\d{3}\)/;
const STORAGE = /Hard disk|VirtualDisk|CD\/DVD|VirtualCdrom|capacityIn(KB|Bytes)|\.vmdk|\.iso\b|device\((2\d{3}|16\d{3}|31\d{3})\)/;

function fromTo(entry: string): { from: number; to: number } | undefined {
  const m = /:\s*(\d+)\s*->\s*(\d+)/.exec(entry);
  return m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
}

/** Reads the change list; `text` is what follows "Reconfigured <vm> on <host> in <dc>." */
export function readReconfig(text: string): Reconfig | null {
  // vCenter escapes the event's line breaks as "\n" on the syslog line.
  const body = text.replace(/\\n/g, '\n');
  const sections: Record<string, string[]> = {};
  const re = /\b(Modified|Added|Deleted):/g;
  const marks: { name: string; at: number; end: number }[] = [];
  for (let m = re.exec(body); m; m = re.exec(body)) marks.push({ name: m[1]!.toLowerCase(), at: m.index, end: re.lastIndex });
  if (!marks.length) return null;
  marks.forEach((mk, i) => {
    const chunk = body.slice(mk.end, i + 1 < marks.length ? marks[i + 1]!.at : body.length);
    const entries = chunk
      .split(';')
      .map((e) => e.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .slice(0, MAX_ENTRIES)
      .map((e) => (e.length > MAX_ENTRY_CHARS ? e.slice(0, MAX_ENTRY_CHARS) + '…' : e));
    if (entries.length) sections[mk.name] = [...(sections[mk.name] ?? []), ...entries];
  });
  const r: Reconfig = { doc: { ...sections }, cpu: false, memory: false, network: false, storage: false };
  for (const entries of Object.values(sections)) {
    for (const e of entries) {
      if (/\bnum(CPU|CoresPerSocket)\b/.test(e)) {
        r.cpu = true;
        const ft = /\bnumCPU\b/.test(e) ? fromTo(e) : undefined;
        if (ft) r.doc.cpu = ft;
      } else if (/\bmemoryMB\b/.test(e)) {
        r.memory = true;
        const ft = fromTo(e);
        if (ft) r.doc.memory_mb = ft;
      } else if (NETWORK.test(e)) r.network = true;
      else if (STORAGE.test(e)) r.storage = true;
    }
  }
  const kinds = (['cpu', 'memory', 'network', 'storage'] as const).filter((k) => r[k]);
  if (kinds.length) r.doc.changes = [...kinds];
  return r;
}
