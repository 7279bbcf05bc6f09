// Winlogbeat and Elastic Agent documents: {"@timestamp", "winlog": {event_id, channel, provider_name,
// event_data, …}, "event": {code, provider}, "host": {name}, "log": {level}, "message"}. Events that
// Elastic's ingest pipelines already processed are read the same way (their winlog.* is kept).
import type { EcsDoc } from '../../../core/event.js';
import { asInt, asString, asValue, keywordsHex, putValue, type WinEvent, type WinValue } from './event.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isWinlogbeat(json: EcsDoc): boolean {
  const w = json.winlog;
  return isObj(w) && (w.event_id !== undefined || (isObj(json.event) && (json.event as Obj).code !== undefined));
}

export function fromWinlogbeat(json: EcsDoc): WinEvent | null {
  const w = json.winlog as Obj;
  const event = isObj(json.event) ? json.event : {};
  const eventId = asString(w.event_id) ?? asString(event.code);
  if (eventId === undefined) return null;
  const proc = isObj(w.process) ? w.process : {};
  const thread = isObj(proc.thread) ? proc.thread : {};
  const user = isObj(w.user) ? w.user : {};
  const host = isObj(json.host) ? json.host : {};
  const log = isObj(json.log) ? json.log : {};
  const keywords = Array.isArray(w.keywords) ? w.keywords.map(asString).filter((k): k is string => !!k) : undefined;
  const ev: WinEvent = {
    system: {
      provider: asString(w.provider_name) ?? asString(event.provider),
      providerGuid: asString(w.provider_guid),
      eventId,
      version: asInt(w.version),
      keywords: typeof w.keywords === 'string' ? keywordsHex(w.keywords) : undefined,
      timeCreated: asString(w.time_created) ?? asString(json['@timestamp']),
      recordId: asString(w.record_id),
      activityId: asString(w.activity_id),
      relatedActivityId: asString(w.related_activity_id),
      processId: asInt(proc.pid),
      threadId: asInt(thread.id),
      channel: asString(w.channel),
      computer: asString(w.computer_name),
      userId: asString(user.identifier),
    },
    eventData: readObject(w.event_data),
    rendered: {
      message: asString(json.message),
      level: asString(w.level) ?? asString(log.level),
      task: asString(w.task),
      opcode: asString(w.opcode),
      keywords: keywords?.length ? keywords : undefined,
      userName: asString(user.name),
      userDomain: asString(user.domain),
      userType: asString(user.type),
    },
    shipperHost: asString(host.name),
  };
  if (isObj(w.user_data)) ev.userData = readObject(w.user_data);
  return ev;
}

function readObject(o: unknown): Record<string, WinValue> {
  const out: Record<string, WinValue> = {};
  if (!isObj(o)) return out;
  for (const [k, v] of Object.entries(o)) {
    const val = asValue(v);
    if (val !== undefined) putValue(out, k, val);
  }
  return out;
}
