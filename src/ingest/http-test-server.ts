// For the HTTP shipper inputs' tests: Vigil's own HTTP server (its auth hook and audit) over a real
// Intake and WAL in a temp dir, with a fixed set of tokens, the input under test registered on it, and
// the WAL entries that input appended. Overload is simulated as a consumer far behind the WAL head.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../http/server.js';
import { TokenStore } from '../auth/tokens.js';
import { AuditLog } from '../auth/audit.js';
import { Metrics } from '../core/metrics.js';
import { Wal, type ReadEntry } from '../queue/wal.js';
import { Intake } from '../queue/intake.js';
import type { ShipperDeps } from './shipper-deps.js';

export const TEST_TOKENS = {
  acmeIngest: 'acme-ingest-secret-0001',
  acmeRead: 'acme-read-secret-0001',
  acmeAdmin: 'acme-admin-secret-0001',
  globexIngest: 'globex-ingest-secret-0001',
};
export const TEST_TENANTS = new Set(['acme', 'globex', '_platform']);

export interface TestServer {
  app: FastifyInstance;
  url: string;
  wal: Wal;
  audit: AuditLog;
  metrics: Metrics;
  setLagging(on: boolean): void;
  /** The input's entries appended since the last call. */
  newEntries(): Promise<ReadEntry[]>;
}

export interface TestServerOptions {
  /** The input whose entries newEntries returns (EntryMeta.input). */
  input: string;
  bodyLimit: number;
  maxLineBytes: number;
  /** Registers the input (and any neighbours, as main.ts does) with the server's dependencies. */
  register: (app: FastifyInstance, deps: ShipperDeps) => Promise<void>;
}

export async function startTestServer(o: TestServerOptions): Promise<TestServer> {
  const wal = await Wal.open({ dir: mkdtempSync(join(tmpdir(), `vigil-${o.input}-`)) });
  const metrics = new Metrics();
  let lagging = false;
  const intake = new Intake(wal, { maxPendingBytes: 1 << 30, maxLagBytes: 1 << 30 }, metrics, () => (lagging ? -(2 ** 40) : wal.head));
  const tokens = new TokenStore();
  tokens.addSecret(TEST_TOKENS.acmeIngest, 'acme', 'ingest', 'config');
  tokens.addSecret(TEST_TOKENS.acmeRead, 'acme', 'read', 'config');
  tokens.addSecret(TEST_TOKENS.acmeAdmin, 'acme', 'admin', 'config');
  tokens.addSecret(TEST_TOKENS.globexIngest, 'globex', 'ingest', 'config');
  const log = pino({ level: 'silent' });
  const audit = new AuditLog(intake, log);
  const app = buildHttpServer({ tokens, audit, metrics, log, bodyLimit: o.bodyLimit });
  await o.register(app, { intake, metrics, tenantExists: (t) => TEST_TENANTS.has(t), bodyLimit: o.bodyLimit, maxLineBytes: o.maxLineBytes });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address() as { port: number };
  let pos = 0;
  return {
    app,
    url: `http://127.0.0.1:${addr.port}`,
    wal,
    audit,
    metrics,
    setLagging: (on) => (lagging = on),
    async newEntries() {
      const out: ReadEntry[] = [];
      for (;;) {
        const r = await wal.read(pos, 1 << 20);
        if (r.entries.length === 0 && r.next === pos) break;
        out.push(...r.entries.filter((e) => e.entry.meta.input === o.input));
        pos = r.next;
      }
      return out;
    },
  };
}

export async function stopTestServer(s: TestServer): Promise<void> {
  await s.app.close();
  await s.audit.flush();
  await s.wal.close();
}
