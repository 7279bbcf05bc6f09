// One mapping from the common WinEvent to ECS + winlog.*, whatever format the event came in: the
// <System> fields every event has, then the channel's own mapping (Security, Sysmon, PowerShell, DNS
// Server, System, Defender), then the requirement tags.
import type { EcsDoc } from '../../../core/event.js';
import { getPath } from '../../../core/event.js';
import { evidence, isoTime } from '../ecs.js';
import { put, type MapContext } from './context.js';
import { DEFENDER_CHANNEL, mapDefender } from './defender.js';
import { DNS_SERVER_PROVIDER, mapDnsServer } from './dns-server.js';
import type { WinEvent } from './event.js';
import { POWERSHELL_CHANNELS, mapPowerShell } from './powershell.js';
import { mapSecurity } from './security.js';
import { mapSysmon } from './sysmon.js';
import { mapSystem } from './system.js';

/** What Windows event logs can evidence (docs table), for both registrations. */
export const WINDOWS_REQUIREMENTS = ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B3', 'E4', 'E5'] as const;

/** event.dataset for every Windows event, whichever registration (JSON or XML) read it. */
export const WINDOWS_DATASET = 'windows';

const LEVEL_NAMES = ['information', 'critical', 'error', 'warning', 'information', 'verbose'];
const OPCODES: Record<number, string> = {
  0: 'Info', 1: 'Start', 2: 'Stop', 3: 'DCStart', 4: 'DCStop', 5: 'Extension', 6: 'Reply', 7: 'Resume', 8: 'Suspend',
  9: 'Send', 240: 'Receive',
};
/** The standard keywords (winmeta.xml); provider-defined bits have no name without the manifest. */
const KEYWORD_BITS: [bigint, string][] = [
  [0x1000000000000n, 'Response Time'],
  [0x2000000000000n, 'WDI Context'],
  [0x4000000000000n, 'WDI Diag'],
  [0x8000000000000n, 'SQM'],
  [0x10000000000000n, 'Audit Failure'],
  [0x20000000000000n, 'Audit Success'],
  [0x40000000000000n, 'Correlation Hint'],
  [0x80000000000000n, 'Classic'],
];

/** Channels of Windows servers' roles rather than end-user devices (E5 is for the latter). */
function isServerRoleChannel(channel: string | undefined): boolean {
  return !!channel && (channel.startsWith('Microsoft-Windows-DNSServer') || channel.startsWith('Microsoft-Windows-Dhcp-Server') || channel === 'DNS Server');
}

export function mapWindows(ev: WinEvent): EcsDoc {
  const sys = ev.system;
  const id = (sys.eventId ?? '').trim();
  const doc: EcsDoc = {};
  put(doc, '@timestamp', isoTime(sys.timeCreated));
  put(doc, 'event.kind', 'event');
  put(doc, 'event.code', id);
  put(doc, 'event.provider', sys.provider);
  put(doc, 'event.dataset', WINDOWS_DATASET);
  put(doc, 'host.name', sys.computer ?? ev.shipperHost);
  const level = ev.rendered.level?.toLowerCase() ?? (sys.level !== undefined ? LEVEL_NAMES[sys.level] : undefined);
  put(doc, 'log.level', level);
  put(doc, 'message', ev.rendered.message);

  const keywords = ev.rendered.keywords ?? keywordNames(sys.keywords);
  const winlog: EcsDoc = {};
  put(winlog, 'channel', sys.channel);
  put(winlog, 'computer_name', sys.computer);
  put(winlog, 'event_id', id);
  put(winlog, 'provider_name', sys.provider);
  put(winlog, 'provider_guid', sys.providerGuid);
  put(winlog, 'record_id', sys.recordId);
  put(winlog, 'version', sys.version);
  put(winlog, 'keywords', keywords);
  put(winlog, 'opcode', ev.rendered.opcode ?? (sys.opcode !== undefined ? OPCODES[sys.opcode] : undefined));
  put(winlog, 'task', ev.rendered.task);
  put(winlog, 'activity_id', sys.activityId);
  put(winlog, 'related_activity_id', sys.relatedActivityId);
  put(winlog, 'process.pid', sys.processId);
  put(winlog, 'process.thread.id', sys.threadId);
  put(winlog, 'user.identifier', sys.userId);
  put(winlog, 'user.name', ev.rendered.userName);
  put(winlog, 'user.domain', ev.rendered.userDomain);
  put(winlog, 'user.type', ev.rendered.userType);
  if (Object.keys(ev.eventData).length) winlog.event_data = ev.eventData;
  if (ev.userData) winlog.user_data = ev.userData;
  doc.winlog = winlog;

  if (keywords?.includes('Audit Failure')) put(doc, 'event.outcome', 'failure');
  else if (keywords?.includes('Audit Success')) put(doc, 'event.outcome', 'success');

  const ctx: MapContext = { ev, doc, id, data: ev.eventData, requirements: new Set(), principles: new Set() };
  const channel = sys.channel;
  const provider = sys.provider;
  if (channel === 'Security' || provider === 'Microsoft-Windows-Security-Auditing') mapSecurity(ctx);
  else if (channel === 'Microsoft-Windows-Sysmon/Operational' || provider === 'Microsoft-Windows-Sysmon') mapSysmon(ctx);
  else if ((channel && POWERSHELL_CHANNELS.has(channel)) || provider === 'Microsoft-Windows-PowerShell' || provider === 'PowerShell') mapPowerShell(ctx);
  else if (provider === DNS_SERVER_PROVIDER) mapDnsServer(ctx);
  else if (channel === DEFENDER_CHANNEL || provider === 'Microsoft-Windows-Windows Defender') mapDefender(ctx);
  else if (channel === 'System') mapSystem(ctx);
  // The <Security UserID> is the user the logging process ran as: it names the user only when the
  // event itself named none (Sysmon's User, PowerShell's User, Security's Subject/Target come first).
  if (getPath(doc, 'user') === undefined) put(doc, 'user.id', sys.userId);

  if (!isServerRoleChannel(channel)) {
    // NCSC Logging Made Easy: security logs of Windows end-user devices (Security, Sysmon, PowerShell…).
    ctx.requirements.add('E5');
    ctx.principles.add('P6');
  }
  evidence(doc, [...ctx.requirements], [...ctx.principles]);
  if (ev.partial) put(doc, 'vigil.parse', { status: 'partial', error: ev.partial });
  return doc;
}

function keywordNames(hex: string | undefined): string[] | undefined {
  if (!hex || !/^0[xX][0-9a-fA-F]{1,16}$/.test(hex)) return undefined;
  const mask = BigInt(hex);
  const names = KEYWORD_BITS.filter(([bit]) => (mask & bit) !== 0n).map(([, name]) => name);
  return names.length ? names : undefined;
}
