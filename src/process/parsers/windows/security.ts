// Security channel (Microsoft-Windows-Security-Auditing): who acted on whom, from where, and whether it
// worked. Users follow Elastic's Windows integration: for logon and credential events user.* is the
// account that authenticated (the Target*), for everything else user.* is the Subject* (the actor) and
// user.target.* the account acted on; groups go to group.* with the member in user.target.*.
import { getPath, type EcsDoc } from '../../../core/event.js';
import { categorise, put, tag, type MapContext } from './context.js';
import {
  FAILURE_REASONS,
  KERBEROS_STATUS,
  LOGON_FAILURE_STATUS,
  LOGON_TYPES,
  SECURITY_EVENTS,
  SECURITY_TASKS,
  isPrivilegedGroup,
} from './security-tables.js';
import { asInt } from './event.js';
import { basename, field, intField, ipField, portField, splitCommandLine } from './values.js';

/** Events whose user.* is the account that logged on or whose credentials were checked. */
const LOGON_TARGET = new Set(['4624', '4625', '4634', '4647', '4768', '4769', '4770', '4771', '4776', '4964']);
/** Account-management events: user.target.* is the account acted on. */
const TARGET_USER = new Set(['4720', '4722', '4723', '4724', '4725', '4726', '4738', '4740', '4767', '4781', '4798']);
/** Group-management events: group.* is the group, user.target.* the member. */
const GROUP_EVENTS = new Set([
  '4727', '4728', '4729', '4730', '4731', '4732', '4733', '4734', '4735', '4737', '4744', '4745', '4746', '4747', '4748',
  '4749', '4750', '4751', '4752', '4753', '4754', '4755', '4756', '4757', '4758', '4759', '4760', '4761', '4762', '4763',
  '4764', '4799',
]);
const MEMBER_ADDED = new Set(['4728', '4732', '4756', '4746', '4751', '4761']);
const MEMBER_REMOVED = new Set(['4729', '4733', '4757', '4747', '4752', '4762']);
const GROUP_CREATED = new Set(['4727', '4731', '4754', '4744', '4749', '4759']);
/** Events whose logon session is the new one (TargetLogonId) rather than the actor's. */
const TARGET_SESSION = new Set(['4624', '4634', '4647', '4964']);

/** What each event evidences (docs/parsers.md), beyond E5/P6 that every end-user Windows event has. */
const EVIDENCE: Record<string, [string[], string[]]> = {
  '4634': [[], ['P1c']],
  '4647': [[], ['P1c']],
  '4778': [[], ['P1d']],
  '4779': [[], ['P1f']],
  '4740': [['B1.2'], ['P1a']],
  '4767': [['B1.3'], ['P2a']],
  '4722': [['B1.3'], ['P2a']],
  '4720': [['B1.1'], ['P2a']],
  '4723': [['B1.6'], ['P2a']],
  '4724': [['B1.6'], ['P2a']],
  '4725': [[], ['P2a']],
  '4726': [[], ['P2a']],
  '4738': [[], ['P2a']],
  '4781': [[], ['P2a']],
  '4741': [[], ['P2a']],
  '4742': [[], ['P2a']],
  '4743': [[], ['P2a']],
  '4672': [[], ['P2c']],
  '4964': [[], ['P2c']],
  '4704': [['B1.9'], ['P2c']],
  '4705': [['B1.9'], ['P2c']],
  '4717': [['B1.9'], ['P2c']],
  '4718': [['B1.9'], ['P2c']],
};

const AUTHENTICATION = new Set(['4624', '4625', '4648', '4768', '4769', '4770', '4771', '4776']);

export function mapSecurity(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const kind = SECURITY_EVENTS[id];
  if (kind) categorise(doc, kind.category, kind.type, kind.action);
  const task = ctx.ev.system.task;
  if (getPath(doc, 'winlog.task') === undefined && task !== undefined) put(doc, 'winlog.task', SECURITY_TASKS[task]);

  users(ctx);
  logonSession(ctx);
  if (id !== '4688') commonAuthFields(doc, data);
  if (id === '4688') processCreated(doc, data);
  if (id === '4625' || id === '4776' || id === '4768' || id === '4769' || id === '4770' || id === '4771') failure(ctx);
  if (id === '4740') put(doc, 'source.domain', field(data, 'TargetDomainName')); // "Caller Computer Name"
  if (id === '4776') put(doc, 'source.domain', field(data, 'Workstation'));
  if (id === '4697') put(doc, 'service.name', field(data, 'ServiceName'));

  // A successful logon is one whatever the shipper kept of the keywords.
  if ((id === '4624' || id === '4648') && getPath(doc, 'event.outcome') === undefined) put(doc, 'event.outcome', 'success');
  const ev = EVIDENCE[id];
  if (ev) tag(ctx, ev[0], ev[1]);
  if (AUTHENTICATION.has(id)) {
    if (getPath(doc, 'event.outcome') === 'failure') tag(ctx, ['B1.4'], ['P1a']);
    else tag(ctx, [], ['P1a']);
  }
  if (GROUP_CREATED.has(id)) tag(ctx, ['B1.8'], ['P2a']);
  else if (MEMBER_ADDED.has(id) || MEMBER_REMOVED.has(id)) {
    tag(ctx, ['B1.7'], ['P2b']);
    // Membership of an administrators group is a privilege change.
    if (isPrivilegedGroup(field(data, 'TargetSid'), field(data, 'TargetUserName'))) tag(ctx, ['B1.9'], ['P2c']);
  } else if (GROUP_EVENTS.has(id)) tag(ctx, [], ['P2a']);
}

