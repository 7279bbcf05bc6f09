// Vigil's ECS events as OCSF 1.4.0 records (https://schema.ocsf.io), for outputs that hand data to a
// data lake or a SIEM that speaks OCSF. One table, CLASSES, decides the class: the first entry whose
// `takes` accepts the event wins, Base Event last. Each class's activity comes from a rule table read
// against event.action (lower-cased) and event.type; its own attributes from the ECS fields that have a
// home in it. Whatever no attribute took goes to `unmapped` under its ECS path, so nothing is lost.
import { isDoc, type EcsDoc, type EcsValue } from '../../core/event.js';
import { timestampMs } from './event-fields.js';
import { EcsSource, asStrings, compact } from './ocsf-source.js';

export const OCSF_VERSION = '1.4.0';

type Rec = Record<string, unknown>;

/** What classification looks at (read without claiming: it copies nothing into the record). */
interface View {
  cats: Set<string>;
  types: Set<string>;
  action: string;
  dataset: string;
  protocol: string;
  outcome: string;
}

/**
 * An activity rule: every condition given must hold; the first rule that holds gives the activity, `id`
 * or what `from` reads from a field (a rule whose `from` finds nothing does not hold).
 */
interface Rule {
  action?: RegExp;
  type?: string;
  when?: (v: View, src: EcsSource) => boolean;
  id?: number;
  from?: (src: EcsSource) => number | undefined;
}

interface OcsfClass {
  uid: number;
  name: string;
  category: number;
  activities: Record<number, string>;
  takes(v: View, src: EcsSource): boolean;
  rules: Rule[];
  attributes(src: EcsSource, v: View): Rec;
}

const CATEGORIES: Record<number, string> = { 0: 'Uncategorized', 1: 'System Activity', 3: 'Identity & Access Management', 4: 'Network Activity', 6: 'Application Activity' };
const SEVERITIES = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical', 'Fatal'];

/** Control-plane audit logs of cloud and SaaS services: their management calls are API Activity. */
const API_AUDIT_DATASETS = new Set(['cloudtrail', 'okta', 'entra-id', 'google-workspace', 'github-audit', 'kubernetes-audit', 'auth0', 'cloudfoundry']);

const ANSWER_KEYS = new Set(['data', 'ttl', 'type', 'class']);
const DHCP_TYPES: Record<string, number> = { DISCOVER: 1, OFFER: 2, REQUEST: 3, DECLINE: 4, ACK: 5, NAK: 6, RELEASE: 7, INFORM: 8 };
const HTTP_METHODS: Record<string, number> = { CONNECT: 1, DELETE: 2, GET: 3, HEAD: 4, OPTIONS: 5, POST: 6, PUT: 7, TRACE: 8 };
const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10 };
/** Windows logon types by name (winlogbeat) and number: OCSF's logon_type_id uses Windows' numbers. */
const LOGON_TYPES: Record<string, number> = { system: 0, interactive: 2, network: 3, batch: 4, service: 5, unlock: 7, networkcleartext: 8, newcredentials: 9, remoteinteractive: 10, cachedinteractive: 11, cachedremoteinteractive: 12, cachedunlock: 13 };
const AUTH_PROTOCOLS: [RegExp, number, string][] = [
  [/ntlm/i, 1, 'NTLM'],
  [/kerberos/i, 2, 'Kerberos'],
  [/saml/i, 5, 'SAML'],
  [/oidc|openid|webidentity/i, 4, 'OpenID'],
  [/oauth/i, 6, 'OAUTH 2.0'],
  [/radius/i, 10, 'RADIUS'],
];

/** Second factors by the names sources give them, and the words for turning one off. */
const MFA = '(mfa|factor|2sv|2.?step|two.?step|2fa|otp|guardian|security.?info)';
const OFF = '(deactivat|disable|delet|remov|reset|turn.?off|unenroll)';
const MFA_RE = new RegExp(MFA);

const has = (v: View, cat: string) => v.cats.has(cat);

