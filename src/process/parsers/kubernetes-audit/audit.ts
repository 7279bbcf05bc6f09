// One Kubernetes audit.k8s.io Event to ECS. The audit record itself is kept under kubernetes.audit as
// Elastic does (annotation keys de-dotted), without requestObject/responseObject: those can hold a
// Secret's data and whole manifests; event.original keeps them, and the images they name are lifted
// into container.image.* and kubernetes.audit.images.
import type { EcsDoc } from '../../../core/event.js';
import { evidence, isIp, isoTime } from '../ecs.js';
import { lifecycle, type Lifecycle } from '../vsphere/lifecycle.js';
import { imageFields, imagesOf } from './images.js';
import { isObj } from '../json-fields.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const RBAC = new Set(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']);
const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
// Objects the control plane itself churns (leader-election leases, endpoints, events) or that are
// questions rather than resources (access reviews): recorded, but not orchestrator lifecycle evidence.
const NOT_RESOURCES = new Set([
  'events', 'leases', 'endpoints', 'endpointslices', 'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews',
  'selfsubjectrulesreviews', 'localsubjectaccessreviews', 'selfsubjectreviews', 'componentstatuses',
]);
const SESSION_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
const COPIED = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef', 'requestReceivedTimestamp', 'stageTimestamp'];

/** True for an audit.k8s.io Event (and the Panther-normalised ones that lost apiVersion). */
export function isAuditEvent(j: EcsDoc): boolean {
  if (j.kind !== 'Event') return false;
  const v = j.apiVersion;
  if (typeof v === 'string') return v.startsWith('audit.k8s.io/');
  // A core/v1 Event (involvedObject, reason) has no verb or auditID.
  return v === undefined && typeof j.verb === 'string' && (isObj(j.user) || isObj(j.objectRef) || isObj(j.responseStatus) || Array.isArray(j.sourceIPs));
}

function auditNamespace(j: EcsDoc): EcsDoc {
  const a: EcsDoc = {};
  for (const k of COPIED) if (j[k] !== undefined) a[k] = j[k];
  const rs = j.responseStatus;
  if (isObj(rs)) {
    const { metadata: _m, ...rest } = rs;
    a.responseStatus = rest;
  }
  if (isObj(j.annotations)) {
    const ann: EcsDoc = {};
    for (const [k, v] of Object.entries(j.annotations)) ann[k.replace(/\./g, '_')] = v;
    a.annotations = ann;
  }
  return a;
}

/** What the request did to its object, in lifecycle terms; empty when it is not lifecycle evidence. */
function lifecycleOf(verb: string, resource: string, sub: string | undefined): Lifecycle[] {
  if (sub === 'eviction' && verb === 'create') return ['deleted', 'off'];
  if (sub === 'scale' || sub === 'ephemeralcontainers') return verb === 'update' || verb === 'patch' ? ['modified'] : [];
  if (sub) return [];
  if (verb === 'create') return resource === 'pods' ? ['created', 'on'] : ['created'];
  if (verb === 'delete' || verb === 'deletecollection') return resource === 'pods' ? ['deleted', 'off'] : ['deleted'];
  if (verb === 'update' || verb === 'patch') return ['modified'];
  return [];
}

const RBAC_TYPE: Record<string, string> = { create: 'creation', update: 'change', patch: 'change', delete: 'deletion', deletecollection: 'deletion' };

export function mapAudit(j: EcsDoc): EcsDoc {
  const verb = str(j.verb);
  const ref = isObj(j.objectRef) ? j.objectRef : {};
  const resource = str(ref.resource);
  const sub = str(ref.subresource);
  const stage = str(j.stage);
  const code = isObj(j.responseStatus) && typeof j.responseStatus.code === 'number' ? j.responseStatus.code : undefined;

  const event: EcsDoc = { kind: 'event' };
  if (verb) event.action = verb;
  const doc: EcsDoc = { event, kubernetes: { audit: auditNamespace(j) } };
  const ts = isoTime(str(j.requestReceivedTimestamp)) ?? isoTime(str(j.stageTimestamp));
  if (ts) doc['@timestamp'] = ts;
  if (str(j.auditID)) event.id = j.auditID as string;
  if (stage === 'Panic') event.outcome = 'failure';
  else if (code !== undefined) event.outcome = code >= 400 ? 'failure' : 'success'; // 101: an exec/attach stream upgraded
  if (code !== undefined && code >= 400 && isObj(j.responseStatus) && str(j.responseStatus.reason)) event.reason = j.responseStatus.reason as string;

  const user = isObj(j.user) ? j.user : {};
  const u: EcsDoc = {};
  if (str(user.username)) u.name = user.username as string;
  if (str(user.uid)) u.id = user.uid as string;
  const imp = isObj(j.impersonatedUser) ? j.impersonatedUser : undefined;
  if (imp && str(imp.username)) u.effective = { name: imp.username as string, ...(str(imp.uid) ? { id: imp.uid as string } : {}) };
  if (Object.keys(u).length) doc.user = u;
  const ips = Array.isArray(j.sourceIPs) ? j.sourceIPs.filter((x): x is string => isIp(x as string)) : [];
  if (ips[0]) doc.source = { ip: ips[0] };
  if (ips.length > 1) doc.related = { ip: ips };
  if (str(j.userAgent)) doc.user_agent = { original: j.userAgent as string };

  const orch: EcsDoc = { type: 'kubernetes' };
  if (str(ref.namespace)) orch.namespace = ref.namespace as string;
  const res: EcsDoc = {};
  if (resource) res.type = resource;
  if (str(ref.name)) res.name = ref.name as string;
  if (str(ref.uid)) res.id = ref.uid as string;
  if (Object.keys(res).length) orch.resource = res;
  if (str(ref.apiVersion)) orch.api_version = ref.apiGroup ? `${ref.apiGroup as string}/${ref.apiVersion as string}` : (ref.apiVersion as string);
  doc.orchestrator = orch;

  const images = imagesOf(j.requestObject);
  for (const i of imagesOf(j.responseObject)) if (!images.includes(i)) images.push(i);
  if (images.length) {
    (doc.kubernetes as EcsDoc).audit = { ...((doc.kubernetes as EcsDoc).audit as EcsDoc), images };
    doc.container = { image: imageFields(images[0]!) };
  }

  // Only a finished request is evidence of a change; RequestReceived/ResponseStarted are the same
  // request seen earlier (Panther-normalised records carry no stage at all).
  const complete = stage === undefined || stage === 'ResponseComplete' || stage === 'Panic';
  if (resource === 'pods' && sub && SESSION_SUBRESOURCES.has(sub)) {
    // kubectl exec/attach/port-forward: an interactive session inside a running container.
    event.action = `pods-${sub}`;
    event.category = ['process'];
    event.type = ['start'];
    if (complete) evidence(doc, [], ['P6']);
  } else if (verb && resource && RBAC.has(resource) && MUTATING.has(verb) && !sub) {
    event.category = ['iam', 'configuration'];
    event.type = [RBAC_TYPE[verb]!];
    if (complete) evidence(doc, ['B1.9'], ['P2c']);
  } else if (verb && resource && MUTATING.has(verb) && !NOT_RESOURCES.has(resource)) {
    const what = lifecycleOf(verb, resource, sub);
    if (what.length) {
      lifecycle(doc, 'orchestrator', what);
      if (!complete) delete doc.vigil;
    } else {
      event.category = ['configuration'];
      event.type = ['change'];
    }
  } else {
    event.category = ['configuration'];
    event.type = verb && MUTATING.has(verb) ? ['change'] : ['access'];
  }
  return doc;
}
