// VMware vSphere: vCenter's event stream (vpxd "Event [..]" syslog lines, VMware's documented format),
// ESXi hostd/vpxa lines (the host's events, VM tasks and state changes, host-client logins) and the
// appliance's applmgmt-audit lines. VM created / powered / deleted / reconfigured -> B5.1-B5.4;
// permission and role changes -> B1.9; vCenter and ESXi login failures -> B1.4.
// The machine that logged (vCenter or ESXi) stays in host.*; the VM is vsphere.vm.name (and
// vsphere.vm.id, the host-local VM id, on ESXi tasks), the ESXi host an event names vsphere.host.name.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import type { ParserState } from '../state.js';
import { parseHostd } from './hostd.js';
import { parseVpxdEvent } from './vpxd.js';

const APPLMGMT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?): (\w+) (.*)$/s;

/** The appliance management (VAMI) audit log; a login spans a request line and a status line. */
function applmgmt(message: string, hostKey: string, state: ParserState): EcsDoc | null {
  const m = APPLMGMT.exec(message.trim());
  if (!m) return null;
  const [, , level, text] = m;
  const doc: EcsDoc = { event: { kind: 'event', provider: 'applmgmt-audit', type: ['info'] }, log: { level: level! }, message: text! };
  const req = /^User Password Authentication request for user : (.+)$/.exec(text!);
  if (req) {
    state.set(`${hostKey}|vami-user`, req[1]!.trim());
    doc.user = { name: req[1]!.trim() };
    Object.assign(doc.event as EcsDoc, { action: 'authentication-request', category: ['authentication'] });
    return doc;
  }
  const st = /^Authentication Status : (\w+)/.exec(text!);
  if (st) {
    const user = state.take<string>(`${hostKey}|vami-user`);
    const ok = /^succe/i.test(st[1]!);
    if (user) doc.user = { name: user };
    Object.assign(doc.event as EcsDoc, { action: 'authentication', category: ['authentication'], type: ['start'], outcome: ok ? 'success' : 'failure' });
    evidence(doc, ok ? [] : ['B1.4'], ['P1a']);
  }
  return doc;
}

export default defineParser({
  id: 'vsphere',
  title: 'VMware vSphere (vCenter, ESXi)',
  description: 'vCenter event stream (vpxd "Event [...]" syslog lines), ESXi hostd/vpxa lines and vCenter appliance audit lines',
  input: 'text',
  programs: ['vpxd', 'vpxd-svcs', 'Hostd', 'hostd', 'Vpxa', 'vpxa', 'applmgmt-audit'],
  requirements: ['B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4', 'B1.4', 'B1.9'],
  parse({ message, program, syslog, state }) {
    const hostKey = syslog?.hostname ?? '';
    const text = message.trimStart();
    if (text.startsWith('Event [')) return parseVpxdEvent(text, hostKey, state);
    if (program === 'applmgmt-audit') return applmgmt(text, hostKey, state);
    return parseHostd(text, syslog?.structuredData?.['Originator@6876'], (program ?? 'hostd').toLowerCase(), state);
  },
});