export const CLASSES: OcsfClass[] = [
  {
    uid: 4003,
    name: 'DNS Activity',
    category: 4,
    activities: { 1: 'Query', 2: 'Response', 6: 'Traffic' },
    takes: (v, s) => v.protocol === 'dns' || s.peek('dns.question.name') !== undefined,
    rules: [
      { action: /zone|update|transfer|notify/, id: 99 },
      { when: (_, s) => s.peek('dns.type') === 'answer' || s.peek('dns.response_code') !== undefined, id: 2 },
      { id: 1 },
    ],
    attributes: (s) => {
      const rcode = s.str('dns.response_code')?.toUpperCase();
      const answers = s.peek('dns.answers');
      const hostname = s.str('dns.question.name');
      // OCSF's answer has no owner name: a CNAME chain's names keep the whole list in unmapped too.
      if (Array.isArray(answers) && answers.every((a) => !isDoc(a) || Object.entries(a).every(([k, x]) => ANSWER_KEYS.has(k) || (k === 'name' && x === hostname)))) s.claim('dns.answers');
      return {
        query: compact({ hostname, type: s.str('dns.question.type'), class: s.str('dns.question.class'), packet_uid: s.num('dns.id'), opcode: s.str('dns.op_code') }),
        answers: Array.isArray(answers) ? answers.map(dnsAnswer) : undefined,
        rcode,
        rcode_id: rcode === undefined ? undefined : (RCODES[rcode] ?? 99),
        ...network(s),
      };
    },
  },
  {
    uid: 4004,
    name: 'DHCP Activity',
    category: 4,
    activities: { 1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'Ack', 6: 'Nak', 7: 'Release', 8: 'Inform', 9: 'Expire' },
    takes: (v, s) => v.protocol.startsWith('dhcp') || typeof s.peek('dhcp') === 'object',
    rules: [
      { from: (s) => DHCP_TYPES[String(s.peek('dhcp.message_type') ?? '').toUpperCase()] },
      { action: /expir/, id: 9 },
      ...Object.entries(DHCP_TYPES).map(([t, id]) => ({ action: new RegExp(`^dhcp${t.toLowerCase()}$`), id })),
    ],
    attributes: (s, v) => ({
      src_endpoint: endpoint(s, 'client', 'source', { hostname: s.str('dhcp.client.hostname') }),
      dst_endpoint: endpoint(s, 'server', 'destination'),
      lease_dur: s.num('dhcp.lease.duration'),
      relay: compact({ ip: s.str('dhcp.relay.ip') }),
      is_renewal: /renew/.test(v.action) || undefined,
      transaction_uid: s.str('dhcp.transaction_id'),
      connection_info: connection(s),
    }),
  },
  {
    uid: 3002,
    name: 'Authentication',
    category: 3,
    activities: { 1: 'Logon', 2: 'Logoff', 3: 'Authentication Ticket', 4: 'Service Ticket Request', 5: 'Service Ticket Renew', 6: 'Preauth' },
    takes: (v) => !v.types.has('connection') && (has(v, 'authentication') || (has(v, 'session') && (v.types.has('start') || v.types.has('end')))),
    rules: [
      { action: /preauth/, id: 6 },
      { action: /ticket.*renew/, id: 5 },
      { action: /service.?ticket/, id: 4 },
      { action: /kerberos.*ticket|authentication.?ticket|\btgt\b/, id: 3 },
      { type: 'end', id: 2 },
      { action: /log.?off|log.?out|sign.?out|session.?end/, id: 2 },
      { type: 'start', id: 1 },
      { when: (v) => v.outcome === 'success' || v.outcome === 'failure', id: 1 },
    ],
    attributes: (s, v) => {
      const proto = authProtocol(s, v);
      const logonType = s.str('winlog.logon.type', 'winlog.event_data.LogonType');
      return {
        user: user(s, 'user'),
        ...iamContext(s),
        dst_endpoint: endpoint(s, 'destination', 'server') ?? compact({ hostname: s.str('host.name', 'host.hostname'), ip: first(s.strs('host.ip')) }),
        service: compact({ name: s.str('process.name') }),
        auth_protocol: proto?.[1],
        auth_protocol_id: proto?.[0],
        logon_type_id: logonType === undefined ? undefined : (LOGON_TYPES[logonType.toLowerCase()] ?? (/^\d+$/.test(logonType) ? Number(logonType) : 99)),
        logon_type: logonType,
        is_mfa: MFA_RE.test(v.action) || undefined,
        session: compact({ uid: s.str('winlog.logon.id') }),
      };
    },
  },
  {
    uid: 3006,
    name: 'Group Management',
    category: 3,
    activities: { 1: 'Assign Privileges', 2: 'Revoke Privileges', 3: 'Add User', 4: 'Remove User', 5: 'Delete', 6: 'Create' },
    takes: (v) => has(v, 'iam') && (v.types.has('group') || v.action.startsWith('group.')),
    rules: [
      { action: /(remov|delet).*(member|user)|(member|user).*(remov|delet)/, id: 4 },
      { action: /(add|create).*(member|user)|(member|user).*add/, id: 3 },
      { action: /revoke|detach.*polic|delete.*polic/, id: 2 },
      { action: /(grant|assign).*(privilege|role|polic)|(privilege|role).*(grant|assign)|attach.*polic|put.*polic/, id: 1 },
      { type: 'creation', id: 6 },
      { type: 'deletion', id: 5 },
    ],
    attributes: (s) => {
      const target = user(s, 'user.target');
      return {
        group: compact({ name: s.str('group.name', 'user.target.group.name'), uid: s.str('group.id', 'user.target.group.id'), domain: s.str('group.domain', 'user.target.group.domain') }),
        user: target,
        actor: compact({ user: user(s, 'user') }),
        ...iamContext(s),
      };
    },
  },
  {
    uid: 3001,
    name: 'Account Change',
    category: 3,
    activities: { 1: 'Create', 2: 'Enable', 3: 'Password Change', 4: 'Password Reset', 5: 'Disable', 6: 'Delete', 7: 'Attach Policy', 8: 'Detach Policy', 9: 'Lock', 10: 'MFA Factor Enable', 11: 'MFA Factor Disable', 12: 'Unlock' },
    takes: (v) => has(v, 'iam') && v.types.has('user'),
    rules: [
      { action: /unlock/, id: 12 },
      { action: /(^|[^b])lock/, id: 9 },
      { action: new RegExp(`${MFA}.*${OFF}|${OFF}.*${MFA}`), id: 11 },
      { action: MFA_RE, id: 10 },
      { action: /expir/, id: 99 },
      { action: /reset.*password|password.*reset|forgot.*password/, id: 4 },
      { action: /password|passwd|login.?profile/, id: 3 },
      { action: /detach.*polic|delete.*polic|revoke/, id: 8 },
      { action: /attach.*polic|put.*polic|grant/, id: 7 },
      { action: /unsuspend/, id: 2 },
      { action: /disable|deactivat|suspend/, id: 5 },
      { action: /enable|activat/, id: 2 },
      { type: 'creation', id: 1 },
      { type: 'deletion', id: 6 },
    ],
    attributes: (s) => {
      // ECS `user` is who acted, `user.target` the account acted on; without a target the event is about `user` itself.
      const target = user(s, 'user.target');
      return { ...(target ? { user: target, actor: compact({ user: user(s, 'user') }) } : { user: user(s, 'user') }), ...iamContext(s) };
    },
  },
  {
    uid: 6003,
    name: 'API Activity',
    category: 6,
    activities: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete' },
    takes: (v) => has(v, 'api') || API_AUDIT_DATASETS.has(v.dataset),
    rules: [
      { type: 'creation', id: 1 },
      { type: 'deletion', id: 4 },
      { type: 'change', id: 3 },
      { when: (_, s) => s.peek('aws.cloudtrail.read_only') === true, id: 2 },
      { type: 'access', id: 2 },
      { action: /^(create|add|put|run|import|insert|register)/, id: 1 },
      { action: /^(get|list|describe|read|lookup|search)/, id: 2 },
      { action: /^(delete|remove|terminate|destroy|deregister)/, id: 4 },
      { action: /^(update|modify|set|change|attach|detach|enable|disable|start|stop|reboot|patch)/, id: 3 },
    ],
    attributes: (s) => ({
      api: compact({ operation: s.str('event.action'), service: compact({ name: s.str('event.provider') }), request: compact({ uid: s.str('aws.cloudtrail.request_id') }) }),
      actor: compact({ user: user(s, 'user') ?? user(s, 'source.user') }),
      src_endpoint: endpoint(s, 'source', 'client'),
      http_request: compact({ user_agent: s.str('user_agent.original') }),
      resources: s.str('user.target.name') ? [compact({ name: s.str('user.target.name'), uid: s.str('user.target.id'), type: 'user' })] : undefined,
    }),
  },
  {
    uid: 4002,
    name: 'HTTP Activity',
    category: 4,
    activities: { 1: 'Connect', 2: 'Delete', 3: 'Get', 4: 'Head', 5: 'Options', 6: 'Post', 7: 'Put', 8: 'Trace' },
    takes: (v, s) => has(v, 'web') || s.peek('http.request.method') !== undefined,
    rules: [{ from: (s) => HTTP_METHODS[String(s.peek('http.request.method') ?? '').toUpperCase()] }],
    attributes: (s) => ({
      http_request: compact({
        http_method: s.str('http.request.method')?.toUpperCase(),
        url: compact({ url_string: s.str('url.full', 'url.original'), hostname: s.str('url.domain'), path: s.str('url.path'), query_string: s.str('url.query'), scheme: s.str('url.scheme'), port: s.num('url.port') }),
        user_agent: s.str('user_agent.original'),
        referrer: s.str('http.request.referrer'),
        version: s.str('http.version'),
        length: s.num('http.request.bytes', 'http.request.body.bytes'),
      }),
      http_response: compact({ code: s.num('http.response.status_code'), content_type: s.str('http.response.mime_type'), length: s.num('http.response.bytes', 'http.response.body.bytes') }),
      actor: compact({ user: user(s, 'user') }),
      ...network(s),
    }),
  },
  {
    uid: 1007,
    name: 'Process Activity',
    category: 1,
    activities: { 1: 'Launch', 2: 'Terminate', 3: 'Open', 4: 'Inject', 5: 'Set User ID' },
    takes: (v) => has(v, 'process'),
    rules: [
      { action: /inject|remote.?thread/, id: 4 },
      { action: /process.?access|open/, id: 3 },
      { action: /setuid|set.?user.?id/, id: 5 },
      { type: 'start', id: 1 },
      { type: 'end', id: 2 },
    ],
    attributes: (s) => {
      const parent = processObj(s, 'process.parent');
      return {
        process: compact({ ...processObj(s, 'process'), parent_process: parent, user: compact({ uid: s.str('process.user.id') }) }),
        actor: compact({ user: user(s, 'user'), process: parent }),
        exit_code: s.num('process.exit_code'),
      };
    },
  },
  {
    uid: 4001,
    name: 'Network Activity',
    category: 4,
    activities: { 1: 'Open', 2: 'Close', 3: 'Reset', 4: 'Fail', 5: 'Refuse', 6: 'Traffic', 7: 'Listen' },
    takes: (v) => has(v, 'network') || v.types.has('connection'),
    rules: [
      { action: /reset/, id: 3 },
      { action: /refus/, id: 5 },
      { action: /fail|timeout/, id: 4 },
      { action: /listen/, id: 7 },
      { type: 'start', id: 1 },
      { type: 'end', id: 2 },
      { when: (v) => v.types.has('allowed') || v.types.has('denied') || v.types.has('protocol'), id: 6 },
    ],
    attributes: (s) => ({
      ...network(s),
      app_name: s.str('network.protocol'),
      traffic: compact({ bytes_out: s.num('source.bytes'), bytes_in: s.num('destination.bytes'), bytes: s.num('network.bytes'), packets: s.num('network.packets') }),
    }),
  },
  {
    uid: 0,
    name: 'Base Event',
    category: 0,
    activities: {},
    takes: () => true,
    rules: [],
    attributes: (s) => ({ actor: compact({ user: user(s, 'user') }) }),
  },
];

