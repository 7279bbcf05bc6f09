// Sysmon (Microsoft-Windows-Sysmon/Operational): processes, network connections, files, registry and
// DNS queries, mapped to process.*, source/destination.*, file.*, registry.* and dns.* as Elastic's
// Windows integration does. @timestamp is Sysmon's own UtcTime (when the action happened).
import type { EcsDoc } from '../../../core/event.js';
import { categorise, put, tag, type MapContext } from './context.js';
import { qtypeName } from '../windows-dns/dns-codes.js';
import { basename, dirname, extension, field, intField, ipField, portField, splitAccount, splitCommandLine } from './values.js';

const EVENTS: Record<string, [category: string[] | undefined, type: string[], action: string]> = {
  '1': [['process'], ['start'], 'process-creation'],
  '2': [['file'], ['change'], 'file-creation-time-changed'],
  '3': [['network'], ['start', 'connection', 'protocol'], 'network-connection'],
  '4': [['process'], ['change'], 'sysmon-service-state-changed'],
  '5': [['process'], ['end'], 'process-terminated'],
  '6': [['driver'], ['start'], 'driver-loaded'],
  '7': [['process'], ['change'], 'image-loaded'],
  '8': [['process'], ['change'], 'create-remote-thread'],
  '9': [['process'], ['access'], 'raw-access-read'],
  '10': [['process'], ['access'], 'process-access'],
  '11': [['file'], ['creation'], 'file-create'],
  '12': [['configuration', 'registry'], ['change'], 'registry-object-added-or-deleted'],
  '13': [['configuration', 'registry'], ['change'], 'registry-value-set'],
  '14': [['configuration', 'registry'], ['change'], 'registry-object-renamed'],
  '15': [['file'], ['access'], 'file-create-stream-hash'],
  '16': [['configuration'], ['change'], 'sysmon-config-state-changed'],
  '17': [['file'], ['creation'], 'pipe-created'],
  '18': [['file'], ['access'], 'pipe-connected'],
  '19': [['process'], ['info'], 'wmi-event-filter'],
  '20': [['process'], ['change'], 'wmi-event-consumer'],
  '21': [['process'], ['access'], 'wmi-event-consumer-to-filter'],
  '22': [['network'], ['connection', 'protocol', 'info'], 'dns-query'],
  '23': [['file'], ['deletion'], 'file-delete'],
  '24': [undefined, ['change'], 'clipboard-change'],
  '25': [['process'], ['change'], 'process-tampering'],
  '26': [['file'], ['deletion'], 'file-delete-detected'],
  '27': [['file'], ['creation'], 'file-block-executable'],
  '28': [['file'], ['deletion'], 'file-block-shredding'],
  '29': [['file'], ['creation'], 'file-executable-detected'],
  '255': [['process'], ['error'], 'error'],
};

/** Win32 / DNS status codes of Sysmon DNS queries (QueryStatus), the common ones. */
const DNS_STATUS: Record<string, string> = {
  '0': 'SUCCESS', '5': 'ERROR_ACCESS_DENIED', '123': 'ERROR_INVALID_NAME', '1214': 'ERROR_INVALID_NETNAME',
  '1223': 'ERROR_CANCELLED', '1460': 'ERROR_TIMEOUT', '9001': 'DNS_ERROR_RCODE_FORMAT_ERROR',
  '9002': 'DNS_ERROR_RCODE_SERVER_FAILURE', '9003': 'DNS_ERROR_RCODE_NAME_ERROR', '9004': 'DNS_ERROR_RCODE_NOT_IMPLEMENTED',
  '9005': 'DNS_ERROR_RCODE_REFUSED', '9501': 'DNS_INFO_NO_RECORDS', '9502': 'DNS_ERROR_BAD_PACKET',
  '9503': 'DNS_ERROR_NO_PACKET', '9560': 'DNS_ERROR_INVALID_NAME_CHAR', '9701': 'DNS_ERROR_RECORD_DOES_NOT_EXIST',
  '9851': 'DNS_ERROR_NO_TCPIP', '9852': 'DNS_ERROR_NO_DNS_SERVERS', '10054': 'WSAECONNRESET', '10060': 'WSAETIMEDOUT',
};

const HIVES: Record<string, string> = {
  HKEY_CLASSES_ROOT: 'HKCR', HKCR: 'HKCR', HKEY_CURRENT_CONFIG: 'HKCC', HKCC: 'HKCC', HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU', HKEY_LOCAL_MACHINE: 'HKLM', HKLM: 'HKLM', HKEY_USERS: 'HKU', HKU: 'HKU',
};

