// One Cloud Foundry audit event (Cloud Controller v3 /v3/audit_events, or the v2 /v2/events shape) to ECS.
// The actor is user.*, the object acted on orchestrator.resource.* (and user.target.* for role changes),
// the space and org orchestrator.namespace / orchestrator.organization.
import type { EcsDoc } from '../../../core/event.js';
import { evidence, isoTime } from '../ecs.js';
import { imageFields } from '../kubernetes-audit/images.js';
import { lifecycle, type Lifecycle } from '../vsphere/lifecycle.js';
import { dig, isObj } from '../json-fields.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
/** The common shape both API versions are read into. */
export interface CfEvent {
  guid?: string;
  created?: string;
  type: string;
  actor: { guid?: string; type?: string; name?: string };
  target: { guid?: string; type?: string; name?: string };
  space?: { guid?: string; name?: string };
  org?: { guid?: string; name?: string };
  data?: EcsDoc;
}

export function isV3(j: EcsDoc): boolean {
  return isObj(j.actor) && isObj(j.target) && typeof j.type === 'string' && typeof j.guid === 'string';
}
export function isV2(j: EcsDoc): boolean {
  return isObj(j.entity) && isObj(j.metadata) && typeof j.entity.type === 'string' && 'actee' in j.entity;
}

export function readV3(j: EcsDoc): CfEvent {
  const o = (v: unknown) => ({ guid: str(dig(v, 'guid')), type: str(dig(v, 'type')), name: str(dig(v, 'name')) });
  return {
    guid: str(j.guid),
    created: str(j.created_at),
    type: j.type as string,
    actor: o(j.actor),
    target: o(j.target),
    space: isObj(j.space) ? { guid: str(j.space.guid), name: str(j.space.name) } : undefined,
    org: isObj(j.organization) ? { guid: str(j.organization.guid), name: str(j.organization.name) } : undefined,
    data: isObj(j.data) ? j.data : undefined,
  };
}

export function readV2(j: EcsDoc): CfEvent {
  const e = j.entity as EcsDoc;
  return {
    guid: str(dig(j, 'metadata.guid')),
    created: str(e.timestamp) ?? str(dig(j, 'metadata.created_at')),
    type: e.type as string,
    actor: { guid: str(e.actor), type: str(e.actor_type), name: str(e.actor_username) ?? str(e.actor_name) },
    target: { guid: str(e.actee), type: str(e.actee_type), name: str(e.actee_name) },
    space: str(e.space_guid) ? { guid: str(e.space_guid) } : undefined,
    org: str(e.organization_guid) ? { guid: str(e.organization_guid) } : undefined,
    data: isObj(e.metadata) ? e.metadata : undefined,
  };
}

const APP_POWER: Record<string, Lifecycle[]> = {
  'audit.app.start': ['on'],
  'audit.app.stop': ['off'],
  'audit.app.restart': ['restarted'],
  'audit.app.restage': ['restarted'],
  'audit.app.process.crash': ['off'],
  'app.crash': ['off'],
  'audit.app.process.terminate_instance': ['off'],
};
const READS = /\.(show|download|ssh-authorized|ssh-unauthorized)$|^audit\.app\.environment\.show$/;

/**
 * created / deleted / modified from the event type's last word. Only a top-level resource
 * (audit.app.create, audit.service_instance.delete) is created or deleted: a droplet, package, build
 * or route mapping made for an app (audit.app.droplet.create) modifies that app.
 */
function verbOf(type: string): Lifecycle | undefined {
  if (READS.test(type)) return undefined;
  const last = type.slice(type.lastIndexOf('.') + 1);
  if (type.split('.').length > 3) return 'modified';
  if (last === 'create') return 'created';
  if (last === 'delete' || last === 'delete-request') return 'deleted';
  return 'modified';
}

function clean(o: Record<string, string | undefined> | undefined): EcsDoc | undefined {
  if (!o) return undefined;
  const out: EcsDoc = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

export function mapCf(e: CfEvent): EcsDoc {
  const event: EcsDoc = { kind: 'event', action: e.type };
  if (e.guid) event.id = e.guid;
  const doc: EcsDoc = { event };
  const ts = isoTime(e.created);
  if (ts) doc['@timestamp'] = ts;
  // Only a person is user.*: a crashing process or a service broker stays in cloudfoundry.actor.
  const user: EcsDoc = {};
  if (e.actor.type === undefined || e.actor.type === 'user') {
    if (e.actor.name) user.name = e.actor.name;
    if (e.actor.guid) user.id = e.actor.guid;
  }
  if (Object.keys(user).length) doc.user = user;

  const orch: EcsDoc = { type: 'cloudfoundry' };
  if (e.space?.name ?? e.space?.guid) orch.namespace = (e.space?.name ?? e.space?.guid)!;
  if (e.org?.name ?? e.org?.guid) orch.organization = (e.org?.name ?? e.org?.guid)!;
  const res = clean({ type: e.target.type, name: e.target.name, id: e.target.guid });
  if (res) orch.resource = res;
  doc.orchestrator = orch;

  const cf: EcsDoc = { event: { type: e.type } };
  for (const [k, v] of [['actor', e.actor], ['target', e.target], ['space', e.space], ['organization', e.org]] as const) {
    const c = clean(v as Record<string, string | undefined> | undefined);
    if (c) cf[k] = c;
  }
  if (e.data && Object.keys(e.data).length) cf.data = e.data;
  doc.cloudfoundry = cf;

  // The OS image an app runs on: its stack (buildpack apps) or its Docker image.
  const req = isObj(e.data?.request) ? (e.data!.request as EcsDoc) : undefined;
  const stack = str(dig(req, 'lifecycle.data.stack')) ?? str(dig(req, 'stack')) ?? str(dig(req, 'stack_guid'));
  const image = str(dig(req, 'docker_image')) ?? str(dig(req, 'data.image')) ?? str(dig(req, 'image'));
  if (stack) cf.app = { stack };
  if (image) doc.container = { image: imageFields(image) };

  const t = e.type;
  if (t.startsWith('audit.user.') && /_(add|remove)$/.test(t)) {
    // Space and org role grants: audit.user.space_developer_add, audit.user.organization_manager_remove...
    event.category = ['iam'];
    event.type = ['user', 'change'];
    event.outcome = 'success';
    const target = clean({ name: e.target.name, id: e.target.guid });
    if (target) doc.user = { ...user, target };
    cf.role = t.slice('audit.user.'.length).replace(/_(add|remove)$/, '');
    return evidence(doc, ['B1.9'], ['P2c']);
  }
  if (t === 'audit.app.ssh-authorized' || t === 'audit.app.ssh-unauthorized') {
    const ok = t.endsWith('.ssh-authorized');
    Object.assign(event, { category: ['authentication', 'session'], type: ['start'], outcome: ok ? 'success' : 'failure' });
    return evidence(doc, [], ok ? ['P1a', 'P2c'] : ['P1a']);
  }
  const power = APP_POWER[t];
  if (power) {
    lifecycle(doc, 'orchestrator', power);
    if (t.endsWith('crash')) {
      const reason = str(e.data?.exit_description) ?? str(e.data?.reason);
      if (reason) event.reason = reason;
    } else event.outcome = 'success';
    return doc;
  }
  const verb = verbOf(t);
  if (verb && (t.startsWith('audit.') || t.startsWith('app.'))) {
    lifecycle(doc, 'orchestrator', [verb]);
    event.outcome = 'success';
    return doc;
  }
  event.category = ['configuration'];
  event.type = ['access'];
  return doc;
}
