// Okta System Log events (the /api/v1/logs API, Event Hooks, log streaming), one JSON event per record.
import { defineParser } from '../define.js';
import { isOkta, mapOkta } from './okta.js';

export default defineParser({
  id: 'okta',
  title: 'Okta System Log',
  description: 'Okta System Log events (API polling, log streaming or event hooks): sign-in, MFA, user, group and privilege changes',
  input: 'json',
  requirements: ['B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.3'],
  parse({ json }) {
    if (!json || !isOkta(json)) return null;
    return mapOkta(json);
  },
});
