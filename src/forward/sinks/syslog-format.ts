// An event as an RFC 5424 syslog message, and the RFC 6587 octet-counting frame around it. Pure
// functions, kept apart from the sockets (syslog.ts) so the exact bytes are tested on their own.
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - [vigil@32473 tenant="…" id="…" dataset="…"] MSG
//
// PRI is log.syslog.priority, else facility*8+severity from log.syslog.facility.code and
// log.syslog.severity.code (each defaulting to user / notice), else 13 (user.notice). HOSTNAME is
// host.name (or host.hostname, observer.name, observer.hostname), APP-NAME process.name or
// log.syslog.appname, else "vigil"; PROCID process.pid. Header fields are printable US-ASCII without
// spaces, cut to RFC 5424's lengths (other characters become "_"). The SD-ID is src/wire/syslog.ts's,
// shared with Vigil's alert notifications.
//
// MSG is sent without a UTF-8 BOM (RFC 5424 MSG-ANY): receivers such as rsyslog keep a BOM as part of
// the text, and event.original is not always UTF-8 (see `msgBytes`).
import { getPath, type EcsDoc } from '../../core/event.js';
import type { OutEvent } from '../sink.js';
import { SD_ID, sdEscape } from '../../wire/syslog.js';
import { hostOf, lineOf, num, text, timestampMs, type LineFormat } from './event-fields.js';

/** A header field: 1..max printable US-ASCII characters without spaces, or "-" for none. */
export function headerField(v: string | undefined, max: number): string {
  if (v === undefined || v === '') return '-';
  return v.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
}

function code(doc: EcsDoc, path: string, max: number): number | undefined {
  const v = num(doc, `${path}.code`) ?? num(doc, path);
  return v !== undefined && Number.isInteger(v) && v >= 0 && v <= max ? v : undefined;
}

export function priorityOf(doc: EcsDoc): number {
  const pri = num(doc, 'log.syslog.priority');
  if (pri !== undefined && Number.isInteger(pri) && pri >= 0 && pri <= 191) return pri;
  return (code(doc, 'log.syslog.facility', 23) ?? 1) * 8 + (code(doc, 'log.syslog.severity', 7) ?? 5);
}

/**
 * The MSG bytes: event.original as received (its bytes again when they were not UTF-8), or JSON. An
 * event that arrived as syslog sends only what followed its header: this message's own header now
 * carries the priority, time, host and program, and a relay that nests one header in another sends a
 * line no receiver parses.
 */
export function msgBytes(e: OutEvent, format: LineFormat): Buffer {
  const original = text(e.doc, 'event.original');
  const message = text(e.doc, 'message');
  const syslogTail = format === 'original' && original !== undefined && message !== undefined && message !== '' && message !== original && original.endsWith(message) && getPath(e.doc, 'log.syslog') !== undefined;
  const line = syslogTail ? message : lineOf(e, format);
  const latin1 = format === 'original' && text(e.doc, 'vigil.parse.encoding') === 'latin1' && (syslogTail || line === original);
  return Buffer.from(line, latin1 ? 'latin1' : 'utf8');
}

/** The RFC 5424 message of one event. */
export function rfc5424(e: OutEvent, format: LineFormat): Buffer {
  const d = e.doc;
  const params = [`tenant="${sdEscape(e.tenant)}"`, `id="${sdEscape(e.id)}"`];
  const dataset = text(d, 'event.dataset');
  if (dataset !== undefined) params.push(`dataset="${sdEscape(dataset)}"`);
  const header = [
    `<${priorityOf(d)}>1`,
    new Date(timestampMs(d)).toISOString(),
    headerField(hostOf(d), 255),
    headerField(text(d, 'process.name') ?? text(d, 'log.syslog.appname') ?? 'vigil', 48),
    headerField(text(d, 'process.pid'), 128),
    '-',
    `[${SD_ID} ${params.join(' ')}]`,
  ].join(' ');
  return Buffer.concat([Buffer.from(header + ' ', 'utf8'), msgBytes(e, format)]);
}

