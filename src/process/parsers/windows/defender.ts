// Microsoft Defender Antivirus (Microsoft-Windows-Windows Defender/Operational): detections are alerts
// (E4 endpoint protection), and turning protection off is a configuration change worth keeping.
import { categorise, put, tag, type MapContext } from './context.js';
import { field, intField, splitAccount } from './values.js';

export const DEFENDER_CHANNEL = 'Microsoft-Windows-Windows Defender/Operational';

const DETECTIONS: Record<string, string> = {
  '1006': 'malware-detected',
  '1015': 'suspicious-behavior-detected',
  '1116': 'malware-detected',
  '1117': 'malware-action-taken',
  '1118': 'malware-action-failed',
  '1119': 'malware-action-failed',
};
const CONFIG: Record<string, string> = {
  '5001': 'real-time-protection-disabled',
  '5007': 'configuration-changed',
  '5010': 'spyware-scanning-disabled',
  '5012': 'virus-scanning-disabled',
};

export function mapDefender(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const detection = DETECTIONS[id];
  if (detection) {
    put(doc, 'event.kind', 'alert');
    categorise(doc, ['malware'], ['info'], detection);
    if (id === '1118' || id === '1119') put(doc, 'event.outcome', 'failure');
    put(doc, 'rule.name', field(data, 'Threat Name'));
    put(doc, 'event.severity', intField(data, 'Severity ID'));
    // "file:_C:\Users\x\eicar.com" (several joined by ';'): the first file resource.
    const path = field(data, 'Path')?.split(';').find((p) => p.startsWith('file:_'))?.slice(6);
    put(doc, 'file.path', path);
    const user = splitAccount(field(data, 'Detection User'));
    put(doc, 'user.name', user.name);
    put(doc, 'user.domain', user.domain);
    put(doc, 'process.executable', field(data, 'Process Name'));
    tag(ctx, ['E4'], ['P6']);
  } else if (CONFIG[id]) {
    categorise(doc, ['configuration'], ['change'], CONFIG[id]!);
    tag(ctx, ['E4'], ['P6']);
  }
}
