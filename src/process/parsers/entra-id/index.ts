// Microsoft Entra ID sign-in and audit logs from Azure Monitor diagnostic settings: single records, or
// the {"records":[...]} batches Event Hubs and storage accounts deliver, expanded one event per record.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isObj } from '../json-fields.js';
import { isEntra, mapEntra } from './entra.js';

export default defineParser({
  id: 'entra-id',
  title: 'Microsoft Entra ID (Azure AD)',
  description:
    'Entra ID sign-in logs (interactive, non-interactive, service principal) and directory audit logs, as exported by Azure Monitor diagnostic settings',
  input: 'json',
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4'],
  split: {
    marker: '"records"',
    records(json) {
      const records = json.records;
      if (!Array.isArray(records) || records.length === 0) return null;
      const out = records.filter(isObj) as EcsDoc[];
      // Only batches of Entra records: other Azure categories share the {"records":[...]} envelope.
      return out.length > 0 && out.some(isEntra) ? out : null;
    },
  },
  parse({ json }) {
    if (!json || !isEntra(json)) return null;
    return mapEntra(json);
  },
});
