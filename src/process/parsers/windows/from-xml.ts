// Raw Windows event XML (<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>…), as
// wevtutil, WEF forwarders, Splunk's XML rendering and Elastic's httpjson inputs carry it, on one line.
import { asInt, putValue, type WinEvent, type WinValue } from './event.js';
import { child, parseXml, type XmlElement } from './xml.js';

/** True when the text looks like an event record: one cheap prefix test before any parsing. */
export function looksLikeEventXml(text: string): boolean {
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) <= 0x20 || text.charCodeAt(i) === 0xfeff)) i++;
  if (text.startsWith('<Event', i)) return true;
  return text.startsWith('<?xml', i) && text.includes('<Event', i);
}

export function fromXml(text: string): WinEvent | null {
  const doc = parseXml(text);
  if (!doc || doc.root.name !== 'Event') return null;
  const sys = child(doc.root, 'System');
  if (!sys) return null;
  const t = (name: string) => trimmed(child(sys, name)?.text);
  const provider = child(sys, 'Provider');
  const exec = child(sys, 'Execution');
  const corr = child(sys, 'Correlation');
  const ev: WinEvent = {
    system: {
      provider: provider?.attrs.Name,
      providerGuid: provider?.attrs.Guid,
      eventId: t('EventID'),
      version: asInt(t('Version')),
      level: asInt(t('Level')),
      task: asInt(t('Task')),
      opcode: asInt(t('Opcode')),
      keywords: t('Keywords'),
      timeCreated: child(sys, 'TimeCreated')?.attrs.SystemTime,
      recordId: t('EventRecordID'),
      activityId: corr?.attrs.ActivityID,
      relatedActivityId: corr?.attrs.RelatedActivityID,
      processId: asInt(exec?.attrs.ProcessID),
      threadId: asInt(exec?.attrs.ThreadID),
      channel: t('Channel'),
      computer: t('Computer'),
      userId: child(sys, 'Security')?.attrs.UserID,
    },
    eventData: readEventData(child(doc.root, 'EventData')),
    rendered: readRendering(child(doc.root, 'RenderingInfo')),
  };
  const userData = child(doc.root, 'UserData')?.children[0];
  if (userData) ev.userData = readUserData(userData);
  if (!doc.complete) ev.partial = 'the XML record ends before </Event> (truncated?)';
  return ev;
}

function trimmed(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

function readEventData(el: XmlElement | undefined): Record<string, WinValue> {
  const out: Record<string, WinValue> = {};
  if (!el) return out;
  let unnamed = 0;
  for (const d of el.children) {
    if (d.name === 'Data') {
      const name = d.attrs.Name;
      if (name) putValue(out, name, d.text);
      else putValue(out, `param${++unnamed}`, d.text);
    } else if (d.name === 'Binary') putValue(out, 'Binary', d.text);
  }
  return out;
}

function readUserData(el: XmlElement): Record<string, WinValue> {
  const out: Record<string, WinValue> = { xml_name: el.name };
  for (const c of el.children) putValue(out, c.name, c.text);
  return out;
}

function readRendering(el: XmlElement | undefined): WinEvent['rendered'] {
  if (!el) return {};
  const keywords = child(el, 'Keywords')?.children.filter((k) => k.name === 'Keyword').map((k) => k.text.trim()).filter(Boolean);
  return {
    message: child(el, 'Message')?.text,
    level: trimmed(child(el, 'Level')?.text),
    task: trimmed(child(el, 'Task')?.text),
    opcode: trimmed(child(el, 'Opcode')?.text),
    keywords: keywords?.length ? keywords : undefined,
  };
}
