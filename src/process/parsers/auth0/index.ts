// Auth0 tenant logs: log streams (webhook, Event Grid, EventBridge: {"log_id", "data": {...}}) and the
// Management API's /api/v2/logs objects.
import { defineParser } from '../define.js';
import { auth0Data, mapAuth0 } from './auth0.js';

export default defineParser({
  id: 'auth0',
  title: 'Auth0 tenant logs',
  description: 'Auth0 log events (log streams or the Management API): logins, signups, password changes, blocks, Guardian MFA, Management API operations',
  input: 'json',
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4'],
  parse({ json }) {
    const data = json && auth0Data(json);
    return data ? mapAuth0(json, data) : null;
  },
});
