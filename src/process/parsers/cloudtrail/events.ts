// CloudTrail event names → ECS categorisation and the requirement/principle IDs they evidence
// (docs/parsers.md). Keyed by service (eventSource without ".amazonaws.com"), then eventName.
// Categories follow Elastic's aws.cloudtrail pipeline where it has a row (IAM, ConsoleLogin, AssumeRole).
import { m, type EventRule } from '../json-fields.js';

const userPolicy = m('iam', 'user,change', 'B1.9', 'P2c');
const groupPolicy = m('iam', 'group,change', 'B1.9', 'P2c');
const rolePolicy = m('iam', 'admin,change', 'B1.9', 'P2c');
const password = m('iam', 'user,change', 'B1.6', 'P2a');
const membership = m('iam', 'group,change', 'B1.7', 'P2b');
const groupCreated = m('iam', 'group,creation', 'B1.8', 'P2a');
const groupDeleted = m('iam', 'group,deletion', '', 'P2a');
const groupChanged = m('iam', 'group,change', '', 'P2a');
const userCreated = m('iam', 'user,creation', 'B1.1', 'P2a');
const userDeleted = m('iam', 'user,deletion', '', 'P2a');
const userChanged = m('iam', 'user,change', '', 'P2a');
const userEnabled = m('iam', 'user,change', 'B1.3', 'P2a');
const credential = m('iam', 'user,change', '', 'P2a');
const mfaOn = m('iam', 'user,change', 'B1.10.1', 'P2a');
const mfaOff = m('iam', 'user,change', 'B1.10.2', 'P2a');
const mfaReset = m('iam', 'user,change', 'B1.10.3', 'P2a');
const sshKey = (type: string) => m('iam', `user,${type}`, 'B2.1', 'P2a');
const login = m('authentication', 'info', '', 'P1a');
const mfaChallenge = m('authentication', 'info', '', 'P1b');
const logout = m('authentication', 'end', '', 'P1c');
const elevation = m('authentication', 'info', '', 'P2c,P1d');
const roleGrant = m('iam', 'admin,change', 'B1.9', 'P2c');
const vm = (type: string, req: string, pr: string) => m('host', type, req, pr);
const fwRule = (type: string) => m('configuration', type, '', 'P3f');
const vnet = (type: string) => m('network', type, '', 'P3g');

