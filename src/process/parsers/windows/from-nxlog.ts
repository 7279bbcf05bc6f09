// NXLog im_msvistalog + to_json (and shippers that flatten the same way): the <System> values as
// EventID, Channel, SourceName, Hostname, EventTime, … with the <EventData> values beside them at the
// top level. What is not a known header key and starts with a capital letter is event data.
import type { EcsDoc } from '../../../core/event.js';
import { isoTime } from '../ecs.js';
import { asInt, asString, asValue, keywordsHex, putValue, type WinEvent, type WinValue } from './event.js';

export function isNxlog(json: EcsDoc): boolean {
  return (json.EventID !== undefined || json.EventId !== undefined) && (json.Channel !== undefined || json.SourceName !== undefined || json.ProviderName !== undefined);
}

/** NXLog's header fields (im_msvistalog), and those of shippers that copy its names. */
const HEADER = new Set([
  'EventID', 'EventId', 'EventTime', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType', 'Hostname', 'Computer',
  'Keywords', 'SeverityValue', 'Severity', 'SourceName', 'ProviderName', 'ProviderGuid', 'Version', 'Task', 'OpcodeValue',
  'Opcode', 'RecordNumber', 'EventRecordID', 'ActivityID', 'RelatedActivityID', 'ExecutionProcessID', 'ExecutionThreadID',
  'ThreadID', 'Channel', 'Category', 'Message', 'Level', 'LevelText', 'TimeCreated', 'Qualifiers', 'UserID',
  'ERROR_EVT_UNRESOLVED', 'MessageSourceAddress', 'EventTimeWritten', 'EventTimeGenerated',
]);

/** NXLog's EventType values; anything else under that key is event data (Sysmon registry events). */
const EVENT_TYPES = new Set(['AUDIT_SUCCESS', 'AUDIT_FAILURE', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'VERBOSE']);
const LEVEL_NAMES: Record<string, string> = { INFO: 'information', WARNING: 'warning', ERROR: 'error', CRITICAL: 'critical', VERBOSE: 'verbose', DEBUG: 'verbose' };

export function fromNxlog(json: EcsDoc): WinEvent | null {
  const eventId = asString(json.EventID) ?? asString(json.EventId);
  if (eventId === undefined) return null;
  const eventType = asString(json.EventType);
  const isNxType = eventType !== undefined && EVENT_TYPES.has(eventType);
  // NXLog resolves the UserID into AccountName/Domain/AccountType; without a UserID those names are
  // the event's own data (4778's AccountName, for one).
  const userId = asString(json.UserID);
  const eventData: Record<string, WinValue> = {};
  for (const [k, v] of Object.entries(json)) {
    const c = k.charCodeAt(0);
    if (c < 0x41 || c > 0x5a || HEADER.has(k)) continue; // lower-case and '@' keys are the shipper's
    if (k === 'EventType' && isNxType) continue;
    if (userId && (k === 'AccountName' || k === 'Domain' || k === 'AccountType')) continue;
    const val = asValue(v);
    if (val !== undefined) putValue(eventData, k, val);
  }
  const severity = asString(json.Severity);
  const keywords: string[] = [];
  if (eventType === 'AUDIT_SUCCESS') keywords.push('Audit Success');
  if (eventType === 'AUDIT_FAILURE') keywords.push('Audit Failure');
  return {
    system: {
      provider: asString(json.SourceName) ?? asString(json.ProviderName),
      providerGuid: asString(json.ProviderGuid),
      eventId,
      version: asInt(json.Version),
      level: asInt(json.Level),
      task: asInt(json.Task),
      opcode: asInt(json.OpcodeValue),
      keywords: keywordsHex(json.Keywords),
      timeCreated: eventTime(json),
      recordId: asString(json.RecordNumber) ?? asString(json.EventRecordID),
      activityId: asString(json.ActivityID),
      relatedActivityId: asString(json.RelatedActivityID),
      processId: asInt(json.ExecutionProcessID),
      threadId: asInt(json.ThreadID) ?? asInt(json.ExecutionThreadID),
      channel: asString(json.Channel),
      computer: asString(json.Hostname) ?? asString(json.Computer),
      userId,
    },
    eventData,
    rendered: {
      message: asString(json.Message),
      level: severity ? LEVEL_NAMES[severity] : undefined,
      task: asString(json.Category),
      opcode: typeof json.Opcode === 'string' ? json.Opcode : undefined,
      keywords: keywords.length ? keywords : undefined,
      userName: userId ? asString(json.AccountName) : undefined,
      userDomain: userId ? asString(json.Domain) : undefined,
      userType: userId ? asString(json.AccountType) : undefined,
    },
  };
}

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/;
const HALF_HOUR = 30 * 60_000;
const MAX_OFFSET = 14 * 3_600_000;
const MAX_DELAY = 5 * 60_000;

/**
 * The event's time. NXLog writes EventTime in the collector's local time without a zone
 * ("2026-11-23 08:00:01"). When the record also carries a zoned receive time (@timestamp, added by
 * Logstash/NXLog pipelines moments later), the zone offset is the difference rounded to a half hour,
 * provided what is left over (the shipping delay) is under five minutes; otherwise (and in the rare
 * :45 zones) the local time is read as UTC.
 */
function eventTime(json: EcsDoc): string | undefined {
  const created = asString(json.TimeCreated);
  if (created && isoTime(created) && !ZONELESS.test(created)) return isoTime(created);
  const raw = asString(json.EventTime) ?? created;
  if (!raw) return undefined;
  const m = ZONELESS.exec(raw);
  if (!m) return isoTime(raw);
  const asUtc = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${(m[7] ?? '').slice(0, 4)}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  const received = Date.parse(asString(json['@timestamp']) ?? '');
  let offset = 0;
  if (!Number.isNaN(received)) {
    const diff = Math.round((asUtc - received) / HALF_HOUR) * HALF_HOUR;
    if (Math.abs(diff) <= MAX_OFFSET && Math.abs(asUtc - diff - received) < MAX_DELAY) offset = diff;
  }
  return new Date(asUtc - offset).toISOString();
}