/** Who an event is about: the tenant and Vigil's event id (taken from `vigil.tenant`/`vigil.id` when not given). */
export interface OcsfRef {
  tenant?: string;
  id?: string;
}

/** The OCSF record for one ECS event. Never throws: an event no class takes is a Base Event. */
export function toOcsf(doc: EcsDoc, ref: OcsfRef = {}): Record<string, unknown> {
  const s = new EcsSource(doc);
  const v: View = {
    cats: new Set(asStrings(s.peek('event.category'))),
    types: new Set(asStrings(s.peek('event.type'))),
    action: String(s.peek('event.action') ?? '').toLowerCase(),
    dataset: String(s.peek('event.dataset') ?? ''),
    protocol: String(s.peek('network.protocol') ?? '').toLowerCase(),
    outcome: String(s.peek('event.outcome') ?? ''),
  };
  const cls = CLASSES.find((c) => c.takes(v, s))!;
  const activityId = activityOf(cls, v, s);
  // The source's own action names an activity OCSF has no id for; otherwise it stays in unmapped.
  const activityName = activityId === 99 ? (s.str('event.action') ?? 'Other') : activityId === 0 ? 'Unknown' : cls.activities[activityId]!;
  const severityId = severityOf(s);
  const statusId = v.outcome === 'success' ? 1 : v.outcome === 'failure' ? 2 : 0;
  s.claim('event.outcome', 'related'); // related.* repeats fields mapped elsewhere
  const record: Rec = {
    class_uid: cls.uid,
    class_name: cls.name,
    category_uid: cls.category,
    category_name: CATEGORIES[cls.category],
    activity_id: activityId,
    activity_name: activityName,
    type_uid: cls.uid * 100 + activityId,
    type_name: `${cls.name}: ${activityName}`,
    time: timestampMs(doc),
    severity_id: severityId,
    severity: SEVERITIES[severityId],
    status_id: statusId,
    status: ['Unknown', 'Success', 'Failure'][statusId],
    status_detail: s.str('event.reason'),
    message: s.str('message'),
    start_time: ms(s.str('event.start')),
    end_time: ms(s.str('event.end')),
    duration: nsToMs(s.num('event.duration')),
    ...cls.attributes(s, v),
    ...control(v),
    device: device(s),
    cloud: s.str('cloud.provider') ? compact({ provider: s.str('cloud.provider'), region: s.str('cloud.region'), account: compact({ uid: s.str('cloud.account.id') }) }) : undefined,
    metadata: metadata(s, ref),
    raw_data: s.str('event.original'),
  };
  record.unmapped = s.unmapped();
  return compact(record)!;
}