export const RULES: Record<string, Record<string, EventRule>> = {
  iam: {
    CreateUser: userCreated,
    DeleteUser: userDeleted,
    UpdateUser: userChanged,
    CreateLoginProfile: password,
    UpdateLoginProfile: password,
    ChangePassword: password,
    DeleteLoginProfile: credential,
    AddUserToGroup: membership,
    RemoveUserFromGroup: membership,
    CreateGroup: groupCreated,
    DeleteGroup: groupDeleted,
    UpdateGroup: groupChanged,
    AttachUserPolicy: userPolicy,
    DetachUserPolicy: userPolicy,
    PutUserPolicy: userPolicy,
    DeleteUserPolicy: userPolicy,
    PutUserPermissionsBoundary: userPolicy,
    DeleteUserPermissionsBoundary: userPolicy,
    AttachGroupPolicy: groupPolicy,
    DetachGroupPolicy: groupPolicy,
    PutGroupPolicy: groupPolicy,
    DeleteGroupPolicy: groupPolicy,
    AttachRolePolicy: rolePolicy,
    DetachRolePolicy: rolePolicy,
    PutRolePolicy: rolePolicy,
    DeleteRolePolicy: rolePolicy,
    PutRolePermissionsBoundary: rolePolicy,
    DeleteRolePermissionsBoundary: rolePolicy,
    UpdateAssumeRolePolicy: rolePolicy,
    CreatePolicyVersion: rolePolicy,
    SetDefaultPolicyVersion: rolePolicy,
    CreateRole: m('iam', 'admin,creation'),
    DeleteRole: m('iam', 'admin,deletion'),
    UpdateRole: m('iam', 'admin,change'),
    CreatePolicy: m('iam', 'admin,creation'),
    DeletePolicy: m('iam', 'admin,deletion'),
    CreateAccessKey: credential,
    UpdateAccessKey: credential,
    DeleteAccessKey: credential,
    UploadSSHPublicKey: sshKey('change'),
    UpdateSSHPublicKey: sshKey('change'),
    DeleteSSHPublicKey: sshKey('change'),
    EnableMFADevice: mfaOn,
    DeactivateMFADevice: mfaOff,
    DeleteVirtualMFADevice: mfaOff,
    ResyncMFADevice: mfaReset,
    CreateVirtualMFADevice: mfaReset,
    UpdateAccountPasswordPolicy: m('iam', 'admin,change'),
    GetUser: m('iam', 'user,info'),
    ListUsers: m('iam', 'user,info'),
    GetGroup: m('iam', 'group,info'),
    ListGroups: m('iam', 'group,info'),
    ListGroupsForUser: m('iam', 'user,info'),
  },
  signin: {
    ConsoleLogin: login,
    ExternalIdPDirectoryLogin: login,
    GetSigninToken: login,
    UserAuthentication: login,
    CredentialVerification: login, // P1b instead when the credential is not a password
    CredentialChallenge: m('authentication', 'info'),
    CheckMfa: mfaChallenge,
    SwitchRole: m('authentication', 'info', '', 'P2c'),
    PasswordUpdated: password,
    Logout: logout,
  },
  sso: {
    Authenticate: login,
    Federate: m('authentication', 'info'),
    Logout: logout,
    CreateAccountAssignment: roleGrant,
    DeleteAccountAssignment: roleGrant,
    AttachManagedPolicyToPermissionSet: roleGrant,
    DetachManagedPolicyFromPermissionSet: roleGrant,
    PutInlinePolicyToPermissionSet: roleGrant,
    DeleteInlinePolicyFromPermissionSet: roleGrant,
    AttachCustomerManagedPolicyReferenceToPermissionSet: roleGrant,
    DetachCustomerManagedPolicyReferenceFromPermissionSet: roleGrant,
  },
  identitystore: {
    CreateUser: userCreated,
    DeleteUser: userDeleted,
    UpdateUser: userChanged,
    CreateGroup: groupCreated,
    DeleteGroup: groupDeleted,
    UpdateGroup: groupChanged,
    CreateGroupMembership: membership,
    DeleteGroupMembership: membership,
  },
  'sso-directory': {
    CreateUser: userCreated,
    DeleteUser: userDeleted,
    UpdateUser: userChanged,
    EnableUser: userEnabled,
    DisableUser: userChanged,
    UpdatePassword: password,
    CreateGroup: groupCreated,
    DeleteGroup: groupDeleted,
    AddMemberToGroup: membership,
    RemoveMemberFromGroup: membership,
    EnableMfaDevice: mfaOn,
    DisableMfaDevice: mfaOff,
    DeleteMfaDeviceForUser: mfaOff,
  },
  'cognito-idp': {
    AdminCreateUser: userCreated,
    SignUp: userCreated,
    AdminDeleteUser: userDeleted,
    DeleteUser: userDeleted,
    AdminDisableUser: userChanged,
    AdminEnableUser: userEnabled,
    AdminAddUserToGroup: membership,
    AdminRemoveUserFromGroup: membership,
    CreateGroup: groupCreated,
    DeleteGroup: groupDeleted,
    UpdateGroup: groupChanged,
    AdminSetUserMFAPreference: mfaReset, // refined from the request: enabled → B1.10.1, disabled → B1.10.2
    SetUserMFAPreference: mfaReset,
    AdminSetUserSettings: mfaReset,
    AssociateSoftwareToken: mfaReset,
    VerifySoftwareToken: mfaOn,
    AdminResetUserPassword: password,
    AdminSetUserPassword: password,
    ChangePassword: password,
    ConfirmForgotPassword: password,
    InitiateAuth: login,
    AdminInitiateAuth: login,
    RespondToAuthChallenge: login, // P1b when the challenge is an MFA one
    AdminRespondToAuthChallenge: login,
    GlobalSignOut: logout,
    AdminUserGlobalSignOut: logout,
  },
  sts: {
    AssumeRole: elevation,
    AssumeRoleWithSAML: elevation,
    AssumeRoleWithWebIdentity: elevation,
    GetSessionToken: elevation,
    GetFederationToken: elevation,
  },
  'ec2-instance-connect': {
    SendSSHPublicKey: sshKey('change'),
  },
  ec2: {
    CreateKeyPair: m('iam', 'admin,creation', 'B2.1', 'P2a'),
    ImportKeyPair: m('iam', 'admin,creation', 'B2.1', 'P2a'),
    DeleteKeyPair: m('iam', 'admin,deletion', 'B2.1', 'P2a'),
    RunInstances: vm('creation', 'B5.1', 'P3b'),
    StartInstances: vm('start', 'B5.2', 'P3a'),
    StopInstances: vm('end', 'B5.2', 'P3a'),
    RebootInstances: vm('change', 'B5.2', 'P3a'),
    TerminateInstances: vm('deletion', 'B5.3', 'P3b'),
    ModifyInstanceAttribute: vm('change', '', 'P6'), // instanceType → B5.4.1 + B5.4.2
    AttachVolume: vm('change', 'B5.4.4', 'P6'),
    DetachVolume: vm('change', 'B5.4.4', 'P6'),
    ModifyVolume: vm('change', 'B5.4.4', 'P6'),
    AttachNetworkInterface: vm('change', 'B5.4.3', 'P3g'),
    DetachNetworkInterface: vm('change', 'B5.4.3', 'P3g'),
    CreateNetworkInterface: vnet('creation'),
    DeleteNetworkInterface: vnet('deletion'),
    CreateVpc: vnet('creation'),
    DeleteVpc: vnet('deletion'),
    CreateSubnet: vnet('creation'),
    DeleteSubnet: vnet('deletion'),
    AttachInternetGateway: vnet('change'),
    DetachInternetGateway: vnet('change'),
    AuthorizeSecurityGroupIngress: fwRule('creation'),
    AuthorizeSecurityGroupEgress: fwRule('creation'),
    RevokeSecurityGroupIngress: fwRule('deletion'),
    RevokeSecurityGroupEgress: fwRule('deletion'),
    ModifySecurityGroupRules: fwRule('change'),
    CreateSecurityGroup: fwRule('creation'),
    DeleteSecurityGroup: fwRule('deletion'),
    CreateNetworkAclEntry: fwRule('creation'),
    ReplaceNetworkAclEntry: fwRule('change'),
    DeleteNetworkAclEntry: fwRule('deletion'),
  },
};

/** ECS event.type for an API call outside the tables, from the verb its name starts with. */
const VERBS: [RegExp, string][] = [
  [/^(Get|List|Describe|Head|Lookup|Search|BatchGet|Select|Scan|Query|Download|Decrypt|Encrypt|GenerateDataKey)/, 'access'],
  [/^(Create|Run|Add|Import|Register|Allocate|Copy|Issue|Request|Generate)/, 'creation'],
  [/^(Delete|Remove|Terminate|Deregister|Release|Revoke|Purge|Cancel|Schedule.*Deletion)/, 'deletion'],
  [/^(Start|Launch)/, 'start'],
  [/^(Stop)/, 'end'],
  [/^(Update|Modify|Put|Set|Attach|Detach|Enable|Disable|Change|Replace|Reset|Tag|Untag|Associate|Disassociate|Authorize|Apply|Restore|Reboot|Rotate|Upload|Edit|Move|Rename|Configure|Accept|Reject)/, 'change'],
];

export function genericRule(eventName: string): EventRule {
  for (const [re, type] of VERBS) if (re.test(eventName)) return m('api', type);
  return m('api', 'info');
}