/** "alice@corp.local" names the account alice (as Elastic does); other names are kept as written. */
function accountName(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const at = v.indexOf('@');
  return at > 0 ? v.slice(0, at) : v;
}

function users(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const subject = () => {
    put(doc, 'user.id', field(data, 'SubjectUserSid'));
    put(doc, 'user.name', field(data, 'SubjectUserName'));
    put(doc, 'user.domain', field(data, 'SubjectDomainName'));
  };
  if (LOGON_TARGET.has(id)) {
    put(doc, 'user.id', field(data, 'TargetUserSid') ?? field(data, 'TargetSid'));
    put(doc, 'user.name', accountName(field(data, 'TargetUserName')));
    put(doc, 'user.domain', field(data, 'TargetDomainName'));
    // The account that asked for the logon (often the machine itself) is still someone to search for.
    if (id === '4624') put(doc, 'related.user', field(data, 'SubjectUserName') ? [field(data, 'SubjectUserName')!] : undefined);
    return;
  }
  if (id === '1102') {
    // <UserData> (XML, Winlogbeat's user_data); flattening shippers (NXLog) put it with the event data.
    const ud = ctx.ev.userData ?? data;
    put(doc, 'user.id', field(ud, 'SubjectUserSid'));
    put(doc, 'user.name', field(ud, 'SubjectUserName'));
    put(doc, 'user.domain', field(ud, 'SubjectDomainName'));
    put(doc, 'winlog.logon.id', field(ud, 'SubjectLogonId'));
    return;
  }
  if (id === '4778' || id === '4779') {
    put(doc, 'user.name', field(data, 'AccountName'));
    put(doc, 'user.domain', field(data, 'AccountDomain'));
    put(doc, 'source.ip', ipField(field(data, 'ClientAddress')));
    put(doc, 'source.domain', field(data, 'ClientName'));
    put(doc, 'winlog.logon.id', field(data, 'LogonID'));
    return;
  }
  subject();
  if (id === '4648' || id === '4688') {
    // The account whose credentials were used / the new process's account.
    put(doc, 'user.effective.id', field(data, 'TargetUserSid'));
    put(doc, 'user.effective.name', accountName(field(data, 'TargetUserName')));
    put(doc, 'user.effective.domain', field(data, 'TargetDomainName'));
  } else if (TARGET_USER.has(id)) {
    put(doc, 'user.target.id', field(data, 'TargetSid'));
    put(doc, 'user.target.name', accountName(field(data, 'TargetUserName')));
    put(doc, 'user.target.domain', field(data, 'TargetDomainName'));
    if (id === '4781') {
      put(doc, 'user.target.name', field(data, 'OldTargetUserName'));
      put(doc, 'user.changes.name', field(data, 'NewTargetUserName'));
    }
  } else if (GROUP_EVENTS.has(id)) groupMembership(doc, data);
}

function groupMembership(doc: EcsDoc, data: MapContext['data']): void {
  const group = {
    id: field(data, 'TargetSid') ?? field(data, 'TargetUserSid'),
    name: field(data, 'TargetUserName'),
    domain: field(data, 'TargetDomainName'),
  };
  put(doc, 'group.id', group.id);
  put(doc, 'group.name', group.name);
  put(doc, 'group.domain', group.domain);
  const member = memberFromDn(field(data, 'MemberName'));
  put(doc, 'user.target.id', field(data, 'MemberSid'));
  put(doc, 'user.target.name', member.name);
  put(doc, 'user.target.domain', member.domain);
  if (getPath(doc, 'user.target') !== undefined) {
    put(doc, 'user.target.group.id', group.id);
    put(doc, 'user.target.group.name', group.name);
    put(doc, 'user.target.group.domain', group.domain);
  }
}

