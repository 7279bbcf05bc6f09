// Microsoft Entra ID (Azure AD) records as Azure Monitor diagnostic settings export them (Event Hubs,
// storage, Log Analytics): detection and the fields every category shares, as Elastic's azure package
// names them (azure.tenant_id, azure.correlation_id, azure.resource.*, cloud.provider).
import { setPath, type EcsDoc } from '../../../core/event.js';
import { anyTime, isObj, key, obj, str } from '../json-fields.js';
import { mapAudit } from './audit.js';
import { mapSignIn } from './signin.js';

const ENTRA_RESOURCE = '/providers/microsoft.aadiam';

/**
 * Entra records name an operation and carry a properties object. Sign-in categories are Entra's own;
 * "AuditLogs" is shared with Intune, so an audit record must also be Entra-shaped (the aadiam resource,
 * or the directory-audit properties initiatedBy / targetResources / activityDisplayName).
 */
export function isEntra(j: EcsDoc): boolean {
  if (typeof key(j, 'operationName') !== 'string' || !isObj(j.properties)) return false;
  const category = str(key(j, 'category'));
  if (category?.endsWith('SignInLogs')) return true;
  if (str(key(j, 'resourceId'))?.toLowerCase().includes(ENTRA_RESOURCE)) return true;
  const p = j.properties;
  return category === 'AuditLogs' && (p.initiatedBy !== undefined || p.targetResources !== undefined || p.activityDisplayName !== undefined);
}

export function mapEntra(j: EcsDoc): EcsDoc {
  const doc: EcsDoc = {};
  setPath(doc, '@timestamp', anyTime(key(j, 'time')));
  setPath(doc, 'event.kind', 'event');
  setPath(doc, 'event.action', str(key(j, 'operationName')));
  const ms = key(j, 'durationMs');
  if (typeof ms === 'number') setPath(doc, 'event.duration', ms * 1_000_000);
  setPath(doc, 'cloud.provider', 'azure');
  setPath(doc, 'log.level', str(key(j, 'Level')) ?? str(key(j, 'level')));
  setPath(doc, 'azure.tenant_id', str(key(j, 'tenantId')));
  setPath(doc, 'azure.correlation_id', str(key(j, 'correlationId')));
  const resource = str(key(j, 'resourceId'));
  setPath(doc, 'azure.resource.id', resource);
  const provider = resource && /\/providers\/([^/]+)/i.exec(resource);
  if (provider) setPath(doc, 'azure.resource.provider', provider[1]);
  const category = str(key(j, 'category')) ?? '';
  return category.endsWith('SignInLogs') ? mapSignIn(j, obj(j.properties)!, doc) : mapAudit(j, obj(j.properties)!, doc);
}