function activityOf(cls: OcsfClass, v: View, s: EcsSource): number {
  for (const r of cls.rules) {
    if (r.action && !r.action.test(v.action)) continue;
    if (r.type && !v.types.has(r.type)) continue;
    if (r.when && !r.when(v, s)) continue;
    const id = r.from ? r.from(s) : r.id;
    if (id !== undefined) return id;
  }
  return v.action ? 99 : 0;
}

const LEVEL_SEVERITY: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const LOG_LEVEL_SEVERITY: Record<string, number> = { emergency: 5, emerg: 5, alert: 5, critical: 5, crit: 5, fatal: 6, error: 4, err: 4, warning: 3, warn: 3, notice: 2, information: 1, informational: 1, info: 1, debug: 1, trace: 1, verbose: 1 };

/**
 * An alert's rule level; else the source's syslog severity; else its log level; else Unknown. Read
 * without claiming: the source's own value stays in unmapped.
 */
function severityOf(s: EcsSource): number {
  const level = String(s.peek('vigil.alert.level') ?? '');
  if (LEVEL_SEVERITY[level]) return LEVEL_SEVERITY[level]!;
  const code = Number(s.peek('log.syslog.severity.code') ?? NaN);
  if (Number.isInteger(code) && code >= 0 && code <= 7) return [5, 5, 5, 4, 3, 2, 1, 1][code]!;
  const lvl = String(s.peek('log.level') ?? '').toLowerCase();
  return LOG_LEVEL_SEVERITY[lvl] ?? 0;
}

