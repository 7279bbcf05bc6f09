// One Google Workspace Reports API activity (with one event) → ECS, as Elastic's google_workspace
// package does: actor → user.* and source.user.*, id → event.id / organization.id / event.provider,
// parameters → google_workspace.<application>.<parameter>.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { anyTime, applyRule, isObj, list, obj, snakeDeep, splitAt, str } from '../json-fields.js';
import { genericRule, RULES, SECOND_FACTORS } from './events.js';

export const ACTIVITY = 'admin#reports#activity';
export const ACTIVITIES = 'admin#reports#activities';

/**
 * An activity: kind admin#reports#activity, or (as some pullers write it, one event per record with the
 * event's name/type/parameters at the top) an id naming the application.
 */
export function isActivity(j: EcsDoc): boolean {
  if (j.kind === ACTIVITY) return true;
  const id = obj(j.id);
  return typeof id?.applicationName === 'string' && (Array.isArray(j.events) || typeof j.name === 'string' || isObj(j.actor));
}

/** One record per event: the activity's id, actor and address go with each. */
export function expand(a: EcsDoc): EcsDoc[] {
  const events = list(a.events).filter(isObj);
  return events.length <= 1 ? [a] : events.map((e) => ({ ...a, events: [e] }));
}

export function mapActivity(j: EcsDoc): EcsDoc {
  const id = obj(j.id) ?? {};
  const ev = list(j.events).filter(isObj)[0] ?? { name: j.name, type: j.type, parameters: j.parameters };
  const app = str(id.applicationName);
  const name = str(ev.name) ?? '';
  const params = parameters(ev.parameters);
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(id.time));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.action', name || undefined);
  setPath(doc, 'event.provider', app);
  setPath(doc, 'event.id', str(id.uniqueQualifier));
  setPath(doc, 'organization.id', str(id.customerId));
  setPath(doc, 'google_workspace.kind', str(j.kind));
  setPath(doc, 'google_workspace.actor.type', str(dig1(j.actor, 'callerType')));
  setPath(doc, 'google_workspace.actor.key', str(dig1(j.actor, 'key')));
  setPath(doc, 'google_workspace.organization.domain', str(j.ownerDomain));
  setPath(doc, 'google_workspace.event.type', str(ev.type));
  if (app && Object.keys(params).length) setPath(doc, `google_workspace.${snake(app)}`, snakeDeep(params, lowerKeys(params)));

  const ip = str(j.ipAddress);
  if (isIp(ip)) setPath(doc, 'source.ip', ip);
  actor(obj(j.actor), doc);
  target(params, doc);

  let rule = RULES[name] ?? genericRule(app, str(ev.type), name);
  const req: string[] = [];
  const pr: string[] = [];
  if (name === 'login_success' || name === 'login_failure') {
    setPath(doc, 'event.outcome', name === 'login_success' ? 'success' : 'failure');
    const methods = [params.login_challenge_method].flat().map((x) => String(x ?? ''));
    if (methods.some((x) => SECOND_FACTORS.test(x))) pr.push('P1b');
    if (name === 'login_success' && methods.includes('backup_code')) req.push('B1.10.4');
  }
  if (name === 'login_challenge' || name === 'login_verification') {
    const status = str(params.login_challenge_status);
    setPath(doc, 'event.outcome', status === 'passed' ? 'success' : status ? 'failure' : undefined);
  }
  if (/STRONG_AUTHENTICATION$/.test(name) && String(params.NEW_VALUE ?? '').toLowerCase() === 'false') {
    rule = { ...rule, req: ['B1.10.2'] };
  }
  return applyRule(doc, rule, req, pr);
}

function dig1(v: unknown, k: string): unknown {
  return obj(v)?.[k];
}

function snake(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** Parameter names as lower-case keys ("USER_EMAIL" → "user_email"), keeping their underscores. */
function lowerKeys(params: EcsDoc): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(params)) out[k] = snake(k);
  return out;
}

/**
 * The API's [{name, value | intValue | boolValue | multiValue | multiIntValue | messageValue}] list as a
 * map; a map already (as flattened exports write it) is taken as it is.
 */
function parameters(v: unknown): EcsDoc {
  if (isObj(v)) return v;
  const out: EcsDoc = {};
  for (const p of list(v).filter(isObj)) {
    const name = str(p.name);
    if (!name) continue;
    const value = p.value ?? p.multiValue ?? p.intValue ?? p.multiIntValue ?? p.boolValue ?? p.messageValue ?? p.multiMessageValue;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The actor's e-mail → user.name/domain/email and source.user.*, profileId → user.id (as Elastic). */
function actor(a: EcsDoc | undefined, doc: EcsDoc): void {
  if (!a) return;
  const email = str(a.email);
  const id = str(a.profileId);
  const who = email ? splitAt(email) : undefined;
  for (const p of ['user', 'source.user']) {
    setPath(doc, `${p}.name`, who?.name);
    setPath(doc, `${p}.domain`, who?.domain);
    setPath(doc, `${p}.id`, id);
  }
  setPath(doc, 'user.email', email);
  setPath(doc, 'source.user.email', email);
}

/** The account acted on: login's affected_email_address, admin's USER_EMAIL; the group: GROUP_EMAIL / GROUP_NAME. */
function target(params: EcsDoc, doc: EcsDoc): void {
  const email = str(params.affected_email_address) ?? str(params.USER_EMAIL) ?? str(params.user_email) ?? str(params.member);
  if (email) {
    const { name, domain } = splitAt(email);
    setPath(doc, 'user.target.name', name);
    setPath(doc, 'user.target.domain', domain);
    setPath(doc, 'user.target.email', email);
  }
  setPath(doc, 'group.name', str(params.GROUP_EMAIL) ?? str(params.GROUP_NAME) ?? str(params.group_email));
  setPath(doc, 'user.target.roles', str(params.ROLE_NAME) ? [str(params.ROLE_NAME)!] : undefined);
}
