// A two-tenant configuration used by the end-to-end tests: every scope for each tenant.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeConfig, tempDir } from './server.js';

export const TOKENS = {
  acme: { ingest: 'acme-ingest-0123456789', read: 'acme-read-0123456789ab', admin: 'acme-admin-0123456789' },
  globex: { ingest: 'globex-ingest-0123456789', read: 'globex-read-0123456789' },
} as const;

/** A self-signed certificate for the TLS listener, made with the system's openssl. */
export function makeCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

export function twoTenantConfig(extra = ''): { path: string; dir: string } {
  const dir = tempDir('vigil-cfg-');
  makeCert(dir);
  return writeConfig(
    `http:
  listen: 127.0.0.1:0
syslog:
  - { protocol: tcp, listen: 127.0.0.1:0, tenant: acme }
  - { protocol: udp, listen: 127.0.0.1:0, tenant: acme }
  - { protocol: tls, listen: 127.0.0.1:0, tenant: globex, cert: cert.pem, key: key.pem }
tenants:
  - name: acme
    retention_days: 90
    tokens:
      - { secret: "${TOKENS.acme.ingest}", scope: ingest }
      - { secret: "${TOKENS.acme.read}", scope: read }
      - { secret: "${TOKENS.acme.admin}", scope: admin }
  - name: globex
    tokens:
      - { secret: "${TOKENS.globex.ingest}", scope: ingest }
      - { secret: "${TOKENS.globex.read}", scope: read }
${extra}`,
    dir,
  );
}
