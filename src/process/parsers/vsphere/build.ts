// ECS for one vSphere event (from vCenter's stream or ESXi's hostd), once its type is known.
// The VM is named in vsphere.vm.* (the host fields describe the machine that logged: vCenter or ESXi);
// the ESXi host an event names is vsphere.host.name.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { evidence } from '../ecs.js';
import type { ParserState } from '../state.js';
import type { Matched } from './events.js';
import { lifecycle } from './lifecycle.js';
import { readReconfig } from './reconfig.js';

/** "VSPHERE.LOCAL\admin" -> {name: admin, domain: VSPHERE.LOCAL}; "vpxuser:CORP\bob" -> bob (vCenter acting for him). */
export function userFields(raw: string | undefined): EcsDoc | undefined {
  if (!raw) return undefined;
  let u = raw.trim();
  if (u.startsWith('vpxuser:')) u = u.slice(8);
  if (!u) return undefined;
  const bs = u.lastIndexOf('\\');
  if (bs > 0) return { name: u.slice(bs + 1), domain: u.slice(0, bs) };
  return { name: u };
}

interface Pending {
  vm?: string;
  template?: string;
}

export interface BuildContext {
  /** The event's chain id (vCenter), to join VmBeingClonedEvent with VmClonedEvent. */
  chainKey?: string;
  state: ParserState;
}

/** Tags and fields for a matched event; `doc` already holds the envelope (time, id, actor). */
export function applyEvent(doc: EcsDoc, m: Matched, ctx: BuildContext): void {
  const g = m.groups;
  const kind = m.spec.kind;
  const event = (doc.event ??= {}) as EcsDoc;
  const vs: EcsDoc = {};
  let vmName = g.vm;
  let template = g.template;
  if ('pending' in kind) {
    // Remember the new VM's name: the matching "completed" event may not repeat it.
    if (ctx.chainKey) ctx.state.set(ctx.chainKey, { vm: g.vm, template: g.template } satisfies Pending);
  } else if (m.spec.type === 'VmClonedEvent' || m.spec.type === 'VmDeployedEvent') {
    const p = ctx.chainKey ? ctx.state.take<Pending>(ctx.chainKey) : undefined;
    vmName ??= p?.vm;
    template ??= p?.template;
  }
  if (vmName) vs.vm = { name: vmName };
  if (template) mergeInto(vs, { vm: { template } });
  if (g.old) mergeInto(vs, { vm: { previous_name: g.old } });
  if (g.host) vs.host = { name: g.host };
  if (g.desthost) mergeInto(vs, { destination_host: { name: g.desthost } });
  if (g.srchost) mergeInto(vs, { source_host: { name: g.srchost } });
  if (g.dc) vs.datacenter = { name: g.dc };
  if (g.cluster) vs.cluster = { name: g.cluster };
  mergeInto(doc, { vsphere: vs });

  if ('lifecycle' in kind) {
    const extra: { requirements?: string[]; principles?: string[] } = {};
    if (kind.lifecycle.includes('modified') && g.changes) {
      const rc = readReconfig(g.changes);
      if (rc) {
        mergeInto(doc, { vsphere: { reconfigure: rc.doc } });
        const reqs: string[] = [];
        if (rc.cpu) reqs.push('B5.4.1');
        if (rc.memory) reqs.push('B5.4.2');
        if (rc.network) reqs.push('B5.4.3');
        if (rc.storage) reqs.push('B5.4.4');
        if (reqs.length) {
          extra.requirements = reqs;
          extra.principles = [...(rc.network ? ['P3g'] : []), ...(rc.cpu || rc.memory || rc.storage ? ['P6'] : [])];
        }
      }
    }
    lifecycle(doc, 'vm', kind.lifecycle, extra);
    event.outcome = kind.failed ? 'failure' : 'success';
    if (g.reason) event.reason = g.reason;
    return;
  }
  if ('auth' in kind) {
    const u = userFields(g.user);
    if (u) doc.user = u;
    if (g.ip) doc.source = { ip: g.ip };
    if (g.ua) doc.user_agent = { original: g.ua };
    if (kind.auth === 'logout') {
      Object.assign(event, { category: ['authentication', 'session'], type: ['end'], outcome: 'success' });
      evidence(doc, [], ['P1c']);
    } else {
      const ok = kind.auth === 'login';
      Object.assign(event, { category: ['authentication', 'session'], type: ['start'], outcome: ok ? 'success' : 'failure' });
      evidence(doc, ok ? [] : ['B1.4'], ['P1a']);
    }
    return;
  }
  if ('iam' in kind) {
    event.category = ['iam', 'configuration'];
    const t = m.spec.type;
    const verb = /Added|Created/.test(t) ? 'creation' : /Removed/.test(t) ? 'deletion' : 'change';
    if (kind.iam === 'privilege') {
      event.type = [verb];
      if (g.principal) mergeInto(doc, { user: { target: userFields(g.principal)! } });
      const perm: EcsDoc = {};
      if (g.entity) perm.entity = g.entity;
      if (g.role) perm.role = g.role;
      if (Object.keys(perm).length) mergeInto(doc, { vsphere: { permission: perm } });
      evidence(doc, ['B1.9'], ['P2c']);
    } else {
      event.type = ['user', verb];
      if (g.account) mergeInto(doc, { user: { target: { name: g.account } } });
      evidence(doc, kind.iam === 'account-created' ? ['B1.1'] : [], ['P2a']);
    }
    event.outcome = 'success';
    return;
  }
  // Progress events (creating, starting, migrating): the VM's lifecycle, not yet an outcome.
  event.category = ['host'];
  event.type = m.spec.type.includes('Migrated') ? ['change'] : ['info'];
}

