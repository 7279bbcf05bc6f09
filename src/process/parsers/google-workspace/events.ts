// Google Workspace Reports API event names → ECS categorisation and the IDs they evidence
// (docs/parsers.md). Admin events are UPPER_CASE, application events lower_case: one table serves both.
import { m, type EventRule } from '../json-fields.js';

const password = m('iam', 'user,change', 'B1.6', 'P2a');
const membership = m('iam', 'group,change', 'B1.7', 'P2b');
const privilege = m('iam', 'admin,change', 'B1.9', 'P2c');
const disabled = m('iam', 'user,change', 'B1.2', 'P1a');

export const RULES: Record<string, EventRule> = {
  // login
  login_success: m('authentication,session', 'start', '', 'P1a'),
  login_failure: m('authentication', 'start', '', 'P1a'),
  login_challenge: m('authentication', 'info', '', 'P1b'),
  login_verification: m('authentication', 'info', '', 'P1b'),
  logout: m('authentication,session', 'end', '', 'P1c'),
  suspicious_login: m('authentication', 'info', '', 'P1a'),
  suspicious_login_less_secure_app: m('authentication', 'info', '', 'P1a'),
  suspicious_programmatic_login: m('authentication', 'info', '', 'P1a'),
  // Google disables an account itself when it finds it compromised: a lockout.
  account_disabled_password_leak: disabled,
  account_disabled_hijacked: disabled,
  account_disabled_spamming: disabled,
  account_disabled_spamming_through_relay: disabled,
  account_disabled_generic: disabled,
  '2sv_enroll': m('iam', 'user,change', 'B1.10.1', 'P2a'),
  '2sv_disable': m('iam', 'user,change', 'B1.10.2', 'P2a'),
  titanium_enroll: m('iam', 'user,change', 'B1.10.1', 'P2a'),
  titanium_unenroll: m('iam', 'user,change', 'B1.10.2', 'P2a'),
  password_change: password,
  password_edit: password,
  // admin
  CREATE_USER: m('iam', 'user,creation', 'B1.1', 'P2a'),
  DELETE_USER: m('iam', 'user,deletion', '', 'P2a'),
  UNDELETE_USER: m('iam', 'user,change', 'B1.3', 'P2a'),
  SUSPEND_USER: m('iam', 'user,change', '', 'P2a'),
  UNSUSPEND_USER: m('iam', 'user,change', 'B1.3', 'P2a'),
  CHANGE_PASSWORD: password,
  ADD_GROUP_MEMBER: membership,
  REMOVE_GROUP_MEMBER: membership,
  add_member: membership,
  remove_member: membership,
  CREATE_GROUP: m('iam', 'group,creation', 'B1.8', 'P2a'),
  DELETE_GROUP: m('iam', 'group,deletion', '', 'P2a'),
  ASSIGN_ROLE: privilege,
  UNASSIGN_ROLE: privilege,
  GRANT_ADMIN_PRIVILEGE: privilege,
  REVOKE_ADMIN_PRIVILEGE: privilege,
  GRANT_DELEGATED_ADMIN_PRIVILEGES: privilege,
  TURN_OFF_2_STEP_VERIFICATION: m('iam', 'user,change', 'B1.10.2', 'P2a'),
  // Settings: NEW_VALUE "false" turns the requirement off (B1.10.2 instead).
  ENFORCE_STRONG_AUTHENTICATION: m('iam', 'admin,change', 'B1.10.1', 'P2a'),
  ALLOW_STRONG_AUTHENTICATION: m('iam', 'admin,change', 'B1.10.1', 'P2a'),
};

/** Login challenge methods that are a second factor; a backup code is a recovery code. */
export const SECOND_FACTORS = /authenticator|security_key|backup_code|phone|prompt|totp|otp|passkey|idv|sms|voice/;

const VERBS: [RegExp, string][] = [
  [/^(create|add|insert|upload|grant)/i, 'creation'],
  [/^(delete|remove|trash|revoke)/i, 'deletion'],
  [/^(change|update|edit|rename|move|set|assign|unassign|enable|disable|toggle)/i, 'change'],
  [/^(view|download|preview|print|access|open|export)/i, 'access'],
];

/** Events outside the table: category from the application, type from the verb the name starts with. */
export function genericRule(app: string | undefined, type: string | undefined, name: string): EventRule {
  let verb = 'info';
  for (const [re, t] of VERBS) if (re.test(name)) verb = t;
  if (app === 'login' || app === 'saml') return m('authentication', 'info');
  if (app === 'admin') return /USER|GROUP|ADMIN/.test(type ?? '') ? m('iam', `admin,${verb}`) : m('configuration', verb);
  if (app === 'drive') return m('file', verb);
  if (app === 'gmail') return m('email', 'info');
  return m('configuration', verb);
}