/** security_control's action: what a policy did (a firewall, a proxy, a DHCP server refusing a lease). */
function control(v: View): Rec {
  const denied = v.types.has('denied') || (has(v, 'web') && /denied|blocked/.test(v.action));
  if (denied) return { action_id: 2, action: 'Denied', disposition_id: 2, disposition: 'Blocked' };
  if (v.types.has('allowed')) return { action_id: 1, action: 'Allowed', disposition_id: 1, disposition: 'Allowed' };
  return {};
}

function metadata(s: EcsSource, ref: OcsfRef): Rec {
  const product = s.str('observer.product');
  const vendor = s.str('observer.vendor');
  return compact({
    version: OCSF_VERSION,
    product: product || vendor ? compact({ name: product ?? vendor, vendor_name: vendor, version: s.str('observer.version') }) : { name: 'Vigil', vendor_name: 'Vigil' },
    uid: ref.id ?? s.str('vigil.id'),
    tenant_uid: ref.tenant ?? s.str('vigil.tenant'),
    original_time: s.str('@timestamp'),
    logged_time: ms(s.str('event.ingested')),
    log_name: s.str('event.dataset'),
    log_provider: s.str('event.provider'),
    event_code: s.str('event.code'),
    labels: s.strs('tags'),
  })!;
}

