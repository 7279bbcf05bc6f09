// Container images named in a request or response object: a Pod's spec, a workload's pod template
// (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController), a CronJob's job
// template, and JSON Patch operations that set an image.
import type { EcsDoc } from '../../../core/event.js';
import { dig, isObj } from '../json-fields.js';

// The app's own containers first: container.image.name takes the first image.
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

function fromPodSpec(spec: unknown, out: string[]): void {
  if (!isObj(spec)) return;
  for (const list of CONTAINER_LISTS) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      const img = dig(c, 'image');
      if (typeof img === 'string' && img && !out.includes(img)) out.push(img);
    }
  }
}

/** Every image the object names, each once: containers, then init and ephemeral containers. */
export function imagesOf(obj: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(obj)) {
    // JSON Patch: [{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.27"}]
    for (const op of obj) {
      const path = dig(op, 'path');
      const value = dig(op, 'value');
      if (typeof path === 'string' && path.endsWith('/image') && typeof value === 'string' && !out.includes(value)) out.push(value);
      else if (typeof path === 'string' && /\/containers(\/-|\/\d+)?$/.test(path)) {
        for (const c of Array.isArray(value) ? value : [value]) {
          const img = dig(c, 'image');
          if (typeof img === 'string' && !out.includes(img)) out.push(img);
        }
      }
    }
    return out;
  }
  if (!isObj(obj)) return out;
  fromPodSpec(dig(obj, 'spec'), out);
  fromPodSpec(dig(obj, 'spec.template.spec'), out);
  fromPodSpec(dig(obj, 'spec.jobTemplate.spec.template.spec'), out);
  // A Pod template object (PodTemplate kind) keeps its spec under "template".
  fromPodSpec(dig(obj, 'template.spec'), out);
  return out;
}

/** ECS container.image.* from an image reference: "registry:5000/team/app:1.2@sha256:ab.." */
export function imageFields(ref: string): EcsDoc {
  let rest = ref;
  let hash: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    hash = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const image: EcsDoc = { name: rest };
  if (tag) image.tag = [tag];
  if (hash) image.hash = { all: [hash] };
  return image;
}
