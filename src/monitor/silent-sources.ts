// The silent-source watch: every check_interval it looks at the sources table, and for each source that
// has gone silent since it last looked it writes an alert event into the source's tenant (through the
// durable queue, like any input, so the alert is searchable and survives a crash). When the source is
// heard from again it writes a `source-resumed` event. No other SIEM tells a tenant that the DNS server
// that evidenced B3 stopped sending; this does, and coverage marks such requirements at risk.
import type { EcsDoc } from '../core/event.js';
import type { Logger } from '../core/log.js';
import type { Intake } from '../queue/intake.js';
import type { DuckStore } from '../store/duckdb-store.js';
import { listSources, type SilencePolicy, type SourceStatus } from '../query/sources.js';

export const MONITOR_INPUT = 'monitor';

export class SilentSourceWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: DuckStore,
    private readonly intake: Intake,
    private readonly policy: SilencePolicy,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look at every source; returns what it alerted on and what resumed (for tests). */
  async tick(now: Date = new Date()): Promise<{ silent: SourceStatus[]; resumed: SourceStatus[] }> {
    if (this.running) return { silent: [], resumed: [] };
    let result = { silent: [] as SourceStatus[], resumed: [] as SourceStatus[] };
    this.running = (async () => {
      try {
        result = await this.check(now);
      } catch (err) {
        this.log.error({ err }, 'silent-source check failed; next check will retry');
      }
    })();
    await this.running;
    this.running = null;
    return result;
  }

  private async check(now: Date): Promise<{ silent: SourceStatus[]; resumed: SourceStatus[] }> {
    const sources = await listSources(this.store, this.policy, null, now);
    const silent = sources.filter((s) => s.status === 'silent' && (s.alerted_at === null || Date.parse(s.alerted_at) < Date.parse(s.last_seen)));
    const resumed = sources.filter((s) => s.status === 'active' && s.alerted_at !== null && Date.parse(s.last_seen) > Date.parse(s.alerted_at));
    for (const s of silent) {
      // The event first: if Vigil dies between the two, the next check raises it again rather than never.
      await this.emit(s, silentEvent(s, now));
      await this.store.exec('UPDATE sources SET alerted_at = make_timestamp($4 * 1000) WHERE tenant = $1 AND host = $2 AND parser = $3', [
        s.tenant,
        s.host,
        s.parser,
        now.getTime(),
      ]);
      this.log.warn({ tenant: s.tenant, source: s.name, last_seen: s.last_seen }, 'source went silent');
    }
    for (const s of resumed) {
      await this.emit(s, resumedEvent(s, now));
      await this.store.exec('UPDATE sources SET alerted_at = NULL WHERE tenant = $1 AND host = $2 AND parser = $3', [s.tenant, s.host, s.parser]);
      this.log.info({ tenant: s.tenant, source: s.name }, 'silent source resumed');
    }
    return { silent, resumed };
  }

  private async emit(s: SourceStatus, doc: EcsDoc): Promise<void> {
    await this.intake.submit({ tenant: s.tenant, input: MONITOR_INPUT, codec: 'json', received: Date.now() }, [Buffer.from(JSON.stringify(doc))]);
  }
}

function sourceFields(s: SourceStatus): EcsDoc {
  return {
    name: s.name,
    host: s.host,
    parser: s.parser,
    last_seen: s.last_seen,
    expected_within_s: s.expected_within_s,
    expectation: s.expectation,
    ...(s.usual_interval_s !== null ? { usual_interval_s: s.usual_interval_s } : {}),
  };
}

function silentEvent(s: SourceStatus, now: Date): EcsDoc {
  const quietFor = Math.round((now.getTime() - Date.parse(s.last_seen)) / 1000);
  return {
    '@timestamp': now.toISOString(),
    event: { kind: 'alert', category: ['configuration'], type: ['info'], action: 'source-silent', dataset: 'vigil.monitor', severity: 3 },
    rule: { id: 'vigil-source-silent', name: 'Log source went silent' },
    message: `source ${s.name} has sent nothing for ${quietFor}s (expected within ${s.expected_within_s}s, ${s.expectation}); last event ${s.last_seen}`,
    ...(s.host ? { observer: { name: s.host } } : {}),
    vigil: { source: sourceFields(s) },
  };
}

function resumedEvent(s: SourceStatus, now: Date): EcsDoc {
  return {
    '@timestamp': now.toISOString(),
    event: { kind: 'event', category: ['configuration'], type: ['info'], action: 'source-resumed', dataset: 'vigil.monitor' },
    message: `source ${s.name} is sending again (last event ${s.last_seen})`,
    ...(s.host ? { observer: { name: s.host } } : {}),
    vigil: { source: sourceFields(s) },
  };
}
