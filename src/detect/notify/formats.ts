// What each destination receives for an alert: Vigil's JSON, a Slack message, a CEF or RFC 5424
// syslog line, an email. Kept apart from the transports so each format is tested on its own.
import type { AlertView } from './alert-view.js';
import { LEVEL_RANK, type Level } from '../levels.js';
import { SD_ID, sdEscape } from '../../wire/syslog.js';

export function slackPayload(a: AlertView): { text: string; blocks: unknown[] } {
  const group = Object.entries(a.group_by).map(([k, v]) => `${k}=${v}`).join(', ');
  const text = `[${a.rule.level}] ${a.rule.title} (tenant ${a.tenant})${group ? `: ${group}` : ''}, ${a.count} event(s) ${a.first_time} to ${a.last_time}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${a.rule.level.toUpperCase()}: ${a.rule.title}`.slice(0, 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Tenant*\n${a.tenant}` },
          { type: 'mrkdwn', text: `*Events*\n${a.count}` },
          { type: 'mrkdwn', text: `*First*\n${a.first_time}` },
          { type: 'mrkdwn', text: `*Last*\n${a.last_time}` },
          ...(group ? [{ type: 'mrkdwn', text: `*Group*\n${group}` }] : []),
          ...(a.attack.length ? [{ type: 'mrkdwn', text: `*ATT&CK*\n${a.attack.join(', ')}` }] : []),
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `alert ${a.id}, rule ${a.rule.id}` }] },
    ],
  };
}

/** CEF severity 0-10 from a Sigma level. */
const CEF_SEVERITY: Record<Level, number> = { informational: 1, low: 3, medium: 5, high: 8, critical: 10 };
const SYSLOG_SEVERITY: Record<Level, number> = { informational: 6, low: 5, medium: 4, high: 3, critical: 2 };

const cefHeader = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
const cefValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r?\n/g, '\\n');

export function cefLine(a: AlertView, version: string): string {
  const level = (a.rule.level in CEF_SEVERITY ? a.rule.level : 'medium') as Level;
  const ext: [string, string][] = [
    ['rt', String(Date.parse(a.last_time))],
    ['start', String(Date.parse(a.first_time))],
    ['cnt', String(a.count)],
    ['cs1Label', 'tenant'],
    ['cs1', a.tenant],
    ['cs2Label', 'alertId'],
    ['cs2', a.id],
    ['cs3Label', 'group'],
    ['cs3', Object.entries(a.group_by).map(([k, v]) => `${k}=${v}`).join(',')],
    ['cs4Label', 'attack'],
    ['cs4', a.attack.join(',')],
    ['msg', a.rule.title],
  ];
  return (
    `CEF:0|Vigil|Vigil|${cefHeader(version)}|${cefHeader(a.rule.id)}|${cefHeader(a.rule.title)}|${CEF_SEVERITY[level]}|` +
    ext.filter(([, v]) => v !== '').map(([k, v]) => `${k}=${cefValue(v)}`).join(' ')
  );
}

/** An RFC 5424 line (facility local4) carrying `msg`, with the alert in structured data. */
export function rfc5424Line(a: AlertView, msg: string, hostname: string): string {
  const level = (a.rule.level in SYSLOG_SEVERITY ? a.rule.level : 'medium') as Level;
  const pri = 20 * 8 + SYSLOG_SEVERITY[level];
  const sd = `[${SD_ID} alert="${sdEscape(a.id)}" tenant="${sdEscape(a.tenant)}" rule="${sdEscape(a.rule.id)}" level="${sdEscape(a.rule.level)}" count="${a.count}"]`;
  return `<${pri}>1 ${new Date().toISOString()} ${hostname || '-'} vigil - alert ${sd} ${msg}`;
}

export function emailText(a: AlertView): { subject: string; text: string } {
  const group = Object.entries(a.group_by).map(([k, v]) => `  ${k}: ${v}`).join('\n');
  return {
    subject: `[Vigil ${a.rule.level}] ${a.rule.title} (${a.tenant})`,
    text:
      `${a.rule.title}\n\nTenant: ${a.tenant}\nLevel: ${a.rule.level}\nRule: ${a.rule.id} (${a.rule.kind})\n` +
      `Events: ${a.count}, ${a.first_time} to ${a.last_time}\n` +
      (group ? `Group:\n${group}\n` : '') +
      (a.attack.length ? `ATT&CK: ${a.attack.join(', ')}\n` : '') +
      `Alert id: ${a.id}\nEvent ids: ${a.event_ids.slice(0, 20).join(', ')}\n`,
  };
}

export function levelAtLeast(level: string, min: Level): boolean {
  return (LEVEL_RANK[level as Level] ?? 0) >= LEVEL_RANK[min];
}
