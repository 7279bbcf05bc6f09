// GitHub audit log events (organization / enterprise audit log API, audit log streaming) → ECS, as
// Elastic's github.audit pipeline does: actor → user.name, user → user.target.name, the action's
// prefix → github.category, the rest under github.* in snake_case.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { anyTime, applyRule, dig, snakeDeep, str, type EventRule } from '../json-fields.js';
import { ruleFor } from './events.js';

const ACTION = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
/** Keys that say the record is an audit event, besides action and actor. */
const CONTEXT = ['@timestamp', 'created_at', '_document_id', 'org', 'repo', 'business', 'user'];
/** Keys mapped to ECS or dropped (times); everything else is kept under github.*. */
const MAPPED = new Set(['@timestamp', 'created_at', '_document_id', 'action', 'actor', 'actor_id', 'user', 'user_id', 'actor_ip', 'actor_location', 'user_agent']);

export function isGitHubAudit(j: EcsDoc): boolean {
  const action = j.action;
  if (typeof action !== 'string' || !ACTION.test(action)) return false;
  if (typeof j.actor !== 'string' && j._document_id === undefined) return false;
  return CONTEXT.some((k) => j[k] !== undefined);
}

export function mapGitHubAudit(j: EcsDoc): EcsDoc {
  const action = j.action as string;
  const category = action.slice(0, action.indexOf('.'));
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(j['@timestamp']) ?? anyTime(j.created_at));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.action', action);
  setPath(doc, 'event.id', str(j._document_id));
  setPath(doc, 'user.name', str(j.actor));
  setPath(doc, 'user.id', str(j.actor_id));
  setPath(doc, 'user.target.name', str(j.user));
  setPath(doc, 'user.target.id', str(j.user_id));
  const ip = str(j.actor_ip);
  setPath(doc, 'github.actor_ip', ip);
  if (isIp(ip)) setPath(doc, 'source.ip', ip);
  setPath(doc, 'client.geo.country_iso_code', str(dig(j, 'actor_location.country_code')));
  setPath(doc, 'user_agent.original', str(j.user_agent));
  setPath(doc, 'github.user_agent', str(j.user_agent));

  const rest: EcsDoc = {};
  for (const [k, v] of Object.entries(j)) if (!MAPPED.has(k)) rest[k] = v;
  setPath(doc, 'github', { ...(snakeDeep(rest) as EcsDoc | undefined), ...(doc.github as EcsDoc) });
  setPath(doc, 'github.category', category);
  groups(category, j, doc);

  // The table gives tags, and categorisation only where Elastic's generic one is wrong (sign-ins).
  const base = elasticRule(category, action);
  const tags = ruleFor(action);
  const rule: EventRule = tags
    ? { category: tags.category.length ? tags.category : base.category, type: tags.type.length ? tags.type : base.type, req: tags.req, pr: tags.pr }
    : base;
  if (rule.category.includes('authentication')) {
    setPath(doc, 'event.outcome', /fail/.test(action) ? 'failure' : /success|login$/.test(action) ? 'success' : undefined);
  }
  return applyRule(doc, rule);
}

/** team.* events act on the team, org.* on the organization: group.name, and user.target.group.name (as Elastic). */
function groups(category: string, j: EcsDoc, doc: EcsDoc): void {
  const team = str(j.team) ?? str(dig(j, 'data.team'));
  const group = category === 'team' ? team : category === 'org' ? str(j.org) : undefined;
  setPath(doc, 'group.name', group);
  if (str(j.user)) setPath(doc, 'user.target.group.name', group);
}

/** Elastic's categorisation: configuration + web, iam for team/org; creation/deletion from the verb, else change. */
function elasticRule(category: string, action: string): EventRule {
  const verb = action.slice(category.length + 1);
  const iam = category === 'team' || category === 'org';
  const type = [...(iam ? ['group', 'user'] : [])];
  if (/create|add/.test(verb)) type.push('creation');
  if (/delete|remove/.test(verb)) type.push('deletion');
  if (type.length === 0) type.push('change');
  return { category: ['configuration', 'web', ...(iam ? ['iam'] : [])], type, req: [], pr: [] };
}
