// One Auth0 tenant log event → ECS, as Elastic's auth0.logs pipeline does: the type code gives
// event.action (kebab description) and classification; user_id/user_name → user.*; ip → source.ip; the
// event itself kept under auth0.logs.data.
import { isIP } from 'node:net';
import { setPath, type EcsDoc } from '../../../core/event.js';
import { anyTime, applyRule, compactDeep, dig, m, obj, str } from '../json-fields.js';
import { CODES, kebab, MANAGEMENT } from './events.js';

/**
 * Log streams wrap the event ({"log_id", "data": {"type", "date", ...}}); the Management API's
 * /api/v2/logs returns it bare ({"type", "date", "log_id", ...}). Type codes are short lower-case words.
 */
export function auth0Data(j: EcsDoc): EcsDoc | undefined {
  const d = obj(j.data);
  if (d && isCode(d.type) && (j.log_id !== undefined || d.log_id !== undefined || d.date !== undefined)) return d;
  if (isCode(j.type) && typeof j.log_id === 'string' && j.date !== undefined) return j;
  return undefined;
}

function isCode(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 40 && /^[a-z][a-z0-9_]*$/.test(v);
}

export function mapAuth0(j: EcsDoc, d: EcsDoc): EcsDoc {
  const code = d.type as string;
  const info = CODES.get(code);
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(d.date));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.id', str(j.log_id) ?? str(d.log_id) ?? str(d._id));
  setPath(doc, 'event.action', info ? kebab(info.description) : code);
  setPath(doc, 'event.reason', str(d.description));
  setPath(doc, 'event.outcome', info?.outcome);
  const ip = str(d.ip);
  if (ip && isIP(ip)) {
    setPath(doc, 'source.ip', ip);
    setPath(doc, 'network.type', isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  }
  setPath(doc, 'user_agent.original', str(d.user_agent));
  setPath(doc, 'user.id', str(d.user_id));
  setPath(doc, 'user.name', str(d.user_name));
  setPath(doc, 'auth0.logs.data', compactDeep(d) as EcsDoc | undefined);
  setPath(doc, 'auth0.logs.data.classification', info?.classification);

  let rule = info?.rule ?? m('configuration', 'info');
  if (code === 'sapi' || code === 'fapi') {
    rule = MANAGEMENT[str(d.description) ?? ''] ?? rule;
    // Management API calls name the administrator in the request's auth, the user acted on in the body.
    setPath(doc, 'user.name', str(d.user_name) ?? str(dig(d, 'details.request.auth.user.email')));
    setPath(doc, 'user.id', str(d.user_id) ?? str(dig(d, 'details.request.auth.user.user_id')));
    setPath(doc, 'user.target.id', str(dig(d, 'details.response.body.user_id')));
    setPath(doc, 'user.target.name', str(dig(d, 'details.response.body.email')) ?? str(dig(d, 'details.request.body.email')));
  }
  return applyRule(doc, rule);
}
