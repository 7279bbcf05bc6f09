// Entra directory audit logs (AuditLogs) → ECS iam/configuration events under azure.auditlogs.*:
// initiatedBy → user.*, targetResources → user.target.* and group.*.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { applyRule, isObj, key, list, m, obj, snakeDeep, str, type EventRule } from '../json-fields.js';
import { caller, common, principal } from './shared.js';

const userChange = m('iam', 'user,change', '', 'P2a');
const enabled = m('iam', 'user,change', 'B1.3', 'P2a');
const password = m('iam', 'user,change', 'B1.6', 'P2a');
const membership = m('iam', 'group,change', 'B1.7', 'P2b');
const roleGrant = m('iam', 'admin,change', 'B1.9', 'P2c');
const mfa = (req: string) => m('iam', 'user,change', req, 'P2a');

/** Audit activity names (operationName / activityDisplayName) → rule. */
export const RULES: Record<string, EventRule> = {
  'Add user': m('iam', 'user,creation', 'B1.1', 'P2a'),
  'Invite external user': m('iam', 'user,creation', 'B1.1', 'P2a'),
  'Delete user': m('iam', 'user,deletion', '', 'P2a'),
  'Hard delete user': m('iam', 'user,deletion', '', 'P2a'),
  'Restore user': enabled,
  'Enable account': enabled,
  'Unlock user account (self-service)': enabled,
  'Disable account': userChange,
  'Update user': m('iam', 'user,change'),
  'Add member to group': membership,
  'Remove member from group': membership,
  'Add owner to group': roleGrant,
  'Remove owner from group': roleGrant,
  'Add group': m('iam', 'group,creation', 'B1.8', 'P2a'),
  'Delete group': m('iam', 'group,deletion', '', 'P2a'),
  'Hard Delete group': m('iam', 'group,deletion', '', 'P2a'),
  'Update group': m('iam', 'group,change', '', 'P2a'),
  'Reset user password': password,
  'Change user password': password,
  'Reset password (by admin)': password,
  'Reset password (self-service)': password,
  'Change password (self-service)': password,
  'Set force change user password': password,
  'Add member to role': roleGrant,
  'Remove member from role': roleGrant,
  'Add eligible member to role': roleGrant,
  'Remove eligible member from role': roleGrant,
  'Add scoped member to role': roleGrant,
  'Remove scoped member from role': roleGrant,
  'Add app role assignment to user': roleGrant,
  'Remove app role assignment from user': roleGrant,
  'Add app role assignment to group': roleGrant,
  'Add app role assignment to service principal': roleGrant,
  'Add delegated permission grant': roleGrant,
  'Consent to application': roleGrant,
  'User has elevated their access to User Access Administrator for their Azure Resources': roleGrant,
  'Create role assignment': roleGrant,
  'Delete role assignment': roleGrant,
  'User registered security info': mfa('B1.10.1'),
  'User registered all required security info': mfa('B1.10.1'),
  'Admin registered security info': mfa('B1.10.1'),
  'User deleted security info': mfa('B1.10.2'),
  'User changed default security info': mfa('B1.10.3'),
  'Admin deleted security info': mfa('B1.10.3'),
  'Admin updated security info': mfa('B1.10.3'),
  "Reset user's MFA": mfa('B1.10.3'),
};

/** Privileged Identity Management spells role grants out: "Add member to role in PIM completed (permanent)". */
const PATTERNS: [RegExp, EventRule][] = [
  [/^(Add|Remove) (eligible |scoped )?member (to|from) role in PIM completed/, roleGrant],
  [/^(Add|Remove) (eligible |scoped )?member (to|from) role in PIM requested/, m('iam', 'admin,info', '', 'P2c')],
];

/** Activities outside the table: category and type from the record's own category and operationType. */
function genericRule(category: string | undefined, operationType: string | undefined): EventRule {
  const type = { Add: 'creation', Delete: 'deletion', Update: 'change', Assign: 'change', Unassign: 'change' }[operationType ?? ''] ?? 'info';
  if (category === 'UserManagement') return m('iam', `user,${type}`);
  if (category === 'GroupManagement') return m('iam', `group,${type}`);
  if (category === 'RoleManagement') return m('iam', `admin,${type}`);
  return m('configuration', type);
}

export function mapAudit(j: EcsDoc, p: EcsDoc, doc: EcsDoc): EcsDoc {
  common(j, 'azure.auditlogs', doc);
  setPath(doc, 'azure.auditlogs.properties', snakeDeep(p, { activityDateTime: 'activity_datetime' }));
  setPath(doc, 'event.id', str(p.id));
  const result = str(p.result)?.toLowerCase();
  setPath(doc, 'event.outcome', result === 'success' ? 'success' : result === 'failure' ? 'failure' : undefined);
  setPath(doc, 'message', str(p.resultReason) || undefined);

  const by = obj(p.initiatedBy);
  const u = obj(by?.user);
  const app = obj(by?.app);
  if (u) principal('user', str(u.userPrincipalName), str(u.id), str(u.displayName), doc);
  else if (app) {
    setPath(doc, 'user.name', str(app.servicePrincipalName) ?? str(app.displayName));
    setPath(doc, 'user.id', str(app.servicePrincipalId) ?? str(app.appId));
  }
  caller(str(u?.ipAddress) ?? str(key(j, 'callerIpAddress')), doc);
  targets(list(p.targetResources).filter(isObj), doc);

  const name = str(key(j, 'operationName')) ?? '';
  const rule =
    RULES[name] ?? RULES[str(p.activityDisplayName) ?? ''] ?? PATTERNS.find(([re]) => re.test(name))?.[1] ?? genericRule(str(p.category), str(p.operationType));
  return applyRule(doc, rule);
}

/** The first User target → user.target.*; the Group acted on → group.* (its own target, or the name on the user's). */
function targets(ts: EcsDoc[], doc: EcsDoc): void {
  const typeOf = (t: EcsDoc) => str(t.type)?.toLowerCase();
  const user = ts.find((t) => typeOf(t) === 'user');
  if (user) principal('user.target', str(user.userPrincipalName), str(user.id), str(user.displayName), doc);
  const group = ts.find((t) => typeOf(t) === 'group');
  const changed = (name: string) =>
    list(user?.modifiedProperties)
      .filter(isObj)
      .map((mp) => (str(mp.displayName) === name ? unquote(str(mp.newValue) ?? str(mp.oldValue)) : undefined))
      .find((v) => v);
  setPath(doc, 'group.id', str(group?.id) ?? changed('Group.ObjectID'));
  setPath(doc, 'group.name', str(group?.displayName) ?? changed('Group.DisplayName'));
}

/** modifiedProperties values are JSON text: "\"Sales\"" → "Sales". */
function unquote(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = v.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) || undefined : s || undefined;
}
