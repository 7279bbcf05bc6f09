// Windows event logs as JSON: Winlogbeat / Elastic Agent, NXLog (and shippers that flatten the same
// way), EVTX-to-JSON tools (evtx_dump, xmltodict) and Wazuh. Every shape is read into one WinEvent and
// mapped once (map.ts), so Security, Sysmon, PowerShell, DNS Server… events come out the same whatever
// carried them. Raw event XML is the text twin of this parser: ../windows-xml.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import type { WinEvent } from './event.js';
import { fromEvtxJson, isEvtxJson } from './from-evtx-json.js';
import { fromNxlog, isNxlog } from './from-nxlog.js';
import { fromWazuh, isWazuh } from './from-wazuh.js';
import { fromWinlogbeat, isWinlogbeat } from './from-winlogbeat.js';
import { WINDOWS_REQUIREMENTS, mapWindows } from './map.js';

/** The shape adapter for a JSON record, chosen by one or two key lookups; null when not Windows. */
export function readWindowsJson(json: EcsDoc): WinEvent | null {
  if (json.winlog !== undefined && isWinlogbeat(json)) return fromWinlogbeat(json);
  if (json.Event !== undefined && isEvtxJson(json)) return fromEvtxJson(json);
  if ((json.win !== undefined || json.data !== undefined) && isWazuh(json)) return fromWazuh(json);
  if ((json.EventID !== undefined || json.EventId !== undefined) && isNxlog(json)) return fromNxlog(json);
  return null;
}

export default defineParser({
  id: 'windows',
  title: 'Windows event logs (JSON)',
  description:
    'Windows events (Security, System, Sysmon, PowerShell, DNS Server, Defender…) as Winlogbeat/Elastic Agent, NXLog, evtx_dump or Wazuh JSON',
  input: 'json',
  requirements: WINDOWS_REQUIREMENTS,
  parse({ json }) {
    if (!json) return null;
    const ev = readWindowsJson(json);
    return ev ? mapWindows(ev) : null;
  },
});
