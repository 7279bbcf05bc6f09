// Helpers shared by the sign-in and audit mappings.
import { setPath, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { key, splitAt, str } from '../json-fields.js';

/** The top-level fields both namespaces keep (azure.signinlogs.* / azure.auditlogs.*). */
export function common(j: EcsDoc, ns: string, doc: EcsDoc): void {
  setPath(doc, `${ns}.category`, str(key(j, 'category')));
  setPath(doc, `${ns}.operation_name`, str(key(j, 'operationName')));
  setPath(doc, `${ns}.operation_version`, str(key(j, 'operationVersion')));
  setPath(doc, `${ns}.identity`, str(key(j, 'identity')));
  setPath(doc, `${ns}.result_type`, str(key(j, 'resultType')));
  setPath(doc, `${ns}.result_signature`, str(key(j, 'resultSignature')));
  setPath(doc, `${ns}.result_description`, str(key(j, 'resultDescription')));
}

/** A UPN ("alice@contoso.com") → user.name "alice", user.domain "contoso.com", as Elastic splits it. */
export function principal(prefix: string, upn: string | undefined, id: string | undefined, fullName: string | undefined, doc: EcsDoc): void {
  if (upn) {
    const { name, domain } = splitAt(upn);
    setPath(doc, `${prefix}.name`, name);
    setPath(doc, `${prefix}.domain`, domain);
  }
  setPath(doc, `${prefix}.id`, id);
  setPath(doc, `${prefix}.full_name`, fullName);
}

/** The caller's address: source.ip/address and client.ip, as Elastic sets them. */
export function caller(ip: string | undefined, doc: EcsDoc): void {
  if (!isIp(ip)) return;
  setPath(doc, 'source.ip', ip);
  setPath(doc, 'source.address', ip);
  setPath(doc, 'client.ip', ip);
}