/** The host the event happened on (OCSF's host profile); type_id is required, and ECS does not say it. */
function device(s: EcsSource): Rec | undefined {
  const d = compact({ hostname: s.str('host.hostname', 'host.name'), name: s.str('host.name'), ip: first(s.strs('host.ip')), uid: s.str('host.id'), domain: s.str('host.domain') });
  return d ? { ...d, type_id: 0, type: 'Unknown' } : undefined;
}

function user(s: EcsSource, at: string): Rec | undefined {
  return compact({ name: s.str(`${at}.name`), uid: s.str(`${at}.id`), domain: s.str(`${at}.domain`), email_addr: s.str(`${at}.email`), full_name: s.str(`${at}.full_name`) });
}

/** A network endpoint from ECS `a` (else `b`, field by field: source/client and destination/server say the same thing). */
function endpoint(s: EcsSource, a: string, b: string, extra: Rec = {}): Rec | undefined {
  const address = s.str(`${a}.address`, `${b}.address`);
  const ip = s.str(`${a}.ip`, `${b}.ip`);
  const lat = s.num(`${a}.geo.location.lat`, `${b}.geo.location.lat`);
  const lon = s.num(`${a}.geo.location.lon`, `${b}.geo.location.lon`);
  const location = compact({
    city: s.str(`${a}.geo.city_name`, `${b}.geo.city_name`),
    country: s.str(`${a}.geo.country_iso_code`, `${b}.geo.country_iso_code`),
    region: s.str(`${a}.geo.region_name`, `${b}.geo.region_name`),
    coordinates: lat !== undefined && lon !== undefined ? [lon, lat] : undefined,
  });
  s.claim(`${a}.geo.country_name`, `${b}.geo.country_name`);
  return compact({
    ip,
    port: s.num(`${a}.port`, `${b}.port`),
    mac: s.str(`${a}.mac`, `${b}.mac`),
    hostname: s.str(`${a}.domain`, `${b}.domain`) ?? (address !== ip ? address : undefined),
    location,
    ...extra,
  });
}

/** What every IAM class may carry: where the request came from. */
function iamContext(s: EcsSource): Rec {
  return { src_endpoint: endpoint(s, 'source', 'client'), http_request: compact({ user_agent: s.str('user_agent.original') }) };
}

function network(s: EcsSource): Rec {
  return { src_endpoint: endpoint(s, 'source', 'client'), dst_endpoint: endpoint(s, 'destination', 'server'), connection_info: connection(s) };
}

function connection(s: EcsSource): Rec | undefined {
  return compact({ protocol_name: s.str('network.transport'), protocol_num: s.num('network.iana_number'), direction: s.str('network.direction'), protocol_ver: s.str('network.type') });
}

function processObj(s: EcsSource, at: string): Rec | undefined {
  const path = s.str(`${at}.executable`);
  return compact({
    pid: s.num(`${at}.pid`),
    name: s.str(`${at}.name`),
    cmd_line: s.str(`${at}.command_line`),
    uid: s.str(`${at}.entity_id`),
    file: path ? compact({ path, name: path.split(/[\\/]/).pop(), type_id: 1 }) : undefined,
  });
}

function authProtocol(s: EcsSource, v: View): [number, string] | undefined {
  const pkg = s.str('winlog.event_data.AuthenticationPackageName', 'winlog.event_data.PackageName');
  const hay = `${pkg ?? ''} ${v.action}`;
  for (const [re, id, name] of AUTH_PROTOCOLS) if (re.test(hay)) return [id, name];
  if (pkg) return [99, pkg];
  const method = s.str('system.auth.ssh.method');
  return method ? [99, method] : undefined;
}

function dnsAnswer(a: EcsValue): Rec {
  if (!isDoc(a)) return { rdata: String(a) };
  return compact({ rdata: a.data === undefined ? undefined : String(a.data), ttl: a.ttl, type: a.type, class: a.class }) ?? {};
}

function first(xs: string[]): string | undefined {
  return xs[0];
}

function ms(iso: string | undefined): number | undefined {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

function nsToMs(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : Math.round(ns / 1e6);
}
