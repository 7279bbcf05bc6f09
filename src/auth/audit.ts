// Vigil's own audit trail: every authentication (success or failure) and every admin action on the API
// becomes an ECS event in the reserved tenant "_platform", through the same durable queue as any other
// log. Events are gathered for a moment so that a burst of requests costs one WAL entry.
import { PLATFORM_TENANT } from '../config/schema.js';
import type { Intake } from '../queue/intake.js';
import type { Logger } from '../core/log.js';
import type { EcsDoc } from '../core/event.js';

export interface AuthAudit {
  outcome: 'success' | 'failure';
  reason?: string;
  tokenId?: string;
  tokenTenant?: string;
  scope?: string;
  sourceIp: string;
  method: string;
  path: string;
}

export interface AdminAudit {
  action: string;
  outcome: 'success' | 'failure';
  tokenId: string;
  sourceIp: string;
  target: Record<string, string>;
  reason?: string;
}

const FLUSH_MS = 250;

export class AuditLog {
  private buffer: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intake: Intake,
    private readonly log: Logger,
  ) {}

  auth(a: AuthAudit): void {
    const doc: EcsDoc = {
      '@timestamp': new Date().toISOString(),
      event: {
        kind: 'event',
        category: ['authentication'],
        type: a.outcome === 'success' ? ['start'] : ['start', 'denied'],
        action: 'api-token-authentication',
        outcome: a.outcome,
        dataset: 'vigil.audit',
        ...(a.reason ? { reason: a.reason } : {}),
      },
      source: { ip: a.sourceIp },
      http: { request: { method: a.method } },
      url: { path: a.path },
      ...(a.tokenId ? { user: { name: a.tokenId } } : {}),
      ...(a.tokenTenant ? { vigil: { token: { tenant: a.tokenTenant, scope: a.scope ?? '' } } } : {}),
      message: `API authentication ${a.outcome}${a.reason ? ` (${a.reason})` : ''} for ${a.method} ${a.path}`,
    };
    this.push(doc);
  }

  admin(a: AdminAudit): void {
    const doc: EcsDoc = {
      '@timestamp': new Date().toISOString(),
      event: {
        kind: 'event',
        category: ['configuration', 'iam'],
        type: ['change'],
        action: a.action,
        outcome: a.outcome,
        dataset: 'vigil.audit',
        ...(a.reason ? { reason: a.reason } : {}),
      },
      user: { name: a.tokenId },
      source: { ip: a.sourceIp },
      vigil: { target: a.target },
      message: `admin action ${a.action} ${a.outcome}: ${JSON.stringify(a.target)}`,
    };
    this.push(doc);
  }

  private push(doc: EcsDoc): void {
    this.buffer.push(Buffer.from(JSON.stringify(doc)));
    if (this.buffer.length >= 1000) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const records = this.buffer;
    this.buffer = [];
    if (records.length === 0) return Promise.resolve();
    return this.intake
      .submit({ tenant: PLATFORM_TENANT, input: 'audit', codec: 'json', received: Date.now(), parser: 'json' }, records)
      .catch((err: unknown) => this.log.error({ err }, 'could not queue audit events'));
  }
}
