// Cloud Foundry Cloud Controller audit events: the v3 API's /v3/audit_events records (one per line, or
// a whole paged API response, which is split into its records) and the older v2 /v2/events shape.
// App and service create/delete/update -> B6.1/B6.3/B6.4, app start/stop/restart/restage/crash -> B6.2,
// space and org role changes -> B1.9.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isV2, isV3, mapCf, readV2, readV3 } from './audit.js';

function isCfRecord(j: unknown): j is EcsDoc {
  return typeof j === 'object' && j !== null && !Array.isArray(j) && (isV3(j as EcsDoc) || isV2(j as EcsDoc));
}

export default defineParser({
  id: 'cloudfoundry',
  title: 'Cloud Foundry audit events',
  description: 'Cloud Foundry Cloud Controller audit events (v3 /v3/audit_events records or pages, v2 /v2/events)',
  input: 'json',
  requirements: ['B6.1', 'B6.2', 'B6.3', 'B6.4', 'B1.9'],
  split: {
    marker: '"resources"',
    records(json) {
      const res = json.resources;
      if (!Array.isArray(res) || res.length === 0 || !res.every(isCfRecord)) return null;
      return res as EcsDoc[];
    },
  },
  parse({ json }) {
    if (!json) return null;
    // Cheap key checks first: v3 has actor+target objects, v2 an entity with an actee.
    if (json.actor !== undefined && json.target !== undefined && isV3(json)) return mapCf(readV3(json));
    if (json.entity !== undefined && isV2(json)) return mapCf(readV2(json));
    return null;
  },
});
