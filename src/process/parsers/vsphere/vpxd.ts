// vCenter's event stream over syslog (vpxd): "Event [eventId] [partInfo] [createdTime] [eventType]
// [severity] [user] [target] [chainId] [desc]". Events longer than 1024 characters arrive split into
// "[k-N]" parts; the parts are held (per vCenter, for the state's 5 minutes) and the last one to
// arrive carries the whole event.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { isoTime } from '../ecs.js';
import type { ParserState } from '../state.js';
import { applyEvent, userFields } from './build.js';
import { actionOf, matchEvent } from './events.js';

/** Reads "[a] [b] ..." from i: up to `count` fields, then the rest as the last field. */
function brackets(s: string, i: number, count: number): { fields: string[]; rest: string } | null {
  const fields: string[] = [];
  let j = i;
  while (fields.length < count) {
    while (s[j] === ' ') j++;
    if (s[j] !== '[') return null;
    const end = s.indexOf(']', j + 1);
    if (end < 0) return null;
    fields.push(s.slice(j + 1, end));
    j = end + 1;
  }
  return { fields, rest: s.slice(j).trimStart() };
}

function stripBrackets(s: string): string {
  let t = s.trim();
  if (t.startsWith('[')) t = t.slice(1);
  if (t.endsWith(']')) t = t.slice(0, -1);
  return t;
}

/** The payload after [eventId] [k-N]: six bracketed fields and the description. */
function payloadDoc(payload: string, eventId: string, hostKey: string, state: ParserState): EcsDoc | null {
  const b = brackets(payload, 0, 6);
  if (!b) return null;
  const [created, type, severity, user, target, chain] = b.fields as [string, string, string, string, string, string];
  const desc = stripBrackets(b.rest);
  const shortType = type.startsWith('vim.event.') ? type.slice(10) : type;
  const doc: EcsDoc = { event: { kind: 'event', id: eventId, action: actionOf(shortType), provider: 'vpxd' } };
  const ts = isoTime(created);
  if (ts) doc['@timestamp'] = ts;
  if (severity) doc.log = { level: severity };
  const actor = userFields(user);
  if (actor) doc.user = actor;
  const ev: EcsDoc = { id: eventId, type: shortType, description: desc };
  if (severity) ev.severity = severity;
  if (target) ev.target = target;
  if (chain) ev.chain_id = chain;
  doc.vsphere = { event: ev };
  const m = matchEvent(shortType, desc);
  if (m) {
    // A generic EventEx (SSO login failure) is named by the event its description shows.
    if (m.spec.type !== shortType) (doc.event as EcsDoc).action = actionOf(m.spec.type);
    applyEvent(doc, m, { state, chainKey: chain ? `${hostKey}|chain:${chain}` : undefined });
  }
  else Object.assign(doc.event as EcsDoc, { type: ['info'] });
  return doc;
}

export function parseVpxdEvent(message: string, hostKey: string, state: ParserState): EcsDoc | null {
  const head = brackets(message, 6, 2); // after "Event "
  if (!head) return null;
  const [eventId, part] = head.fields as [string, string];
  const pm = /^(\d+)-(\d+)$/.exec(part);
  const k = pm ? Number(pm[1]) : 1;
  const n = pm ? Number(pm[2]) : 1;
  if (n <= 1) return payloadDoc(head.rest, eventId, hostKey, state) ?? partial(eventId, 'event fields not as documented');
  // A part of a split event: keep it until all N have been seen.
  const key = `${hostKey}|parts:${eventId}`;
  const parts = state.get<string[]>(key) ?? new Array<string>(n).fill('');
  parts[k - 1] = k === 1 ? head.rest : stripBrackets(head.rest);
  if (parts.some((p) => p === '')) {
    state.set(key, parts);
    return { event: { kind: 'event', type: ['info'], action: 'event-part' }, vsphere: { event: { id: eventId, part: { number: k, of: n } } } };
  }
  state.take(key);
  const first = parts[0]!.endsWith(']') ? parts[0]!.slice(0, -1) : parts[0]!;
  const doc = payloadDoc(first + parts.slice(1).join('') + ']', eventId, hostKey, state);
  if (!doc) return partial(eventId, 'split event fields not as documented');
  mergeInto(doc, { vsphere: { event: { part: { number: k, of: n } } } });
  return doc;
}

function partial(eventId: string, why: string): EcsDoc {
  return { event: { kind: 'event', id: eventId }, vsphere: { event: { id: eventId } }, vigil: { parse: { status: 'partial', error: why } } };
}
