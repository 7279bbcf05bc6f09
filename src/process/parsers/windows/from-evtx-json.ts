// The JSON renderings of EVTX records: evtx_dump (attributes under "#attributes", text under "#text")
// and xmltodict-style converters (attributes as "@Name"), both {"Event":{"System":{…},"EventData":{…}}}.
import type { EcsDoc } from '../../../core/event.js';
import { asInt, asString, asValue, keywordsHex, putValue, type WinEvent, type WinValue } from './event.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shape test: one key, then one more. */
export function isEvtxJson(json: EcsDoc): boolean {
  const ev = json.Event;
  return isObj(ev) && isObj(ev.System);
}

function attr(o: unknown, name: string): string | undefined {
  if (!isObj(o)) return undefined;
  const a = o['#attributes'];
  return asString(isObj(a) ? a[name] : undefined) ?? asString(o[`@${name}`]);
}

/** An element's text: the scalar itself, or its "#text". */
function text(o: unknown): string | undefined {
  if (isObj(o)) return asString(o['#text']);
  return asString(o);
}

export function fromEvtxJson(json: EcsDoc): WinEvent | null {
  const ev = json.Event as Obj;
  const sys = ev.System as Obj;
  const eventId = text(sys.EventID);
  if (eventId === undefined) return null;
  const out: WinEvent = {
    system: {
      provider: attr(sys.Provider, 'Name'),
      providerGuid: attr(sys.Provider, 'Guid'),
      eventId,
      version: asInt(text(sys.Version)),
      level: asInt(text(sys.Level)),
      task: asInt(text(sys.Task)),
      opcode: asInt(text(sys.Opcode)),
      keywords: keywordsHex(text(sys.Keywords)),
      timeCreated: attr(sys.TimeCreated, 'SystemTime'),
      recordId: text(sys.EventRecordID),
      activityId: attr(sys.Correlation, 'ActivityID'),
      relatedActivityId: attr(sys.Correlation, 'RelatedActivityID'),
      processId: asInt(attr(sys.Execution, 'ProcessID')),
      threadId: asInt(attr(sys.Execution, 'ThreadID')),
      channel: text(sys.Channel),
      computer: text(sys.Computer),
      userId: attr(sys.Security, 'UserID'),
    },
    eventData: readEventData(ev.EventData),
    rendered: {},
  };
  const ud = ev.UserData;
  if (isObj(ud)) {
    const name = Object.keys(ud).find((k) => !k.startsWith('#') && !k.startsWith('@'));
    if (name && isObj(ud[name])) out.userData = readFlat(ud[name] as Obj, { xml_name: name });
  }
  return out;
}

function readEventData(ed: unknown): Record<string, WinValue> {
  const out: Record<string, WinValue> = {};
  if (!isObj(ed)) return out;
  const data = ed.Data;
  // xmltodict: "Data": [{"@Name": "X", "#text": "v"}, …] (or one object); unnamed data as plain strings.
  if (data !== undefined) {
    const items = Array.isArray(data) ? data : [data];
    let unnamed = 0;
    for (const d of items) {
      const name = attr(d, 'Name');
      const raw = isObj(d) ? d['#text'] : d;
      const v = raw === null || raw === undefined ? '' : asValue(raw);
      if (v === undefined) continue;
      if (name) putValue(out, name, v);
      else if (Array.isArray(v)) for (const x of v) putValue(out, `param${++unnamed}`, x);
      else putValue(out, `param${++unnamed}`, v);
    }
  }
  // evtx_dump: named data become keys of EventData itself.
  return readFlat(ed, out, ['Data', '#attributes']);
}

function readFlat(o: Obj, out: Record<string, WinValue>, skip: string[] = ['#attributes']): Record<string, WinValue> {
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k) || k.startsWith('@') || k.startsWith('#')) continue;
    const val = v === null ? '' : asValue(v);
    if (val !== undefined) putValue(out, k, val);
  }
  return out;
}
