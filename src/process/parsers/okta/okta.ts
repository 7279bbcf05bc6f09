// One Okta System Log event → ECS, as Elastic's okta.system pipeline does (ECS_FIELDS.md): actor →
// user.*, client.user.*, source.user.*; client.ipAddress → client.ip, source.ip; target[] → user.target.*;
// the rest under okta.* in snake_case.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { anyTime, applyRule, isObj, key, list, obj, snakeDeep, splitAt, str } from '../json-fields.js';
import { genericRule, RULES } from './events.js';

/** System Log events: eventType, an actor, and the event's uuid or publication time. */
export function isOkta(j: EcsDoc): boolean {
  return typeof key(j, 'eventType') === 'string' && isObj(j.actor) && (key(j, 'uuid') !== undefined || key(j, 'published') !== undefined);
}

export function mapOkta(j: EcsDoc): EcsDoc {
  const eventType = key(j, 'eventType') as string;
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(key(j, 'published')));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.action', eventType);
  setPath(doc, 'event.id', str(key(j, 'uuid')));
  const result = str(dig2(j, 'outcome', 'result'))?.toUpperCase();
  setPath(doc, 'event.outcome', outcomeOf(result));

  actor(obj(j.actor), doc);
  client(obj(j.client), doc);
  targets(list(j.target), doc);

  const ns = 'okta';
  setPath(doc, `${ns}.uuid`, str(key(j, 'uuid')));
  setPath(doc, `${ns}.event_type`, eventType);
  setPath(doc, `${ns}.version`, str(j.version));
  setPath(doc, `${ns}.severity`, str(j.severity));
  setPath(doc, `${ns}.display_message`, str(key(j, 'displayMessage')));
  setPath(doc, `${ns}.outcome.result`, str(dig2(j, 'outcome', 'result')));
  setPath(doc, `${ns}.outcome.reason`, str(dig2(j, 'outcome', 'reason')));
  setPath(doc, `${ns}.transaction`, snakeDeep(j.transaction));
  setPath(doc, `${ns}.debug_context.debug_data`, snakeDeep(dig2(j, 'debugContext', 'debugData')));
  setPath(doc, `${ns}.authentication_context`, snakeDeep(key(j, 'authenticationContext')));
  setPath(doc, `${ns}.security_context`, snakeDeep(key(j, 'securityContext'), { asNumber: 'as_number', asOrg: 'as_org' }));
  setPath(doc, `${ns}.request.ip_chain`, snakeDeep(dig2(j, 'request', 'ipChain')));

  const rule = RULES[eventType] ?? genericRule(eventType);
  return applyRule(doc, rule);
}

/** A nested value under a top-level key that some exporters lower-case ("debugcontext"). */
function dig2(j: EcsDoc, top: string, k: string): unknown {
  return obj(key(j, top))?.[k];
}

/** SUCCESS/ALLOW succeed, FAILURE/DENY fail; CHALLENGE, SKIPPED and UNKNOWN say nothing either way. */
function outcomeOf(result: string | undefined): string | undefined {
  if (!result) return undefined;
  if (result === 'SUCCESS' || result === 'ALLOW') return 'success';
  if (result === 'FAILURE' || result === 'DENY') return 'failure';
  return 'unknown';
}

/**
 * The actor. user.name is the login without its domain, as Elastic's grok does; Vigil keeps the whole
 * login in user.email and the domain in user.domain so nothing is lost.
 */
function actor(a: EcsDoc | undefined, doc: EcsDoc): void {
  if (!a) return;
  const login = str(a.alternateId);
  const id = str(a.id);
  const full = str(a.displayName);
  setPath(doc, 'okta.actor', snakeDeep({ id, type: a.type, alternateId: login, displayName: full }));
  const who = login ? splitAt(login) : undefined;
  for (const p of ['user', 'client.user', 'source.user']) {
    setPath(doc, `${p}.name`, who?.name);
    setPath(doc, `${p}.full_name`, full);
    setPath(doc, `${p}.id`, id);
  }
  if (who?.domain) {
    setPath(doc, 'user.domain', who.domain);
    setPath(doc, 'user.email', login);
  }
}

function client(c: EcsDoc | undefined, doc: EcsDoc): void {
  if (!c) return;
  const ip = str(c.ipAddress);
  if (isIp(ip)) {
    setPath(doc, 'client.ip', ip);
    setPath(doc, 'source.ip', ip);
  }
  const ua = obj(c.userAgent);
  setPath(doc, 'user_agent.original', str(ua?.rawUserAgent));
  // Okta's own geolocation of the client (not a GeoIP lookup by Vigil).
  const geo = obj(c.geographicalContext);
  setPath(doc, 'client.geo.city_name', str(geo?.city));
  setPath(doc, 'client.geo.region_name', str(geo?.state));
  setPath(doc, 'client.geo.country_name', str(geo?.country));
  const loc = obj(geo?.geolocation);
  if (typeof loc?.lat === 'number' && typeof loc.lon === 'number') setPath(doc, 'client.geo.location', { lat: loc.lat, lon: loc.lon });
  setPath(doc, 'okta.client', snakeDeep({ device: c.device, id: c.id, ip, zone: c.zone, userAgent: c.userAgent }));
}

/** The first User target → user.target.*, the first group target → user.target.group.* (as Elastic). */
function targets(ts: unknown[], doc: EcsDoc): void {
  const all = ts.filter(isObj);
  if (all.length === 0) return;
  setPath(doc, 'okta.target', snakeDeep(all.map((t) => ({ id: t.id, type: t.type, alternateId: t.alternateId, displayName: t.displayName }))));
  const typeOf = (t: EcsDoc) => (str(t.type) ?? '').toLowerCase();
  const user = all.find((t) => typeOf(t) === 'user');
  if (user) {
    const login = str(user.alternateId);
    const who = login ? splitAt(login) : undefined;
    setPath(doc, 'user.target.id', str(user.id));
    setPath(doc, 'user.target.name', who?.name);
    setPath(doc, 'user.target.domain', who?.domain);
    if (who?.domain) setPath(doc, 'user.target.email', login);
    setPath(doc, 'user.target.full_name', str(user.displayName));
  }
  const group = all.find((t) => typeOf(t).includes('group'));
  if (group) {
    setPath(doc, 'user.target.group.id', str(group.id));
    setPath(doc, 'user.target.group.name', str(group.displayName));
  }
}
