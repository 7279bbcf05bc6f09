// ECS categorisation and requirement tags for resource lifecycle events, shared by the hypervisor (B5:
// vsphere, proxmox) and orchestrator (B6: kubernetes-audit, cloudfoundry) parsers, so that a VM or
// container power-off looks the same whichever product logged it:
//   created   -> type creation   B5.1 / B6.1  P3b
//   deleted   -> type deletion   B5.3 / B6.3  P3b
//   modified  -> type change     (B5.4.x from the caller) / B6.4  P6
//   on        -> type start      B5.2 / B6.2  P3a
//   off       -> type end        B5.2 / B6.2  P3a
//   suspended -> type end        B5.2 / B6.2  P3a
//   restarted -> type end+start  B5.2 / B6.2  P3a   (the "restart flag": both ends of the power cycle)
// A candidate for a shared parsers/lifecycle.ts.
import type { EcsDoc } from '../../../core/event.js';
import { evidence } from '../ecs.js';

export type Lifecycle = 'created' | 'deleted' | 'modified' | 'on' | 'off' | 'suspended' | 'restarted';
export type Tier = 'vm' | 'orchestrator';

const TYPES: Record<Lifecycle, string[]> = {
  created: ['creation'],
  deleted: ['deletion'],
  modified: ['change'],
  on: ['start'],
  off: ['end'],
  suspended: ['end'],
  restarted: ['end', 'start'],
};

const POWER = new Set<Lifecycle>(['on', 'off', 'suspended', 'restarted']);

function requirement(tier: Tier, l: Lifecycle): string | undefined {
  if (POWER.has(l)) return tier === 'vm' ? 'B5.2' : 'B6.2';
  if (l === 'created') return tier === 'vm' ? 'B5.1' : 'B6.1';
  if (l === 'deleted') return tier === 'vm' ? 'B5.3' : 'B6.3';
  return tier === 'vm' ? undefined : 'B6.4'; // VM changes are B5.4.1-4, which only the caller can tell
}

function principle(l: Lifecycle): string {
  if (POWER.has(l)) return 'P3a';
  return l === 'modified' ? 'P6' : 'P3b';
}

/**
 * Sets event.category/type for what happened to the resource and tags the event. `extra` adds the
 * requirements and principles only the caller knows (B5.4.x and P3g for a VM's network change).
 */
export function lifecycle(doc: EcsDoc, tier: Tier, what: readonly Lifecycle[], extra: { requirements?: string[]; principles?: string[] } = {}): EcsDoc {
  const event = (doc.event ??= {}) as EcsDoc;
  const category = new Set<string>(Array.isArray(event.category) ? (event.category as string[]) : []);
  const type = new Set<string>();
  const reqs = new Set<string>(extra.requirements ?? []);
  const princ = new Set<string>(extra.principles ?? []);
  for (const l of what) {
    for (const t of TYPES[l]) type.add(t);
    const r = requirement(tier, l);
    if (r) reqs.add(r);
    // A VM change with no B5.4 item (a renamed VM, a changed annotation) is still evidence under P6.
    if (!(tier === 'vm' && l === 'modified' && extra.principles?.length)) princ.add(principle(l));
    if (POWER.has(l)) category.add(tier === 'vm' ? 'host' : 'process');
    else {
      if (tier === 'vm') category.add('host');
      category.add('configuration');
    }
  }
  event.kind ??= 'event';
  event.category = [...category];
  event.type = [...type];
  return evidence(doc, [...reqs], [...princ]);
}
