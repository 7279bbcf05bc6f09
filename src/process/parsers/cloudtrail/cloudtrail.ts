// One CloudTrail record → ECS, as Elastic's aws.cloudtrail pipeline does (ECS_FIELDS.md), plus the
// requirement tags of docs/parsers.md from the tables in events.ts.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { ec2 } from './ec2.js';
import { genericRule, RULES } from './events.js';
import { anyTime, applyRule, dig, jsonText, obj, snakeDeep, str } from '../json-fields.js';
import { cognito, iam, identityStore, instanceConnect, signin, sso, sts, type Handler } from './services.js';

const HANDLERS: Record<string, Handler> = {
  iam,
  signin,
  sts,
  ec2,
  sso,
  'cognito-idp': cognito,
  identitystore: identityStore,
  'sso-directory': identityStore,
  'ec2-instance-connect': instanceConnect,
};

/** CloudTrail's top-level keys, eventName first (the one whose absence means a lower-cased copy). */
export const CLOUDTRAIL_KEYS = [
  'eventName', 'eventVersion', 'eventSource', 'eventTime', 'eventID', 'eventType', 'eventCategory', 'userIdentity',
  'awsRegion', 'sourceIPAddress', 'userAgent', 'requestParameters', 'responseElements', 'additionalEventData',
  'serviceEventDetails', 'requestID', 'readOnly', 'managementEvent', 'recipientAccountId', 'errorCode',
  'errorMessage', 'resources', 'sharedEventID', 'vpcEndpointId', 'apiVersion', 'tlsDetails',
] as const;

/** CloudTrail's own keys; eventVersion is missing from some hand-written records, the service never is. */
export function isCloudTrail(j: EcsDoc): boolean {
  const source = j.eventSource;
  return typeof j.eventName === 'string' && typeof source === 'string' && (j.eventVersion !== undefined || source.endsWith('.amazonaws.com'));
}

export function mapCloudTrail(j: EcsDoc): EcsDoc {
  const name = j.eventName as string;
  const source = j.eventSource as string;
  const service = source.endsWith('.amazonaws.com') ? source.slice(0, -'.amazonaws.com'.length) : source;
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(j.eventTime));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.action', name);
  setPath(doc, 'event.provider', source);
  setPath(doc, 'event.id', str(j.eventID));
  setPath(doc, 'cloud.provider', 'aws');
  setPath(doc, 'cloud.region', str(j.awsRegion));

  const address = str(j.sourceIPAddress);
  setPath(doc, 'source.address', address);
  // Calls made by a service on the caller's behalf name the service ("ec2.amazonaws.com"), not an IP.
  if (isIp(address)) setPath(doc, 'source.ip', address);
  setPath(doc, 'user_agent.original', str(j.userAgent));
  identity(obj(j.userIdentity), doc);
  setPath(doc, 'cloud.account.id', str(dig(j, 'userIdentity.accountId')) ?? str(j.recipientAccountId));
  vendor(j, doc);
  tls(obj(j.tlsDetails), doc);

  const outcome = outcomeOf(name, j);
  setPath(doc, 'event.outcome', outcome);
  const refined = HANDLERS[service]?.(name, j, doc) ?? {};
  const rule = refined.rule ?? RULES[service]?.[name] ?? genericRule(name);
  return applyRule(doc, rule, refined.req, refined.pr);
}

