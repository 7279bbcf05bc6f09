// Linux audit records as text: raw audit.log lines ("type=... msg=audit(...): ..."), the same records
// forwarded through syslog by audispd / audisp-syslog, and the kernel's numeric form
// ("audit: type=1112 audit(...): ..."). One event per record, joined across the records of one audit
// event where that names a file (see auditd.ts). Logins (B1.4, B2.2), account and group management
// (B1.1-B1.3, B1.6-B1.9), SSH key files (B2.1) and libvirt's VM control and resources (B5.2, B5.4).
import { defineParser } from '../define.js';
import { toEcs } from './auditd.js';
import { readRecord } from './record.js';

export default defineParser({
  id: 'auditd',
  title: 'Linux audit (auditd)',
  description: 'Linux audit records from audit.log or via audispd / audisp-syslog: logins, account changes, file watches, libvirt VM events',
  input: 'text',
  // Not bound to a program: raw audit.log lines have no syslog header. The first character decides.
  priority: 50,
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B2.1', 'B2.2', 'B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4'],
  parse({ message, syslog, state }) {
    const c = message.charCodeAt(0);
    // "type=", "node=", "audit: type=" (kernel)
    if (c !== 0x74 && c !== 0x6e && c !== 0x61) return null;
    if (c === 0x61 && !message.startsWith('audit: type=')) return null;
    if (!message.includes('audit(')) return null;
    const rec = readRecord(message);
    if (!rec) return null;
    return toEcs(rec, state, rec.node ?? syslog?.hostname ?? '');
  },
});