export function mapSysmon(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const kind = EVENTS[id];
  if (kind) categorise(doc, kind[0], kind[1], kind[2]);
  if (id === '27' || id === '255') put(doc, 'event.outcome', 'failure');
  const utc = sysmonTime(field(data, 'UtcTime'));
  if (utc) doc['@timestamp'] = utc;
  const rule = field(data, 'RuleName');
  put(doc, 'rule.name', rule);

  // The acting process: Image/ProcessGuid, or Source* for access and remote-thread events.
  const exe = field(data, 'Image') ?? field(data, 'SourceImage');
  put(doc, 'process.entity_id', field(data, 'ProcessGuid') ?? field(data, 'SourceProcessGuid') ?? field(data, 'SourceProcessGUID'));
  put(doc, 'process.pid', intField(data, 'ProcessId') ?? intField(data, 'SourceProcessId'));
  put(doc, 'process.thread.id', intField(data, 'SourceThreadId'));
  put(doc, 'process.executable', exe);
  put(doc, 'process.name', basename(exe));
  const account = splitAccount(field(data, 'User') ?? field(data, 'SourceUser'));
  put(doc, 'user.name', account.name);
  put(doc, 'user.domain', account.domain);

  const hashes = parseHashes(field(data, 'Hashes') ?? field(data, 'Hash'));
  if (id === '1') processCreate(doc, data, hashes);
  else if (id === '3') networkConnection(doc, data);
  else if (id === '22') dnsQuery(ctx);
  else if (id === '12' || id === '13' || id === '14') registry(doc, data);
  // Hashes describe the image for process events and the file for file events (23: the deleted file).
  if (id === '24' || id === '25') put(doc, 'process.hash', hashes);
  if (id === '6' || id === '7' || id === '15' || id === '23' || id === '26' || id === '29') put(doc, 'file.hash', hashes);
  if (hashes) put(doc, 'related.hash', [...new Set(Object.values(hashes))]);
  filePath(doc, field(data, 'TargetFilename') ?? field(data, 'ImageLoaded') ?? field(data, 'Device'));
  put(doc, 'file.name', field(data, 'PipeName'));
}

