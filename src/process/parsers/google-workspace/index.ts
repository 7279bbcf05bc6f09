// Google Workspace Reports API activities (login, admin, user_accounts, groups, drive...). An activity
// can hold several events; each becomes its own record (split below), carrying the activity's id, actor
// and IP address, so every event is searchable and tagged on its own. A Reports API page
// ({"kind": "admin#reports#activities", "items": [...]}) expands the same way.
import { defineParser } from '../define.js';
import { isObj } from '../json-fields.js';
import { ACTIVITIES, ACTIVITY, expand, isActivity, mapActivity } from './google.js';

export default defineParser({
  id: 'google-workspace',
  title: 'Google Workspace (Reports API)',
  description: 'Google Workspace audit activities from the Admin SDK Reports API: sign-in, 2-Step Verification, users, groups, roles',
  input: 'json',
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.4'],
  split: {
    marker: '"admin#reports#activit',
    records(json) {
      if (json.kind === ACTIVITIES) {
        const items = Array.isArray(json.items) ? json.items.filter(isObj) : [];
        return items.length ? items.flatMap(expand) : null;
      }
      if (json.kind === ACTIVITY && Array.isArray(json.events) && json.events.length > 1) return expand(json);
      return null;
    },
  },
  parse({ json }) {
    if (!json || !isActivity(json)) return null;
    return mapActivity(json);
  },
});
