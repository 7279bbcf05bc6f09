// Delivers what the outbox owes: each alert's searchable event (into its tenant, through the durable
// queue) and its notifications. Rows are committed with the batch that raised the alert and deleted
// once delivered, so delivery is at least once across crashes. A failure is retried with exponential
// back-off (honouring Retry-After), up to max_attempts, after which the row is kept as failed and shown
// by the API. Deliveries run concurrently and each has a deadline: a dead destination never holds up
// another one, and never ingest.
import { hostname } from 'node:os';
import type { Logger } from '../../core/log.js';
import type { Metrics } from '../../core/metrics.js';
import type { Config } from '../../config/schema.js';
import type { Intake } from '../../queue/intake.js';
import type { DuckStore } from '../../store/duckdb-store.js';
import { alertColumns, alertView, type AlertView } from './alert-view.js';
import { alertEvent } from './alert-event.js';
import { cefLine, emailText, rfc5424Line, slackPayload } from './formats.js';
import { postJson, SendError, sendEmail, sendSyslog } from './transports.js';
import { DETECT_INPUT } from '../inputs.js';

const VERSION = '0.1.0';

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: DuckStore,
    private readonly intake: Intake,
    private readonly alerting: Config['alerting'],
    private readonly log: Logger,
    private readonly metrics?: Metrics,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), 1000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  /** Looks at the outbox now (called after every batch that raised alerts). */
  kick(): void {
    // After stop, what is owed stays in the outbox for the next start.
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log.error({ err }, 'outbox delivery pass failed; retrying'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once nothing is due (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { rows } = await this.store.query(
        `SELECT o.id AS outbox_id, o.destination, o.attempts, ${alertColumns('a')}
           FROM outbox o JOIN alerts a ON a.id = o.alert_id
          WHERE NOT o.failed AND o.next_at <= now() ORDER BY o.next_at LIMIT 256`,
      );
      if (rows.length === 0) return;
      const delivered: string[] = [];
      // Alert events go into the queue together, one entry per tenant; the rest are sent concurrently.
      const events = rows.filter((r) => r.destination === 'event');
      const byTenant = new Map<string, Record<string, unknown>[]>();
      for (const r of events) byTenant.set(String(r.tenant), [...(byTenant.get(String(r.tenant)) ?? []), r]);
      for (const [tenant, list] of byTenant) {
        const docs = list.map((r) => Buffer.from(JSON.stringify(alertEvent(alertView(r)))));
        await this.intake.submit({ tenant, input: DETECT_INPUT, codec: 'json', received: Date.now() }, docs);
        for (const r of list) delivered.push(String(r.outbox_id));
        this.metrics?.notifications.inc({ destination: 'event', outcome: 'sent' }, list.length);
      }
      const others = rows.filter((r) => r.destination !== 'event');
      const results = await Promise.all(others.map((r) => this.deliver(String(r.outbox_id), String(r.destination), Number(r.attempts), alertView(r))));
      results.forEach((ok, i) => ok && delivered.push(String(others[i]!.outbox_id)));
      // One statement for every delivered row: the writer is shared with the batches of events.
      if (delivered.length) await this.store.exec(`DELETE FROM outbox WHERE id IN (${delivered.map((_, i) => `$${i + 1}`).join(', ')})`, delivered);
      if (rows.length < 256) return;
    }
  }

  /** Sends one notification; true when delivered, else records the failure and when to retry. */
  private async deliver(id: string, destination: string, attempts: number, alert: AlertView): Promise<boolean> {
    try {
      await this.send(destination, alert);
      this.metrics?.notifications.inc({ destination: kindOf(destination), outcome: 'sent' });
      return true;
    } catch (err) {
      const tries = attempts + 1;
      const failed = tries >= this.alerting.max_attempts;
      const backoff = Math.min(300_000, 1000 * 2 ** attempts);
      const wait = err instanceof SendError && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, 1000) : backoff;
      const message = (err as Error).message.slice(0, 500);
      await this.store.exec(
        'UPDATE outbox SET attempts = $2, next_at = now() + to_milliseconds($3), last_error = $4, failed = $5 WHERE id = $1',
        [id, tries, Math.round(wait), message, failed],
      );
      this.metrics?.notifications.inc({ destination: kindOf(destination), outcome: failed ? 'failed' : 'retry' });
      this.log.warn({ destination, alert: alert.id, attempt: tries, retryInMs: failed ? null : wait, err: message }, failed ? 'notification failed for good' : 'notification failed; will retry');
      return false;
    }
  }

  private async send(destination: string, a: AlertView): Promise<void> {
    const [kind, index] = destination.split(':') as [string, string | undefined];
    const i = Number(index);
    switch (kind) {
      case 'webhook': {
        const w = this.alerting.webhooks[i];
        if (!w) throw new SendError(`no webhook ${i} in the config any more`);
        return postJson(w.url, w.format === 'slack' ? slackPayload(a) : a, w.headers);
      }
      case 'syslog': {
        const s = this.alerting.syslog[i];
        if (!s) throw new SendError(`no syslog destination ${i} in the config any more`);
        const line = s.format === 'cef' ? rfc5424Line(a, cefLine(a, VERSION), hostname()) : rfc5424Line(a, `${a.rule.title} (${a.count} events)`, hostname());
        return sendSyslog(s.url, line, s.ca);
      }
      case 'email': {
        const e = this.alerting.email[i];
        if (!e) throw new SendError(`no email destination ${i} in the config any more`);
        const { subject, text } = emailText(a);
        return sendEmail(e.url, e.from, e.to, subject, text);
      }
      default:
        throw new SendError(`unknown destination ${destination}`);
    }
  }
}

function kindOf(destination: string): string {
  return destination.split(':')[0]!;
}
