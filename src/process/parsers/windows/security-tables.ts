// Reference data for Security-channel events, from Microsoft's auditing documentation (event pages
// 4624-4776, the msobjs.dll message table) with the ECS categorisation and kebab-case action names
// Elastic's Windows integration uses, so that searches and rules written for those keep working.

export interface SecurityKind {
  category: string[];
  type: string[];
  action: string;
}

const k = (category: string, type: string | string[], action: string): SecurityKind => ({
  category: category.split(','),
  type: Array.isArray(type) ? type : type.split(','),
  action,
});

export const SECURITY_EVENTS: Record<string, SecurityKind> = {
  '1100': k('process', 'end', 'logging-service-shutdown'),
  '1102': k('iam', 'admin,change', 'audit-log-cleared'),
  '1104': k('iam', 'admin', 'logging-full'),
  '1108': k('iam', 'admin', 'logging-processing-error'),
  '4608': k('process', 'start', 'windows-started'),
  '4616': k('configuration', 'change', 'system-time-changed'),
  '4624': k('authentication', 'start', 'logged-in'),
  '4625': k('authentication', 'start', 'logon-failed'),
  '4634': k('authentication', 'end', 'logged-out'),
  '4647': k('authentication', 'end', 'logged-out'),
  '4648': k('authentication', 'start', 'logged-in-explicit'),
  '4657': k('registry,configuration', 'change', 'registry-value-modified'),
  '4670': k('iam,configuration', 'admin,change', 'permissions-changed'),
  '4672': k('iam', 'admin', 'logged-in-special'),
  '4673': k('iam', 'admin', 'privileged-service-called'),
  '4674': k('iam', 'admin', 'privileged-operation'),
  '4688': k('process', 'start', 'created-process'),
  '4689': k('process', 'end', 'exited-process'),
  '4697': k('iam,configuration', 'admin,change', 'service-installed'),
  '4698': k('iam,configuration', 'creation,admin', 'scheduled-task-created'),
  '4699': k('iam,configuration', 'deletion,admin', 'scheduled-task-deleted'),
  '4700': k('iam,configuration', 'change,admin', 'scheduled-task-enabled'),
  '4701': k('iam,configuration', 'change,admin', 'scheduled-task-disabled'),
  '4702': k('iam,configuration', 'change,admin', 'scheduled-task-updated'),
  // User rights granted/removed: privilege changes (B1.9) that Elastic's table does not name.
  '4704': k('iam', 'change', 'user-right-assigned'),
  '4705': k('iam', 'change', 'user-right-removed'),
  '4717': k('iam,configuration', 'admin,change', 'system-security-access-granted'),
  '4718': k('iam,configuration', 'admin,deletion', 'system-security-access-removed'),
  '4719': k('iam,configuration', 'admin,change', 'changed-audit-config'),
  '4720': k('iam', 'user,creation', 'added-user-account'),
  '4722': k('iam', 'user,change', 'enabled-user-account'),
  '4723': k('iam', 'user,change', 'changed-password'),
  '4724': k('iam', 'user,change', 'reset-password'),
  '4725': k('iam', 'user,deletion', 'disabled-user-account'),
  '4726': k('iam', 'user,deletion', 'deleted-user-account'),
  '4727': k('iam', 'group,creation', 'added-group-account'),
  '4728': k('iam', 'group,change', 'added-member-to-group'),
  '4729': k('iam', 'group,change', 'removed-member-from-group'),
  '4730': k('iam', 'group,deletion', 'deleted-group-account'),
  '4731': k('iam', 'group,creation', 'added-group-account'),
  '4732': k('iam', 'group,change', 'added-member-to-group'),
  '4733': k('iam', 'group,change', 'removed-member-from-group'),
  '4734': k('iam', 'group,deletion', 'deleted-group-account'),
  '4735': k('iam', 'group,change', 'modified-group-account'),
  '4737': k('iam', 'group,change', 'modified-group-account'),
  '4738': k('iam', 'user,change', 'modified-user-account'),
  '4740': k('iam', 'user,change', 'locked-out-user-account'),
  '4741': k('iam', 'creation,admin', 'added-computer-account'),
  '4742': k('iam', 'change,admin', 'changed-computer-account'),
  '4743': k('iam', 'deletion,admin', 'deleted-computer-account'),
  '4744': k('iam', 'group,creation', 'added-distribution-group-account'),
  '4745': k('iam', 'group,change', 'changed-distribution-group-account'),
  '4746': k('iam', 'group,change', 'added-member-to-distribution-group'),
  '4747': k('iam', 'group,change', 'removed-member-from-distribution-group'),
  '4748': k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  '4749': k('iam', 'group,creation', 'added-distribution-group-account'),
  '4750': k('iam', 'group,change', 'changed-distribution-group-account'),
  '4751': k('iam', 'group,change', 'added-member-to-distribution-group'),
  '4752': k('iam', 'group,change', 'removed-member-from-distribution-group'),
  '4753': k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  '4754': k('iam', 'group,creation', 'added-group-account'),
  '4755': k('iam', 'group,change', 'modified-group-account'),
  '4756': k('iam', 'group,change', 'added-member-to-group'),
  '4757': k('iam', 'group,change', 'removed-member-from-group'),
  '4758': k('iam', 'group,deletion', 'deleted-group-account'),
  '4759': k('iam', 'group,creation', 'added-distribution-group-account'),
  '4760': k('iam', 'group,change', 'changed-distribution-group-account'),
  '4761': k('iam', 'group,change', 'added-member-to-distribution-group'),
  '4762': k('iam', 'group,change', 'removed-member-from-distribution-group'),
  '4763': k('iam', 'group,deletion', 'deleted-distribution-group-account'),
  '4764': k('iam', 'group,change', 'type-changed-group-account'),
  '4767': k('iam', 'user,change', 'unlocked-user-account'),
  '4768': k('authentication', 'start', 'kerberos-authentication-ticket-requested'),
  '4769': k('authentication', 'start', 'kerberos-service-ticket-requested'),
  '4770': k('authentication', 'start', 'kerberos-service-ticket-renewed'),
  '4771': k('authentication', 'start', 'kerberos-preauth-failed'),
  '4776': k('authentication', 'start', 'credential-validated'),
  '4778': k('authentication,session', 'start', 'session-reconnected'),
  '4779': k('authentication,session', 'end', 'session-disconnected'),
  '4781': k('iam', 'user,change', 'renamed-user-account'),
  '4798': k('iam', 'user,info', 'group-membership-enumerated'),
  '4799': k('iam', 'group,info', 'user-member-enumerated'),
  '4964': k('iam', 'admin,group', 'logged-in-special'),
  '5140': k('network,file', 'info,access', 'network-share-object-accessed'),
  '5145': k('network,file', 'info,access', 'network-share-object-access-checked'),
};

