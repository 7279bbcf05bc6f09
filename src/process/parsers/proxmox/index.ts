// Proxmox VE daemons over syslog (pvedaemon, pveproxy, pvescheduler, pve-ha-lrm, qm, pct...): task start
// and end lines ("<root@pam> starting task UPID:pve1:...:qmstart:100:root@pam:", "... end task UPID:...: OK"),
// guest configuration updates ("<root@pam> update VM 100: -cores 4 -memory 8192") and logins.
// A finished task on a guest is B5.1 (qmcreate, vzcreate, qmclone, qmrestore), B5.2 (start, stop,
// shutdown, reboot, suspend, resume: reboot is the restart flag), B5.3 (destroy); configuration
// updates and disk resizes are B5.4.x by the options they name; failed logins are B1.4.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence, isIp } from '../ecs.js';
import { lifecycle } from '../vsphere/lifecycle.js';
import { configChanges, guestKind, taskMeaning } from './tasks.js';
import { pveUser, readUpid, upidFields } from './upid.js';

const PROGRAMS = ['pvedaemon', 'pveproxy', 'pvescheduler', 'pve-ha-lrm', 'pve-ha-crm', 'pve-guests', 'qm', 'pct', 'pvesh', 'vzdump', 'pvestatd', 'qmeventd'];

function task(doc: EcsDoc, phase: 'start' | 'end', text: string): boolean {
  const r = readUpid(text);
  if (!r) return false;
  const { upid } = r;
  const event = doc.event as EcsDoc;
  const t = upidFields(upid);
  event.action = `task-${phase}`;
  if (!doc.user) doc.user = pveUser(upid.user);
  const kind = guestKind(upid.type);
  const meaning = taskMeaning(upid.type);
  if (kind && upid.id) {
    // A clone's task names its source guest; the new guest's id is not in the UPID.
    if (upid.type.endsWith('clone')) mergeInto(doc, { proxmox: { vm: { source_id: upid.id, type: kind } } });
    else mergeInto(doc, { proxmox: { vm: { id: upid.id, type: kind } } });
  }
  if (phase === 'end') {
    const status = r.rest.replace(/^:?\s*/, '').trim();
    if (status) {
      t.status = status;
      // "OK", or "WARNINGS: 2": the task finished; anything else is its error message.
      const ok = status === 'OK' || status.startsWith('WARNINGS');
      event.outcome = ok ? 'success' : 'failure';
      if (!ok) event.reason = status;
    }
    if (meaning && (kind || upid.type === 'resize')) {
      lifecycle(doc, 'vm', [meaning.what], meaning.what === 'modified' ? (meaning.requirements ? { requirements: meaning.requirements, principles: ['P6'] } : {}) : {});
      event.action = `${upid.type}`;
    } else Object.assign(event, { category: ['host'], type: ['end'] });
  } else Object.assign(event, { category: ['host'], type: ['info'] });
  mergeInto(doc, { proxmox: { task: t } });
  return true;
}

function update(doc: EcsDoc, guest: string, vmid: string, args: string): void {
  const { changes, deleted, requirements } = configChanges(args);
  const kind = guest === 'VM' ? 'qemu' : 'lxc';
  const config: EcsDoc = {};
  if (Object.keys(changes).length) config.changes = changes;
  if (deleted.length) config.deleted = deleted;
  mergeInto(doc, { proxmox: { vm: { id: vmid, type: kind }, config } });
  const principles = [...(requirements.includes('B5.4.3') ? ['P3g'] : []), ...(requirements.some((r) => r !== 'B5.4.3') ? ['P6'] : [])];
  lifecycle(doc, 'vm', ['modified'], requirements.length ? { requirements, principles } : {});
  (doc.event as EcsDoc).action = args.trimStart().startsWith('resize') ? 'resize' : 'update-config';
}

export default defineParser({
  id: 'proxmox',
  title: 'Proxmox VE',
  description: 'Proxmox VE daemon lines: guest tasks (UPID start/end), configuration updates, API logins',
  input: 'text',
  programs: PROGRAMS,
  requirements: ['B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4', 'B1.4'],
  parse({ message }) {
    let text = message.trim();
    const doc: EcsDoc = { event: { kind: 'event' } };
    const event = doc.event as EcsDoc;
    // "<root@pam> ..." names the API user the daemon acts for.
    const who = /^<([^>\s]+)> /.exec(text);
    if (who) {
      doc.user = pveUser(who[1]!);
      text = text.slice(who[0].length);
    }
    let m = /^(starting|end) task (UPID:.*)$/.exec(text);
    if (m && task(doc, m[1] === 'starting' ? 'start' : 'end', m[2]!)) return doc;
    m = /^update (VM|CT) (\d+): (.*)$/.exec(text);
    if (m) {
      update(doc, m[1]!, m[2]!, m[3]!);
      event.outcome = 'success';
      return doc;
    }
    m = /^successful auth for user '([^']+)'$/.exec(text);
    if (m) {
      // The line is logged as root@pam whoever signs in; the quoted user is the one who did.
      doc.user = pveUser(m[1]!);
      Object.assign(event, { action: 'login', category: ['authentication'], type: ['start'], outcome: 'success' });
      return evidence(doc, [], ['P1a']);
    }
    m = /^authentication failure; rhost=(\S+) user=(\S+) msg=(.*)$/.exec(text);
    if (m) {
      const ip = m[1]!.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
      doc.user = pveUser(m[2]!);
      if (isIp(ip)) doc.source = { ip };
      Object.assign(event, { action: 'login', category: ['authentication'], type: ['start'], outcome: 'failure', reason: m[3]! });
      return evidence(doc, ['B1.4'], ['P1a']);
    }
    // Everything else these daemons say (worker starts, HA service moves, status timings) is kept as is.
    event.type = ['info'];
    m = /(?:^|\s)(?:VM|CT|vm:|ct:)\s?(\d{3,})\b/.exec(text);
    if (m) mergeInto(doc, { proxmox: { vm: { id: m[1]! } } });
    return doc;
  },
});
