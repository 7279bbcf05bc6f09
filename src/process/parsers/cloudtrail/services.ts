// Per-service readers: who or what an IAM, Identity Center, Cognito, sign-in or STS call acted on, and
// refinements of the table's tags that depend on the request (MFA used, credential type, MFA settings).
import { setPath, type EcsDoc } from '../../../core/event.js';
import { dig, m, obj, str, type EventRule } from '../json-fields.js';

export interface Refinement {
  /** Replaces the table's rule. */
  rule?: EventRule;
  req?: string[];
  pr?: string[];
}

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const visible = (v: unknown) => {
  const s = str(v);
  return s === HIDDEN ? undefined : s;
};

/** IAM: the user, role or group acted on (user.target.*, group.*), as Elastic does. */
export function iam(name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  const re = obj(j.responseElements) ?? {};
  // A role is an IAM identity too: role-policy changes name it as the target. ChangePassword is the
  // caller's own password.
  const self = name === 'ChangePassword' ? str(dig(j, 'userIdentity.userName')) : undefined;
  setPath(doc, 'user.target.name', str(rp.userName) ?? str(rp.roleName) ?? self);
  setPath(doc, 'user.target.id', str(dig(re, 'user.userId')) ?? str(dig(re, 'role.roleId')));
  setPath(doc, 'user.changes.name', str(rp.newUserName));
  setPath(doc, 'group.name', str(rp.groupName));
  setPath(doc, 'group.id', str(dig(re, 'group.groupId')));
  return {};
}

/** Console and Identity Center sign-in. */
export function signin(name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const aed = obj(j.additionalEventData) ?? {};
  if (name === 'ConsoleLogin') {
    const yesNo = (v: unknown) => (v === 'Yes' ? true : v === 'No' ? false : undefined);
    setPath(doc, 'aws.cloudtrail.console_login.additional_eventdata.mobile_version', yesNo(aed.MobileVersion));
    setPath(doc, 'aws.cloudtrail.console_login.additional_eventdata.login_to', str(aed.LoginTo));
    setPath(doc, 'aws.cloudtrail.console_login.additional_eventdata.mfa_used', yesNo(aed.MFAUsed));
    // A login that passed an MFA challenge evidences the challenge too.
    return aed.MFAUsed === 'Yes' ? { pr: ['P1b'] } : {};
  }
  if (name === 'PasswordUpdated') setPath(doc, 'user.target.name', str(dig(j, 'userIdentity.userName')));
  if (name === 'CredentialChallenge' || name === 'CredentialVerification') {
    const type = str(aed.CredentialType);
    setPath(doc, 'aws.cloudtrail.signin.credential_type', type);
    if (type && type !== 'PASSWORD') return { rule: m('authentication', 'info', '', 'P1b') };
  }
  return {};
}

/** STS: the role assumed goes to user.effective.* (the account assumed, as for sudo). */
export function sts(_name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  const re = obj(j.responseElements) ?? {};
  const roleArn = str(rp.roleArn);
  if (roleArn) setPath(doc, 'user.effective.name', roleArn.slice(roleArn.lastIndexOf('/') + 1));
  setPath(doc, 'user.effective.id', str(dig(re, 'assumedRoleUser.assumedRoleId')));
  setPath(doc, 'aws.cloudtrail.assumed_role.arn', str(dig(re, 'assumedRoleUser.arn')));
  setPath(doc, 'aws.cloudtrail.assumed_role.session_name', str(rp.roleSessionName));
  return {};
}

const MFA_CHALLENGES = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'MFA_SETUP', 'SELECT_MFA_TYPE']);

/** Cognito user pools: the user and group acted on; MFA settings and challenges refine the tags. */
export function cognito(name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  setPath(doc, 'user.target.name', visible(rp.username));
  setPath(doc, 'group.name', str(rp.groupName));
  setPath(doc, 'aws.cognito.user_pool.id', str(rp.userPoolId));
  if (name.endsWith('SetUserMFAPreference')) {
    // CloudTrail writes request keys in camelCase ("softwareTokenMfaSettings": {"enabled": true}); the
    // API's own spelling is PascalCase. Either may appear.
    const flags = Object.entries(rp)
      .filter(([k]) => /mfasettings$/i.test(k))
      .map(([, s]) => obj(s)?.enabled ?? obj(s)?.Enabled)
      .filter((e): e is boolean => typeof e === 'boolean');
    if (flags.some((f) => f)) return { rule: m('iam', 'user,change', 'B1.10.1', 'P2a') };
    if (flags.length) return { rule: m('iam', 'user,change', 'B1.10.2', 'P2a') };
  }
  if (name.endsWith('RespondToAuthChallenge') && MFA_CHALLENGES.has(str(rp.challengeName) ?? '')) {
    return { rule: m('authentication', 'info', '', 'P1b') };
  }
  return {};
}

/** Identity Center's identity store (and the older sso-directory API): users, groups, memberships. */
export function identityStore(name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  const re = obj(j.responseElements) ?? {};
  setPath(doc, 'user.target.name', visible(rp.userName));
  setPath(doc, 'user.target.id', str(dig(rp, 'memberId.userId')) ?? str(dig(rp, 'member.memberId')) ?? str(rp.userId) ?? str(re.userId));
  setPath(doc, 'group.id', str(rp.groupId) ?? str(re.groupId));
  setPath(doc, 'group.name', visible(rp.groupDisplayName) ?? (name.includes('Group') && !name.includes('Member') ? visible(rp.displayName) : undefined));
  setPath(doc, 'aws.cloudtrail.identity_store.id', str(rp.identityStoreId));
  return {};
}

/** Identity Center permission sets assigned to users or groups (B1.9). */
export function sso(_name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  if (str(rp.principalType) === 'USER') setPath(doc, 'user.target.id', str(rp.principalId));
  if (str(rp.principalType) === 'GROUP') setPath(doc, 'group.id', str(rp.principalId));
  setPath(doc, 'aws.cloudtrail.permission_set.arn', str(rp.permissionSetArn));
  return {};
}

/** EC2 Instance Connect pushes a one-minute SSH key for an OS user of an instance (B2.1). */
export function instanceConnect(_name: string, j: EcsDoc, doc: EcsDoc): Refinement {
  const rp = obj(j.requestParameters) ?? {};
  setPath(doc, 'user.target.name', str(rp.instanceOSUser));
  setPath(doc, 'cloud.instance.id', str(rp.instanceId));
  return {};
}

export type Handler = (name: string, j: EcsDoc, doc: EcsDoc) => Refinement;