/** The caller: user.name is the IAM user, or the role for an assumed-role session (as Elastic does). */
function identity(id: EcsDoc | undefined, doc: EcsDoc): void {
  if (!id) return;
  const type = str(id.type);
  const issuer = obj(dig(id, 'sessionContext.sessionIssuer'));
  const arn = str(id.arn);
  setPath(doc, 'user.name', str(issuer?.userName) ?? str(id.userName) ?? (type === 'Root' ? 'root' : undefined));
  // Unauthenticated Cognito calls name no principal: "Anonymous" is not an id.
  const pid = str(id.principalId);
  if (pid !== 'Anonymous') setPath(doc, 'user.id', pid);
  const ns = 'aws.cloudtrail.user_identity';
  setPath(doc, `${ns}.type`, type);
  setPath(doc, `${ns}.arn`, arn);
  setPath(doc, `${ns}.access_key_id`, str(id.accessKeyId));
  setPath(doc, `${ns}.invoked_by`, str(id.invokedBy));
  // "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com": the session name says who.
  if (type === 'AssumedRole' && arn) {
    const parts = arn.split('/');
    if (parts.length >= 3) setPath(doc, `${ns}.session_name`, parts.slice(2).join('/'));
  }
  const attrs = obj(dig(id, 'sessionContext.attributes'));
  setPath(doc, `${ns}.session_context.mfa_authenticated`, str(attrs?.mfaAuthenticated));
  setPath(doc, `${ns}.session_context.creation_date`, anyTime(attrs?.creationDate));
  if (issuer) {
    setPath(doc, `${ns}.session_context.session_issuer.type`, str(issuer.type));
    setPath(doc, `${ns}.session_context.session_issuer.principal_id`, str(issuer.principalId));
    setPath(doc, `${ns}.session_context.session_issuer.arn`, str(issuer.arn));
    setPath(doc, `${ns}.session_context.session_issuer.account_id`, str(issuer.accountId));
  }
}

function vendor(j: EcsDoc, doc: EcsDoc): void {
  const ns = 'aws.cloudtrail';
  setPath(doc, `${ns}.event_version`, str(j.eventVersion));
  setPath(doc, `${ns}.event_type`, str(j.eventType));
  setPath(doc, `${ns}.event_category`, str(j.eventCategory));
  setPath(doc, `${ns}.request_id`, str(j.requestID));
  setPath(doc, `${ns}.recipient_account_id`, str(j.recipientAccountId));
  setPath(doc, `${ns}.shared_event_id`, str(j.sharedEventID));
  setPath(doc, `${ns}.vpc_endpoint_id`, str(j.vpcEndpointId));
  setPath(doc, `${ns}.api_version`, str(j.apiVersion));
  if (typeof j.readOnly === 'boolean') setPath(doc, `${ns}.read_only`, j.readOnly);
  if (typeof j.managementEvent === 'boolean') setPath(doc, `${ns}.management_event`, j.managementEvent);
  setPath(doc, `${ns}.error_code`, str(j.errorCode));
  setPath(doc, `${ns}.error_message`, str(j.errorMessage));
  // Free-form objects stay JSON text: their keys differ per API and would explode the column set.
  setPath(doc, `${ns}.request_parameters`, jsonText(j.requestParameters));
  setPath(doc, `${ns}.response_elements`, jsonText(j.responseElements));
  setPath(doc, `${ns}.additional_eventdata`, jsonText(j.additionalEventData));
  setPath(doc, `${ns}.service_event_details`, jsonText(j.serviceEventDetails));
  setPath(doc, `${ns}.resources`, snakeDeep(j.resources, { ARN: 'arn' }));
}

/** "TLSv1.2" → tls.version_protocol "tls", tls.version "1.2", as Elastic does. */
function tls(t: EcsDoc | undefined, doc: EcsDoc): void {
  if (!t) return;
  const v = /^([A-Za-z]+)v(.+)$/.exec(str(t.tlsVersion) ?? '');
  if (v) {
    setPath(doc, 'tls.version_protocol', v[1]!.toLowerCase());
    setPath(doc, 'tls.version', v[2]);
  }
  setPath(doc, 'tls.cipher', str(t.cipherSuite));
  setPath(doc, 'tls.client.server_name', str(t.clientProvidedHostHeader));
}

/**
 * An error code or message means the call failed. Sign-in events carry their own verdict instead:
 * responseElements.ConsoleLogin "Success"/"Failure", serviceEventDetails.CredentialVerification...
 */
function outcomeOf(name: string, j: EcsDoc): 'success' | 'failure' {
  const verdict = str(dig(j, `responseElements.${name}`)) ?? str(dig(j, `serviceEventDetails.${name}`));
  if (verdict === 'Success') return 'success';
  if (verdict === 'Failure') return 'failure';
  return j.errorCode || j.errorMessage ? 'failure' : 'success';
}
