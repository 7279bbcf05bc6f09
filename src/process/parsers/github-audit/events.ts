// GitHub audit actions → the IDs they evidence (docs/parsers.md). Rows with an empty category keep
// Elastic's categorisation (configuration/web/iam from the action's prefix and verb).
import { m, type EventRule } from '../json-fields.js';

const tags = (req: string, pr: string) => m('', '', req, pr);
const membership = tags('B1.7', 'P2b');
const privilege = tags('B1.9', 'P2c');
const pipeline = tags('E8.1', '');

const RULES: Record<string, EventRule> = {
  'org.add_member': membership,
  'org.remove_member': membership,
  'team.add_member': membership,
  'team.remove_member': membership,
  'team.create': tags('B1.8', 'P2a'),
  'team.destroy': tags('', 'P2a'),
  'org.update_member': privilege,
  'team.promote_maintainer': privilege,
  'team.demote_maintainer': privilege,
  'org.add_outside_collaborator': privilege,
  'org.remove_outside_collaborator': privilege,
  'repo.add_member': privilege,
  'repo.remove_member': privilege,
  'repo.update_member': privilege,
  'business.add_admin': privilege,
  'business.remove_admin': privilege,
  'org.enable_two_factor_requirement': tags('B1.10.1', 'P2a'),
  'org.disable_two_factor_requirement': tags('B1.10.2', 'P2a'),
  'two_factor_authentication.enabled': tags('B1.10.1', 'P2a'),
  'two_factor_authentication.add_factor': tags('B1.10.1', 'P2a'),
  'two_factor_authentication.disabled': tags('B1.10.2', 'P2a'),
  'two_factor_authentication.remove_factor': tags('B1.10.2', 'P2a'),
  'two_factor_authentication.recovery_codes_regenerated': tags('B1.10.3', 'P2a'),
  'two_factor_authentication.update_fallback': tags('B1.10.3', 'P2a'),
  'two_factor_authentication.sign_in_fallback_sms': tags('B1.10.4', 'P2a'),
  'two_factor_authentication.password_reset_fallback_sms': tags('B1.10.4', 'P2a'),
  'public_key.create': tags('B2.1', 'P2a'),
  'public_key.delete': tags('B2.1', 'P2a'),
  // GitHub Enterprise Server user events.
  'user.create': m('iam', 'user,creation', 'B1.1', 'P2a'),
  'user.suspend': m('iam', 'user,change', '', 'P2a'),
  'user.unsuspend': m('iam', 'user,change', 'B1.3', 'P2a'),
  'user.promote': m('iam', 'user,change', 'B1.9', 'P2c'),
  'user.demote': m('iam', 'user,change', 'B1.9', 'P2c'),
  'user.change_password': m('iam', 'user,change', 'B1.6', 'P2a'),
  'user.reset_password': m('iam', 'user,change', 'B1.6', 'P2a'),
  'user.login': m('authentication', 'start', '', 'P1a'),
  'user.failed_login': m('authentication', 'start', '', 'P1a'),
  'user.logout': m('authentication', 'end', '', 'P1c'),
  'user.two_factor_challenge_success': m('authentication', 'info', '', 'P1b'),
  'user.two_factor_challenge_failure': m('authentication', 'info', '', 'P1b'),
  'git.push': pipeline,
};

/** Pipeline-source events (E8.1): who changed a repository or ran its workflows. */
const PIPELINE = /^(workflows|repo|protected_branch|repository_ruleset|environment)\./;

export function ruleFor(action: string): EventRule | undefined {
  const r = RULES[action];
  if (r) return r;
  if (/recovery_code.*(used|sign_in)|sign_in.*recovery_code/.test(action)) return tags('B1.10.4', 'P2a');
  if (PIPELINE.test(action)) return pipeline;
  return undefined;
}
