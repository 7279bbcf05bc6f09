// Okta System Log event types → ECS categorisation and the IDs they evidence (docs/parsers.md).
// Event types outside the table are categorised from their namespace and verb.
import { m, type EventRule } from '../json-fields.js';

const login = m('authentication', 'info', '', 'P1a');
const mfa = (req: string) => m('iam', 'user,change', req, 'P2a');
const membership = m('iam', 'group,change', 'B1.7', 'P2b');
const privilege = m('iam', 'admin,change', 'B1.9', 'P2c');
const enabled = m('iam', 'user,change', 'B1.3', 'P2a');
const password = m('iam', 'user,change', 'B1.6', 'P2a');

export const RULES: Record<string, EventRule> = {
  'user.session.start': m('authentication,session', 'start,info', '', 'P1a'),
  'user.session.end': m('authentication,session', 'end', '', 'P1c'),
  'user.session.expire': m('session', 'end', '', 'P1e'),
  'user.authentication.auth_via_mfa': m('authentication', 'info', '', 'P1b'),
  'user.mfa.okta_verify.deny_push': m('authentication', 'info', '', 'P1b'),
  'user.authentication.slo': m('authentication', 'end', '', 'P1c'),
  'user.account.lock': m('iam', 'user,change', 'B1.2', 'P1a'),
  'user.account.unlock': enabled,
  'user.account.unlock_by_admin': enabled,
  'user.lifecycle.create': m('iam', 'user,creation', 'B1.1', 'P2a'),
  'user.lifecycle.activate': enabled,
  'user.lifecycle.reactivate': enabled,
  'user.lifecycle.unsuspend': enabled,
  'user.lifecycle.deactivate': m('iam', 'user,change', '', 'P2a'),
  'user.lifecycle.suspend': m('iam', 'user,change', '', 'P2a'),
  'user.lifecycle.delete.initiated': m('iam', 'user,deletion', '', 'P2a'),
  'user.lifecycle.delete.completed': m('iam', 'user,deletion', '', 'P2a'),
  'user.account.update_password': password,
  'user.account.reset_password': password,
  'group.user_membership.add': membership,
  'group.user_membership.remove': membership,
  'group.lifecycle.create': m('iam', 'group,creation', 'B1.8', 'P2a'),
  'group.lifecycle.delete': m('iam', 'group,deletion', '', 'P2a'),
  'group.profile.update': m('iam', 'group,change', '', 'P2a'),
  'user.account.privilege.grant': privilege,
  'user.account.privilege.revoke': privilege,
  'group.privilege.grant': privilege,
  'group.privilege.revoke': privilege,
  'user.session.impersonation.grant': m('iam', 'admin,change', '', 'P2c'),
  'user.session.impersonation.initiate': m('authentication', 'start', '', 'P2c'),
  'user.mfa.factor.activate': mfa('B1.10.1'),
  'user.mfa.factor.unsuspend': mfa('B1.10.1'),
  'user.mfa.factor.deactivate': mfa('B1.10.2'),
  'system.mfa.factor.deactivate': mfa('B1.10.2'),
  'user.mfa.factor.suspend': mfa('B1.10.2'),
  'user.mfa.factor.reset_all': mfa('B1.10.3'),
  'user.mfa.factor.update': mfa('B1.10.3'),
  'policy.evaluate_sign_on': m('authentication', 'info'),
};

const VERB: [RegExp, string][] = [
  [/(create|add|grant|enroll)$/, 'creation'],
  [/(delete|remove|revoke)$/, 'deletion'],
  [/(update|change|activate|deactivate|suspend|unsuspend|reset|modify)$/, 'change'],
];

/** A rule for an event type outside the table, from its namespace and last word. */
export function genericRule(eventType: string): EventRule {
  if (eventType.startsWith('user.authentication.')) return login;
  if (eventType.startsWith('user.session.')) return m('authentication,session', 'info');
  let type = 'info';
  for (const [re, t] of VERB) if (re.test(eventType)) type = t;
  const ns = eventType.slice(0, eventType.indexOf('.'));
  if (ns === 'user') return m('iam', `user,${type}`);
  if (ns === 'group') return m('iam', `group,${type}`);
  if (ns === 'security') return m('intrusion_detection', 'info');
  return m('configuration', type);
}
