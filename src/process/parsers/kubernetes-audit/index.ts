// Kubernetes API server audit events (audit.k8s.io/v1 Event, one JSON object per line: the audit log
// file, a webhook backend, EKS CloudWatch exports), and AKS diagnostic records that carry one as a
// string in properties.log (category kube-audit / kube-audit-admin).
// Workload create/delete/update/patch/scale -> B6.1/B6.3/B6.4; a Pod created or deleted also starts
// or stops its containers, so it is B6.2 too; RBAC role and binding changes -> B1.9.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isAuditEvent, mapAudit } from './audit.js';

function fromAks(j: EcsDoc): EcsDoc | null {
  const cat = j.category;
  if (cat !== 'kube-audit' && cat !== 'kube-audit-admin') return null;
  const props = j.properties;
  const log = props && typeof props === 'object' && !Array.isArray(props) ? (props as EcsDoc).log : undefined;
  if (typeof log !== 'string' || log.charCodeAt(0) !== 0x7b) return null;
  try {
    const inner: unknown = JSON.parse(log);
    return inner && typeof inner === 'object' && !Array.isArray(inner) && isAuditEvent(inner as EcsDoc) ? (inner as EcsDoc) : null;
  } catch {
    return null;
  }
}

export default defineParser({
  id: 'kubernetes-audit',
  title: 'Kubernetes audit log',
  description: 'Kubernetes API server audit events (audit.k8s.io Event JSON), also inside AKS kube-audit diagnostic records',
  input: 'json',
  requirements: ['B6.1', 'B6.2', 'B6.3', 'B6.4', 'B1.9'],
  parse({ json }) {
    if (!json) return null;
    if (json.kind === 'Event') {
      if (!isAuditEvent(json)) return null;
      const doc = mapAudit(json);
      if (typeof json.verb !== 'string') doc.vigil = { ...(doc.vigil as EcsDoc | undefined), parse: { status: 'partial', error: 'audit event without a verb' } };
      return doc;
    }
    const inner = typeof json.category === 'string' ? fromAks(json) : null;
    if (!inner) return null;
    const doc = mapAudit(inner);
    doc.cloud = { provider: 'azure' };
    if (typeof json.resourceId === 'string') (doc.orchestrator as EcsDoc).cluster = { id: json.resourceId, name: json.resourceId.split('/').pop()! };
    return doc;
  },
});
