// Proxmox VE task identifiers: "UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:" with pid,
// pstart (process start, in clock ticks) and starttime (Unix seconds) in hex (PVE::Tools::upid_decode).
import type { EcsDoc } from '../../../core/event.js';

export interface Upid {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: string | undefined;
  type: string;
  id: string;
  user: string;
}

const UPID = /^UPID:([^:\s]+):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):/;

/** Reads the UPID at the start of `s`; `rest` is what follows its final colon. */
export function readUpid(s: string): { upid: Upid; rest: string } | null {
  const m = UPID.exec(s);
  if (!m) return null;
  const start = parseInt(m[4]!, 16) * 1000;
  return {
    upid: {
      upid: m[0],
      node: m[1]!,
      pid: parseInt(m[2]!, 16),
      pstart: parseInt(m[3]!, 16),
      starttime: Number.isFinite(start) ? new Date(start).toISOString() : undefined,
      type: m[5]!,
      id: m[6]!,
      user: m[7]!,
    },
    rest: s.slice(m[0].length),
  };
}

export function upidFields(u: Upid): EcsDoc {
  const t: EcsDoc = { upid: u.upid, node: u.node, pid: u.pid, pstart: u.pstart, type: u.type, user: u.user };
  if (u.id) t.id = u.id;
  if (u.starttime) t.starttime = u.starttime;
  return t;
}

/** "root@pam" -> {name: root, domain: pam, id: root@pam}; an API token "root@pam!ci" keeps its id. */
export function pveUser(userid: string): EcsDoc {
  const bang = userid.indexOf('!');
  const base = bang >= 0 ? userid.slice(0, bang) : userid;
  const at = base.lastIndexOf('@');
  if (at <= 0) return { name: base, id: userid };
  return { name: base.slice(0, at), domain: base.slice(at + 1), id: userid };
}
