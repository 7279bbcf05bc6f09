// ESXi hostd (and vpxa, vpxd) lines: "info hostd[2099735] [Originator@6876 sub=Vimsvc.ha-eventmgr opID=.. user=root] Event 175 : ..."
// (ESXi 7), "In(166) Hostd[2099735]: [Originator@6876 ...] ..." (ESXi 8 files), or the Originator block as
// RFC 5424 structured data. The host's own events ("Event N : <description>"), its tasks ("Task Completed :
// haTask-4-vim.VirtualMachine.powerOn-123 Status success") and host-client logins are typed; other lines
// are kept with their level, component (sub) and operation id.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { evidence, isIp, parseKv } from '../ecs.js';
import type { ParserState } from '../state.js';
import { applyEvent, userFields } from './build.js';
import { actionOf, matchEvent } from './events.js';
import { lifecycle, type Lifecycle } from './lifecycle.js';

const LEVEL = /^(?:(info|verbose|warning|error|critical|panic|trivia|debug)|(In|Wa|Er|Db|No|Cr|Al|Em|Vb)\(\d+\)) /;
const SHORT_LEVEL: Record<string, string> = { In: 'info', Wa: 'warning', Er: 'error', Db: 'debug', Vb: 'verbose', No: 'notice', Cr: 'critical', Al: 'alert', Em: 'emergency' };
const TASK = /^Task (Created|Completed) : haTask-(.+?)-vim\.(\w+)\.(\w+)-(\d+)(?: Status (\w+))?/;

const VM_TASKS: Record<string, Lifecycle> = {
  powerOn: 'on', powerOff: 'off', reset: 'restarted', suspend: 'suspended', rebootGuest: 'restarted', shutdownGuest: 'off',
  standbyGuest: 'suspended', reconfigure: 'modified', destroy: 'deleted', unregister: 'deleted',
};
const CREATE_TASKS = new Set(['Folder.createVm', 'Folder.registerVm', 'ResourcePool.importVApp', 'VirtualMachine.clone']);

export function parseHostd(message: string, sd: Record<string, string> | undefined, provider: string, state: ParserState): EcsDoc | null {
  let t = message.trim();
  let level: string | undefined;
  const lm = LEVEL.exec(t);
  if (lm) {
    level = lm[1] ?? SHORT_LEVEL[lm[2]!];
    t = t.slice(lm[0].length);
  }
  const pm = /^(?:[Hh]ostd|[Vv]pxa|vpxd)\[[^\]]*\]:? /.exec(t);
  if (pm) t = t.slice(pm[0].length);
  let origin = sd;
  if (t.startsWith('[Originator@')) {
    const end = t.indexOf(']');
    if (end < 0) return null;
    origin = parseKv(t.slice(t.indexOf(' ') + 1, end));
    t = t.slice(end + 1).trimStart();
  }
  // Without a level, a hostd prefix or an Originator block this is not a hostd line we know.
  if (!lm && !pm && !origin) return null;

  const doc: EcsDoc = { event: { kind: 'event', provider }, message: t };
  if (level) doc.log = { level };
  const originator: EcsDoc = {};
  if (origin?.sub) originator.sub = origin.sub;
  if (origin?.opID) originator.op_id = origin.opID;
  if (origin?.sid) originator.session_id = origin.sid;
  if (Object.keys(originator).length) doc.vsphere = { originator };
  const actor = userFields(origin?.user);
  if (actor) doc.user = actor;
  const event = doc.event as EcsDoc;

  let m = /^Event (\d+) : (.*)$/s.exec(t);
  if (m) {
    mergeInto(doc, { vsphere: { event: { id: m[1]!, description: m[2]! } } });
    const matched = matchEvent(undefined, m[2]!);
    if (matched) {
      event.action = actionOf(matched.spec.type);
      mergeInto(doc, { vsphere: { event: { type: matched.spec.type } } });
      applyEvent(doc, matched, { state, chainKey: undefined });
    } else event.type = ['info'];
    return doc;
  }
  m = TASK.exec(t);
  if (m) {
    const [, phase, obj, cls, method, , status] = m;
    event.action = `${cls!.toLowerCase()}-${method!.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
    mergeInto(doc, { vsphere: { task: { phase: phase!.toLowerCase(), object: obj!, method: `${cls}.${method}`, ...(status ? { status } : {}) } } });
    const what: Lifecycle | undefined = cls === 'VirtualMachine' ? VM_TASKS[method!] : CREATE_TASKS.has(`${cls}.${method}`) ? 'created' : undefined;
    if (cls === 'VirtualMachine') mergeInto(doc, { vsphere: { vm: { id: obj! } } });
    if (what && phase === 'Completed') {
      lifecycle(doc, 'vm', [what], what === 'modified' ? { principles: ['P6'] } : {});
      if (status) event.outcome = status === 'success' ? 'success' : 'failure';
    } else Object.assign(event, { category: ['host'], type: ['info'] });
    return doc;
  }
  m = /^State Transition \((\w+) -> (\w+)\)/.exec(t);
  if (m) {
    const vmx = /^Vmsvc\.vm:(.+\.vmx)$/.exec(String(origin?.sub ?? ''))?.[1];
    const vm: EcsDoc = { state: { previous: m[1]!, current: m[2]! } };
    if (vmx) {
      vm.path = vmx;
      vm.name = vmx.slice(vmx.lastIndexOf('/') + 1, -4);
    }
    mergeInto(doc, { vsphere: { vm } });
    Object.assign(event, { action: 'vm-state-transition', category: ['host'], type: ['change'] });
    return doc;
  }
  m = /^(Accepted|Rejected) password for user (\S+) from (\S+)/.exec(t);
  if (m) {
    const ok = m[1] === 'Accepted';
    doc.user = { name: m[2]! };
    if (isIp(m[3])) doc.source = { ip: m[3] };
    Object.assign(event, { action: ok ? 'password-accepted' : 'password-rejected', category: ['authentication'], type: ['start'], outcome: ok ? 'success' : 'failure' });
    evidence(doc, ok ? [] : ['B1.4'], ['P1a']);
    return doc;
  }
  event.type = ['info'];
  return doc;
}