/** "2026-11-23 08:00:01.123" (UTC) → ISO. */
function sysmonTime(v: string | undefined): string | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(v)) return undefined;
  const d = new Date(v.replace(' ', 'T') + 'Z');
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** "SHA1=…,MD5=…,SHA256=…,IMPHASH=…" → {sha1, md5, sha256, imphash}, lower-case, empty hashes dropped. */
function parseHashes(v: string | undefined): Record<string, string> | undefined {
  if (!v) return undefined;
  const out: Record<string, string> = {};
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (!/^[a-z0-9]+$/.test(key) || value === '' || /^0+$/.test(value)) continue;
    out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function processCreate(doc: EcsDoc, data: MapContext['data'], hashes: Record<string, string> | undefined): void {
  const cmd = field(data, 'CommandLine');
  if (cmd) {
    put(doc, 'process.command_line', cmd);
    const args = splitCommandLine(cmd);
    put(doc, 'process.args', args);
    put(doc, 'process.args_count', args.length);
  }
  put(doc, 'process.working_directory', field(data, 'CurrentDirectory'));
  if (hashes) {
    const { imphash, ...rest } = hashes;
    put(doc, 'process.hash', Object.keys(rest).length ? rest : undefined);
    put(doc, 'process.pe.imphash', imphash);
  }
  put(doc, 'process.pe.original_file_name', field(data, 'OriginalFileName'));
  put(doc, 'process.pe.company', field(data, 'Company'));
  put(doc, 'process.pe.description', field(data, 'Description'));
  put(doc, 'process.pe.file_version', field(data, 'FileVersion'));
  put(doc, 'process.pe.product', field(data, 'Product'));
  const parent = field(data, 'ParentImage');
  put(doc, 'process.parent.entity_id', field(data, 'ParentProcessGuid'));
  put(doc, 'process.parent.pid', intField(data, 'ParentProcessId'));
  put(doc, 'process.parent.executable', parent);
  put(doc, 'process.parent.name', basename(parent));
  const pcmd = field(data, 'ParentCommandLine');
  if (pcmd) {
    put(doc, 'process.parent.command_line', pcmd);
    const args = splitCommandLine(pcmd);
    put(doc, 'process.parent.args', args);
    put(doc, 'process.parent.args_count', args.length);
  }
}

function networkConnection(doc: EcsDoc, data: MapContext['data']): void {
  put(doc, 'network.transport', field(data, 'Protocol')?.toLowerCase());
  put(doc, 'network.protocol', field(data, 'DestinationPortName') ?? field(data, 'SourcePortName'));
  const initiated = field(data, 'Initiated')?.toLowerCase();
  if (initiated === 'true') put(doc, 'network.direction', 'egress');
  if (initiated === 'false') put(doc, 'network.direction', 'ingress');
  const v6 = field(data, 'SourceIsIpv6')?.toLowerCase();
  if (v6 === 'true') put(doc, 'network.type', 'ipv6');
  if (v6 === 'false') put(doc, 'network.type', 'ipv4');
  put(doc, 'source.ip', ipField(field(data, 'SourceIp')));
  put(doc, 'source.port', portField(field(data, 'SourcePort')));
  put(doc, 'source.domain', field(data, 'SourceHostname'));
  put(doc, 'destination.ip', ipField(field(data, 'DestinationIp')));
  put(doc, 'destination.port', portField(field(data, 'DestinationPort')));
  put(doc, 'destination.domain', field(data, 'DestinationHostname'));
}

/** EID 22: the question, the answers Sysmon saw ("type:  5 cname;::ffff:1.2.3.4;") and the status. */
function dnsQuery(ctx: MapContext): void {
  const { doc, data } = ctx;
  put(doc, 'network.protocol', 'dns');
  const name = field(data, 'QueryName');
  put(doc, 'dns.question.name', name);
  const status = field(data, 'QueryStatus')?.trim();
  if (status !== undefined) put(doc, 'sysmon.dns.status', DNS_STATUS[status] ?? status);
  if (status !== undefined) put(doc, 'event.outcome', status === '0' ? 'success' : 'failure');
  const answers: EcsDoc[] = [];
  const ips: string[] = [];
  const hosts: string[] = [];
  for (const part of (field(data, 'QueryResults') ?? '').split(';')) {
    const item = part.trim();
    if (!item) continue;
    if (item.startsWith('type:')) {
      const [, type, value] = item.split(/\s+/, 3);
      const answer: EcsDoc = {};
      if (type) answer.type = qtypeName(type);
      if (value) {
        answer.data = value;
        hosts.push(value);
      }
      answers.push(answer);
    } else {
      const ip = ipField(item);
      if (ip) ips.push(ip);
    }
  }
  for (const ip of ips) answers.push({ data: ip, type: ip.includes(':') ? 'AAAA' : 'A' });
  put(doc, 'dns.answers', answers);
  put(doc, 'dns.resolved_ip', ips);
  put(doc, 'related.ip', ips);
  if (name) hosts.push(name);
  put(doc, 'related.hosts', [...new Set(hosts)]);
  // A DNS query log kept on the end-user device (docs/parsers.md: DNS query and response).
  tag(ctx, ['B3'], ['P4a']);
}

function registry(doc: EcsDoc, data: MapContext['data']): void {
  const path = field(data, 'TargetObject');
  if (!path) return;
  put(doc, 'registry.path', path);
  const parts = path.split('\\');
  const hive = HIVES[parts[0]!.toUpperCase()];
  if (hive) {
    put(doc, 'registry.hive', hive);
    if (parts.length > 1) put(doc, 'registry.key', parts.slice(1).join('\\'));
  }
  put(doc, 'registry.value', parts[parts.length - 1] || undefined);
  const details = field(data, 'Details');
  if (details === undefined) return;
  const dword = /^DWORD \(0x([0-9a-fA-F]{8})\)$/.exec(details);
  const qword = /^QWORD \(0x([0-9a-fA-F]{8})-0x([0-9a-fA-F]{8})\)$/.exec(details);
  if (dword) put(doc, 'registry.data', { strings: [String(parseInt(dword[1]!, 16))], type: 'SZ_DWORD' });
  else if (qword) put(doc, 'registry.data', { strings: [BigInt('0x' + qword[1]! + qword[2]!).toString()], type: 'SZ_QWORD' });
  else put(doc, 'registry.data', { strings: [details], type: details === 'Binary Data' ? 'REG_BINARY' : 'REG_SZ' });
}

function filePath(doc: EcsDoc, path: string | undefined): void {
  if (!path) return;
  put(doc, 'file.path', path);
  const name = basename(path);
  put(doc, 'file.name', name);
  put(doc, 'file.directory', dirname(path));
  put(doc, 'file.extension', extension(name));
}
