// vSphere event types and the description each renders (EventDescription fullFormat), shared by
// vCenter's event stream (vpxd "Event [..]" lines, which name the type) and ESXi hostd's
// "Event N : ..." lines (which do not: the description alone tells the type there).
import type { Lifecycle } from './lifecycle.js';

export type EventKind =
  | { lifecycle: Lifecycle[]; failed?: boolean }
  | { auth: 'login' | 'login-failed' | 'logout' }
  | { iam: 'privilege' | 'account-created' | 'account-changed' }
  | { pending: 'clone' | 'deploy' }
  | { info: 'host' };

export interface EventSpec {
  type: string;
  re: RegExp;
  kind: EventKind;
}

const VM = '(?<vm>.+?) on (?:host )?(?<host>\\S+) in (?<dc>.+?)';
const IP = '(?<ip>[0-9A-Fa-f.:]+)';

function spec(type: string, re: string, kind: EventKind): EventSpec {
  return { type, re: new RegExp(re, 's'), kind };
}

export const SPECS: EventSpec[] = [
  spec('VmPoweredOnEvent', `^${VM} is powered on$`, { lifecycle: ['on'] }),
  spec('VmPoweredOffEvent', `^${VM} is powered off$`, { lifecycle: ['off'] }),
  spec('VmSuspendedEvent', `^${VM} is suspended$`, { lifecycle: ['suspended'] }),
  spec('VmResettingEvent', `^${VM} is reset$`, { lifecycle: ['restarted'] }),
  spec('VmResumingEvent', `^${VM} is resumed$`, { lifecycle: ['on'] }),
  spec('VmGuestRebootEvent', `^Guest OS reboot for ${VM}$`, { lifecycle: ['restarted'] }),
  spec('VmGuestShutdownEvent', `^Guest OS shut down for ${VM}$`, { lifecycle: ['off'] }),
  spec('VmGuestStandbyEvent', `^Guest OS standby for ${VM}$`, { lifecycle: ['suspended'] }),
  spec('DrsVmPoweredOnEvent', `^DRS powered [Oo]n ${VM}$`, { lifecycle: ['on'] }),
  spec('VmFailedToPowerOnEvent', `^Cannot power [Oo]n ${VM}\\. ?(?<reason>.*)$`, { lifecycle: ['on'], failed: true }),
  spec('VmFailedToPowerOffEvent', `^Cannot power [Oo]ff ${VM}\\. ?(?<reason>.*)$`, { lifecycle: ['off'], failed: true }),
  spec('VmFailedToResetEvent', `^Cannot reset ${VM}\\. ?(?<reason>.*)$`, { lifecycle: ['restarted'], failed: true }),
  spec('VmFailedToSuspendEvent', `^Cannot suspend ${VM}\\. ?(?<reason>.*)$`, { lifecycle: ['suspended'], failed: true }),
  spec('VmCreatedEvent', `^Created virtual machine ${VM}$`, { lifecycle: ['created'] }),
  spec('VmRegisteredEvent', `^Registered ${VM}$`, { lifecycle: ['created'] }),
  spec('VmRemovedEvent', `^Removed (?<vm>.+?) on (?<host>\\S+) from (?<dc>.+)$`, { lifecycle: ['deleted'] }),
  spec('VmReconfiguredEvent', `^Reconfigured ${VM}\\.(?<changes>.*)$`, { lifecycle: ['modified'] }),
  spec('VmReconfiguredEvent', `^Reconfigured ${VM}$`, { lifecycle: ['modified'] }),
  spec('VmRenamedEvent', `^Renamed (?<old>.+?) to (?<vm>.+?) in (?<dc>.+)$`, { lifecycle: ['modified'] }),
  spec('VmClonedEvent', `^Clone of (?<template>.+?) completed$`, { lifecycle: ['created'] }),
  spec('VmDeployedEvent', `^Template (?<template>.+?) deployed (?:to (?<vm>.+?) )?on host (?<host>\\S+)$`, { lifecycle: ['created'] }),
  spec('VmBeingClonedEvent', `^Cloning (?<template>.+?) on host (?<host>\\S+) in (?<dc>.+?) to (?<vm>.+?) on host (?<desthost>\\S+)$`, { pending: 'clone' }),
  spec('VmBeingDeployedEvent', `^Deploying (?<vm>.+?) on host (?<host>\\S+) in (?<dc>.+?) from template (?<template>.+)$`, { pending: 'deploy' }),
  spec('VmBeingCreatedEvent', `^Creating ${VM}$`, { info: 'host' }),
  spec('VmStartingEvent', `^${VM} is starting$`, { info: 'host' }),
  spec('VmStoppingEvent', `^${VM} is stopping$`, { info: 'host' }),
  spec('VmSuspendingEvent', `^${VM} is being suspended$`, { info: 'host' }),
  spec('VmMigratedEvent', `^Migration of virtual machine (?<vm>.+?) from (?<srchost>[^,]+), .* to (?<host>[^,]+), .* completed$`, { info: 'host' }),
  spec('DrsVmMigratedEvent', `^DRS migrated (?<vm>.+?) from (?<srchost>\\S+) to (?<host>\\S+) in cluster (?<cluster>.+?) in (?<dc>.+)$`, { info: 'host' }),
  spec('UserLoginSessionEvent', `^User (?<user>.+)@${IP} logged in as (?<ua>.*)$`, { auth: 'login' }),
  spec('UserLogoutSessionEvent', `^User (?<user>.+)@${IP} logged out(?: .*)?$`, { auth: 'logout' }),
  spec('BadUsernameSessionEvent', `^Cannot login (?<user>.+)@${IP}$`, { auth: 'login-failed' }),
  // SSO failures reach the stream as an EventEx (com.vmware.sso.LoginFailure).
  spec('com.vmware.sso.LoginFailure', `^Failed login (?<user>\\S+) from ${IP} at .*$`, { auth: 'login-failed' }),
  spec('PermissionAddedEvent', `^Permission (?:created|added) for (?<principal>.+?) on (?<entity>.+?)(?:, role is | with role )(?<role>.+?)(?:, propagation is .*| by .*)?$`, { iam: 'privilege' }),
  spec('PermissionUpdatedEvent', `^Permission changed for '?(?<principal>[^']+?)'? on '?(?<entity>[^']+?)'?\\.(?: .*)?$`, { iam: 'privilege' }),
  spec('PermissionRemovedEvent', `^Permission rule removed for (?<principal>.+?) on (?<entity>.+)$`, { iam: 'privilege' }),
  spec('RoleAddedEvent', `^New role (?<role>.+?) created$`, { iam: 'privilege' }),
  spec('RoleUpdatedEvent', `^Modified role (?<role>\\S+).*$`, { iam: 'privilege' }),
  spec('RoleRemovedEvent', `^Role (?<role>.+?) removed$`, { iam: 'privilege' }),
  spec('AccountCreatedEvent', `^An account was created on host (?<host>\\S+)$`, { iam: 'account-created' }),
  spec('AccountUpdatedEvent', `^An account was updated on host (?<host>\\S+)$`, { iam: 'account-changed' }),
  spec('AccountRemovedEvent', `^Account (?<account>.+?) was removed on host (?<host>\\S+)$`, { iam: 'account-changed' }),
];

const BY_TYPE = new Map<string, EventSpec[]>();
for (const s of SPECS) BY_TYPE.set(s.type, [...(BY_TYPE.get(s.type) ?? []), s]);

export interface Matched {
  spec: EventSpec;
  groups: Record<string, string>;
}

function run(s: EventSpec, desc: string): Matched | null {
  const m = s.re.exec(desc);
  if (!m) return null;
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined && v !== '') groups[k] = v;
  return { spec: s, groups };
}

/** The spec for a known type (its description read when it matches), else by description alone. */
export function matchEvent(type: string | undefined, desc: string): Matched | null {
  if (type) {
    const specs = BY_TYPE.get(type);
    if (specs) {
      for (const s of specs) {
        const r = run(s, desc);
        if (r) return r;
      }
      return { spec: specs[0]!, groups: {} }; // the type is enough to classify; the text was not as expected
    }
  }
  for (const s of SPECS) {
    const r = run(s, desc);
    if (r) return r;
  }
  return null;
}

/** "VmPoweredOnEvent" -> "vm-powered-on"; "com.vmware.sso.LoginFailure" -> "login-failure" */
export function actionOf(type: string): string {
  const last = type.slice(type.lastIndexOf('.') + 1).replace(/Event$/, '');
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
