// GitHub organization and enterprise audit log events (REST API, audit log streaming), one JSON event per record.
import { defineParser } from '../define.js';
import { isGitHubAudit, mapGitHubAudit } from './github.js';

export default defineParser({
  id: 'github-audit',
  title: 'GitHub audit log',
  description: 'GitHub organization / enterprise audit log events: membership, teams, roles, 2FA, SSH keys, repositories and Actions workflows',
  input: 'json',
  requirements: ['B1.1', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4', 'B2.1', 'E8.1'],
  parse({ json }) {
    if (!json || !isGitHubAudit(json)) return null;
    return mapGitHubAudit(json);
  },
});
