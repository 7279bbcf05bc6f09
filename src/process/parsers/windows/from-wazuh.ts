// Wazuh's eventchannel JSON: {"win": {"system": {eventID, channel, providerName, systemTime, …},
// "eventdata": {targetUserName, …}}}, alone or inside an alert's "data". Wazuh lower-cases the first
// letter of every event-data name and doubles backslashes; both are undone here so the event reads
// as Windows wrote it.
import type { EcsDoc } from '../../../core/event.js';
import { asInt, asString, asValue, keywordsHex, putValue, type WinEvent, type WinValue } from './event.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function winOf(json: EcsDoc): Obj | undefined {
  const w = json.win ?? (isObj(json.data) ? (json.data as Obj).win : undefined);
  return isObj(w) && isObj(w.system) ? w : undefined;
}

export function isWazuh(json: EcsDoc): boolean {
  return winOf(json) !== undefined;
}

function undouble(s: string): string {
  return s.includes('\\\\') ? s.replaceAll('\\\\', '\\') : s;
}

export function fromWazuh(json: EcsDoc): WinEvent | null {
  const win = winOf(json)!;
  const sys = win.system as Obj;
  const eventId = asString(sys.eventID);
  if (eventId === undefined) return null;
  const eventData: Record<string, WinValue> = {};
  if (isObj(win.eventdata)) {
    for (const [k, v] of Object.entries(win.eventdata)) {
      const val = asValue(v);
      if (val === undefined || !k) continue;
      putValue(eventData, k[0]!.toUpperCase() + k.slice(1), Array.isArray(val) ? val.map(undouble) : undouble(val));
    }
  }
  const severity = asString(sys.severityValue);
  const message = asString(sys.message);
  return {
    system: {
      provider: asString(sys.providerName),
      providerGuid: asString(sys.providerGuid),
      eventId,
      version: asInt(sys.version),
      level: asInt(sys.level),
      task: asInt(sys.task),
      opcode: asInt(sys.opcode),
      keywords: keywordsHex(sys.keywords),
      timeCreated: asString(sys.systemTime),
      recordId: asString(sys.eventRecordID),
      processId: asInt(sys.processID),
      threadId: asInt(sys.threadID),
      channel: asString(sys.channel),
      computer: asString(sys.computer),
      userId: asString(sys.securityUserID),
    },
    eventData,
    rendered: {
      // Wazuh wraps the rendered message in quotes.
      message: message && message.length > 1 && message.startsWith('"') && message.endsWith('"') ? message.slice(1, -1) : message,
      keywords: severity === 'AUDIT_SUCCESS' ? ['Audit Success'] : severity === 'AUDIT_FAILURE' ? ['Audit Failure'] : undefined,
    },
  };
}
