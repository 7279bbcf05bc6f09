// Entra sign-in logs (SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
// ManagedIdentitySignInLogs) → ECS authentication events under azure.signinlogs.*.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { applyRule, isObj, key, list, m, snakeDeep, str } from '../json-fields.js';
import { caller, common, principal } from './shared.js';

// Elastic's names for the properties whose snake_case would differ.
const RENAMES = {
  createdDateTime: 'created_at',
  processingTimeInMilliseconds: 'processing_time_ms',
  riskLevelDuringSignIn: 'risk_level_during_signin',
};

/** Methods that only prove the first factor (or reuse an earlier proof) are not an MFA challenge. */
const FIRST_FACTOR = new Set(['', 'password', 'previously satisfied', 'password hash sync', 'pass-through authentication', 'temporary access pass']);
/** Sign-in error codes that are an MFA challenge: required (50074, 50076), failed (500121). */
const MFA_CODES = new Set([50074, 50076, 500121]);
const LOCKED_OUT = 50053;

export function mapSignIn(j: EcsDoc, p: EcsDoc, doc: EcsDoc): EcsDoc {
  common(j, 'azure.signinlogs', doc);
  setPath(doc, 'azure.signinlogs.properties', snakeDeep(p, RENAMES));
  setPath(doc, 'event.id', str(p.id));
  setPath(doc, 'message', str(key(j, 'resultDescription')) ?? str((p.status as EcsDoc | undefined)?.failureReason));
  caller(str(p.ipAddress) ?? str(key(j, 'callerIpAddress')), doc);
  setPath(doc, 'user_agent.original', str(p.userAgent));
  if (str(p.userPrincipalName) || str(p.userId)) {
    principal('user', str(p.userPrincipalName), str(p.userId), str(p.userDisplayName), doc);
  } else {
    // Service principals and managed identities sign in as themselves.
    setPath(doc, 'user.name', str(p.servicePrincipalName) ?? str(p.appDisplayName));
    setPath(doc, 'user.id', str(p.servicePrincipalId) ?? str(p.appId));
  }

  const code = errorCode(j, p);
  setPath(doc, 'event.outcome', code === undefined ? undefined : code === 0 ? 'success' : 'failure');
  const req: string[] = [];
  const pr: string[] = [];
  const methods = list(p.authenticationDetails)
    .filter(isObj)
    .map((d) => (str(d.authenticationMethod) ?? '').toLowerCase());
  const mfaDetail = isObj(p.mfaDetail) ? str(p.mfaDetail.authMethod) : undefined;
  if (mfaDetail || methods.some((x) => !FIRST_FACTOR.has(x)) || (code !== undefined && MFA_CODES.has(code))) pr.push('P1b');
  if (code === LOCKED_OUT) req.push('B1.2');
  // A Temporary Access Pass is issued to recover (or bootstrap) a user's MFA methods.
  if (methods.includes('temporary access pass')) req.push('B1.10.4');
  return applyRule(doc, m('authentication', 'info', '', 'P1a'), req, pr);
}

/**
 * The sign-in's error code: resultType ("0" is success; exporters also write "Success"/"Failure"), or
 * properties.status.errorCode.
 */
function errorCode(j: EcsDoc, p: EcsDoc): number | undefined {
  const rt = key(j, 'resultType');
  if (typeof rt === 'number') return rt;
  if (typeof rt === 'string' && rt !== '') {
    if (/^\d+$/.test(rt)) return Number(rt);
    if (/^success$/i.test(rt)) return 0;
    if (/^fail/i.test(rt)) return errorCodeOf(p) || -1;
  }
  return errorCodeOf(p);
}

function errorCodeOf(p: EcsDoc): number | undefined {
  const c = isObj(p.status) ? p.status.errorCode : undefined;
  return typeof c === 'number' ? c : typeof c === 'string' && /^\d+$/.test(c) ? Number(c) : undefined;
}