/** "CN=Bob Smith,OU=Staff,DC=corp,DC=local" → name "Bob Smith", domain "corp.local". */
export function memberFromDn(dn: string | undefined): { name?: string; domain?: string } {
  if (!dn) return {};
  const parts = splitDn(dn);
  const cn = parts.find((p) => /^cn=/i.test(p));
  const dcs = parts.filter((p) => /^dc=/i.test(p)).map((p) => p.slice(3));
  if (!cn && dcs.length === 0) return { name: dn };
  return { name: cn ? cn.slice(3) : undefined, domain: dcs.length ? dcs.join('.') : undefined };
}

/** Splits an LDAP DN on unescaped commas ("CN=Smith\, Bob,OU=…"). */
function splitDn(dn: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      cur += dn[++i];
      continue;
    }
    if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function logonSession(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const logonId = TARGET_SESSION.has(id) ? field(data, 'TargetLogonId') : field(data, 'SubjectLogonId');
  if (getPath(doc, 'winlog.logon.id') === undefined) put(doc, 'winlog.logon.id', logonId);
  const type = field(data, 'LogonType');
  if (type !== undefined) put(doc, 'winlog.logon.type', LOGON_TYPES[type.trim()]);
}

/** Where an authentication came from and which process asked for it. */
function commonAuthFields(doc: EcsDoc, data: MapContext['data']): void {
  put(doc, 'source.ip', ipField(field(data, 'IpAddress')));
  put(doc, 'source.port', portField(field(data, 'IpPort')));
  put(doc, 'source.domain', field(data, 'WorkstationName'));
  const exe = field(data, 'ProcessName');
  put(doc, 'process.executable', exe);
  put(doc, 'process.name', basename(exe));
  const pid = intField(data, 'ProcessId');
  put(doc, 'process.pid', pid ? pid : undefined); // 0x0: no local process (network logons)
}

function processCreated(doc: EcsDoc, data: MapContext['data']): void {
  const exe = field(data, 'NewProcessName');
  put(doc, 'process.executable', exe);
  put(doc, 'process.name', basename(exe));
  put(doc, 'process.pid', intField(data, 'NewProcessId'));
  const parent = field(data, 'ParentProcessName');
  put(doc, 'process.parent.executable', parent);
  put(doc, 'process.parent.name', basename(parent));
  put(doc, 'process.parent.pid', intField(data, 'ProcessId'));
  const cmd = field(data, 'CommandLine');
  if (cmd) {
    put(doc, 'process.command_line', cmd);
    const args = splitCommandLine(cmd);
    put(doc, 'process.args', args);
    put(doc, 'process.args_count', args.length);
  }
}

/** Failure reason and outcome of logons and credential checks. */
function failure(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const status = field(data, 'Status')?.trim().toLowerCase();
  if (id === '4625' || id === '4776') {
    const reasonCode = field(data, 'FailureReason')?.replace('%%', '').trim();
    const reason = reasonCode ? FAILURE_REASONS[reasonCode] : undefined;
    // 0x0 is "no error": not a failure status worth naming.
    const st = status && status !== '0x0' ? LOGON_FAILURE_STATUS[status] : undefined;
    const subStatus = field(data, 'SubStatus')?.trim().toLowerCase();
    const sub = subStatus && subStatus !== '0x0' ? LOGON_FAILURE_STATUS[subStatus] : undefined;
    put(doc, 'winlog.logon.failure.reason', reason);
    put(doc, 'winlog.logon.failure.status', st);
    put(doc, 'winlog.logon.failure.sub_status', sub);
    if (getPath(doc, 'event.outcome') === undefined) {
      if (id === '4625') put(doc, 'event.outcome', 'failure');
      else if (status) put(doc, 'event.outcome', status === '0x0' ? 'success' : 'failure');
    }
    if (getPath(doc, 'event.outcome') === 'failure') {
      put(doc, 'event.reason', sub ?? st ?? reason);
    }
    return;
  }
  // Kerberos: 4771 is always a failure; 4768-4770 fail when the result code is not 0.
  const code = asInt(status);
  if (getPath(doc, 'event.outcome') === undefined) {
    if (id === '4771') put(doc, 'event.outcome', 'failure');
    else if (code !== undefined) put(doc, 'event.outcome', code === 0 ? 'success' : 'failure');
  }
  if (code !== undefined && code !== 0) {
    const name = KERBEROS_STATUS[code];
    put(doc, 'winlog.logon.failure.status', name);
    put(doc, 'event.reason', name);
  }
}