/** Logon types (event 4624 "Logon Type"). */
export const LOGON_TYPES: Record<string, string> = {
  '0': 'System',
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

/** NTSTATUS codes of failed logons (4625 Status/SubStatus, 4776 Status), keyed in lower case. */
export const LOGON_FAILURE_STATUS: Record<string, string> = {
  '0xc000005e': 'There are currently no logon servers available to service the logon request.',
  '0xc0000064': 'User logon with misspelled or bad user account',
  '0xc000006a': 'User logon with misspelled or bad password',
  '0xc000006d': 'This is either due to a bad username or authentication information',
  '0xc000006e': 'Unknown user name or bad password.',
  '0xc000006f': 'User logon outside authorized hours',
  '0xc0000070': 'User logon from unauthorized workstation',
  '0xc0000071': 'User logon with expired password',
  '0xc0000072': 'User logon to account disabled by administrator',
  '0xc00000dc': 'Indicates the Sam Server was in the wrong state to perform the desired operation.',
  '0xc0000133': 'Clocks between DC and other computer too far out of sync',
  '0xc000015b': 'The user has not been granted the requested logon type (aka logon right) at this machine',
  '0xc000018c': 'The logon request failed because the trust relationship between the primary domain and the trusted domain failed.',
  '0xc0000192': 'An attempt was made to logon, but the Netlogon service was not started.',
  '0xc0000193': 'User logon with expired account',
  '0xc0000224': 'User is required to change password at next logon',
  '0xc0000225': 'Evidently a bug in Windows and not a risk',
  '0xc0000234': 'User logon with account locked',
  '0xc00002ee': 'Failure Reason: An Error occurred during Logon',
  '0xc0000371': 'The local account store does not contain secret material for the specified account',
  '0xc0000413': 'Logon Failure: The machine you are logging onto is protected by an authentication firewall. The specified account is not allowed to authenticate to the machine.',
  '0x0': 'Status OK.',
};

/** %%2304-%%2315: the 4625 FailureReason message-table entries. */
export const FAILURE_REASONS: Record<string, string> = {
  '2304': 'An Error occured during Logon.',
  '2305': 'The specified user account has expired.',
  '2306': 'The NetLogon component is not active.',
  '2307': 'Account locked out.',
  '2308': 'The user has not been granted the requested logon type at this machine.',
  '2309': "The specified account's password has expired.",
  '2310': 'Account currently disabled.',
  '2311': 'Account logon time restriction violation.',
  '2312': 'User not allowed to logon at this computer.',
  '2313': 'Unknown user name or bad password.',
  '2314': 'Domain sid inconsistent.',
  '2315': 'Smartcard logon is required and was not used.',
};

/** Kerberos result codes (4768, 4769, 4770, 4771 Status), by number. */
export const KERBEROS_STATUS: Record<number, string> = {
  0x0: 'KDC_ERR_NONE', 0x1: 'KDC_ERR_NAME_EXP', 0x2: 'KDC_ERR_SERVICE_EXP', 0x3: 'KDC_ERR_BAD_PVNO',
  0x4: 'KDC_ERR_C_OLD_MAST_KVNO', 0x5: 'KDC_ERR_S_OLD_MAST_KVNO', 0x6: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  0x7: 'KDC_ERR_S_PRINCIPAL_UNKNOWN', 0x8: 'KDC_ERR_PRINCIPAL_NOT_UNIQUE', 0x9: 'KDC_ERR_NULL_KEY',
  0xa: 'KDC_ERR_CANNOT_POSTDATE', 0xb: 'KDC_ERR_NEVER_VALID', 0xc: 'KDC_ERR_POLICY', 0xd: 'KDC_ERR_BADOPTION',
  0xe: 'KDC_ERR_ETYPE_NOTSUPP', 0xf: 'KDC_ERR_SUMTYPE_NOSUPP', 0x10: 'KDC_ERR_PADATA_TYPE_NOSUPP',
  0x11: 'KDC_ERR_TRTYPE_NO_SUPP', 0x12: 'KDC_ERR_CLIENT_REVOKED', 0x13: 'KDC_ERR_SERVICE_REVOKED',
  0x14: 'KDC_ERR_TGT_REVOKED', 0x15: 'KDC_ERR_CLIENT_NOTYET', 0x16: 'KDC_ERR_SERVICE_NOTYET',
  0x17: 'KDC_ERR_KEY_EXPIRED', 0x18: 'KDC_ERR_PREAUTH_FAILED', 0x19: 'KDC_ERR_PREAUTH_REQUIRED',
  0x1a: 'KDC_ERR_SERVER_NOMATCH', 0x1b: 'KDC_ERR_MUST_USE_USER2USER', 0x1f: 'KRB_AP_ERR_BAD_INTEGRITY',
  0x20: 'KRB_AP_ERR_TKT_EXPIRED', 0x21: 'KRB_AP_ERR_TKT_NYV', 0x22: 'KRB_AP_ERR_REPEAT', 0x23: 'KRB_AP_ERR_NOT_US',
  0x24: 'KRB_AP_ERR_BADMATCH', 0x25: 'KRB_AP_ERR_SKEW', 0x26: 'KRB_AP_ERR_BADADDR', 0x27: 'KRB_AP_ERR_BADVERSION',
  0x28: 'KRB_AP_ERR_MSG_TYPE', 0x29: 'KRB_AP_ERR_MODIFIED', 0x2a: 'KRB_AP_ERR_BADORDER', 0x2c: 'KRB_AP_ERR_BADKEYVER',
  0x2d: 'KRB_AP_ERR_NOKEY', 0x2e: 'KRB_AP_ERR_MUT_FAIL', 0x2f: 'KRB_AP_ERR_BADDIRECTION', 0x30: 'KRB_AP_ERR_METHOD',
  0x31: 'KRB_AP_ERR_BADSEQ', 0x32: 'KRB_AP_ERR_INAPP_CKSUM', 0x33: 'KRB_AP_PATH_NOT_ACCEPTED',
  0x34: 'KRB_ERR_RESPONSE_TOO_BIG', 0x3c: 'KRB_ERR_GENERIC', 0x3d: 'KRB_ERR_FIELD_TOOLONG',
  0x3e: 'KDC_ERR_CLIENT_NOT_TRUSTED', 0x3f: 'KDC_ERR_KDC_NOT_TRUSTED', 0x40: 'KDC_ERR_INVALID_SIG',
  0x41: 'KDC_ERR_KEY_TOO_WEAK', 0x42: 'KRB_AP_ERR_USER_TO_USER_REQUIRED', 0x43: 'KRB_AP_ERR_NO_TGT',
  0x44: 'KDC_ERR_WRONG_REALM',
};

/** Security audit task (subcategory) numbers to names, as the event viewer shows them. */
export const SECURITY_TASKS: Record<number, string> = {
  12288: 'Security State Change', 12289: 'Security System Extension', 12290: 'System Integrity', 12291: 'IPsec Driver',
  12292: 'Other System Events', 12544: 'Logon', 12545: 'Logoff', 12546: 'Account Lockout', 12547: 'IPsec Main Mode',
  12548: 'Special Logon', 12549: 'IPsec Quick Mode', 12550: 'IPsec Extended Mode', 12551: 'Other Logon/Logoff Events',
  12552: 'Network Policy Server', 12553: 'User / Device Claims', 12554: 'Group Membership', 12800: 'File System',
  12801: 'Registry', 12802: 'Kernel Object', 12803: 'SAM', 12804: 'Other Object Access Events',
  12805: 'Certification Services', 12806: 'Application Generated', 12807: 'Handle Manipulation', 12808: 'File Share',
  12809: 'Filtering Platform Packet Drop', 12810: 'Filtering Platform Connection', 12811: 'Detailed File Share',
  12812: 'Removable Storage', 12813: 'Central Policy Staging', 13056: 'Sensitive Privilege Use',
  13057: 'Non Sensitive Privilege Use', 13058: 'Other Privilege Use Events', 13312: 'Process Creation',
  13313: 'Process Termination', 13314: 'DPAPI Activity', 13315: 'RPC Events', 13316: 'Plug and Play Events',
  13317: 'Token Right Adjusted Events', 13568: 'Audit Policy Change', 13569: 'Authentication Policy Change',
  13570: 'Authorization Policy Change', 13571: 'MPSSVC Rule-Level Policy Change', 13572: 'Filtering Platform Policy Change',
  13573: 'Other Policy Change Events', 13824: 'User Account Management', 13825: 'Computer Account Management',
  13826: 'Security Group Management', 13827: 'Distribution Group Management', 13828: 'Application Group Management',
  13829: 'Other Account Management Events', 14080: 'Directory Service Access', 14081: 'Directory Service Changes',
  14082: 'Directory Service Replication', 14083: 'Detailed Directory Service Replication', 14336: 'Credential Validation',
  14337: 'Kerberos Service Ticket Operations', 14338: 'Other Account Logon Events', 14339: 'Kerberos Authentication Service',
};

/**
 * Groups whose membership grants administrative power: well-known SIDs (locale-independent), domain
 * RIDs, and the English names for sources that give only a name.
 */
const PRIVILEGED_SIDS = new Set(['S-1-5-32-544', 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-550', 'S-1-5-32-551', 'S-1-5-32-578']);
const PRIVILEGED_RIDS = new Set(['512', '518', '519', '520', '526', '527']);
const PRIVILEGED_NAMES = new Set([
  'administrators', 'domain admins', 'enterprise admins', 'schema admins', 'account operators', 'server operators',
  'print operators', 'backup operators', 'group policy creator owners', 'key admins', 'enterprise key admins',
  'dnsadmins', 'hyper-v administrators',
]);

export function isPrivilegedGroup(sid: string | undefined, name: string | undefined): boolean {
  if (sid) {
    if (PRIVILEGED_SIDS.has(sid)) return true;
    if (sid.startsWith('S-1-5-21-') && PRIVILEGED_RIDS.has(sid.slice(sid.lastIndexOf('-') + 1))) return true;
  }
  return !!name && PRIVILEGED_NAMES.has(name.toLowerCase());
}
