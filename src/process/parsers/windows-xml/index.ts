// Raw Windows event XML, one <Event> per line (WEF/wevtutil exports, XML-rendering forwarders), read by
// the same decoder as the JSON shapes (../windows) so the events are identical; only the registration
// differs, because a parser sees either JSON or text records.
import { defineParser } from '../define.js';
import { fromXml, looksLikeEventXml } from '../windows/from-xml.js';
import { WINDOWS_REQUIREMENTS, mapWindows } from '../windows/map.js';

export default defineParser({
  id: 'windows-xml',
  title: 'Windows event logs (XML)',
  description: 'Windows events as raw event XML (<Event xmlns=…><System>…</System><EventData>…</EventData></Event>), one per line',
  input: 'text',
  requirements: WINDOWS_REQUIREMENTS,
  parse({ message }) {
    if (message.charCodeAt(0) !== 0x3c /* < */ && message.charCodeAt(0) > 0x20 && message.charCodeAt(0) !== 0xfeff) return null;
    if (!looksLikeEventXml(message)) return null;
    const ev = fromXml(message);
    return ev ? mapWindows(ev) : null;
  },
});
