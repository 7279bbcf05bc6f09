// One schema for the config file: it gives the TypeScript type, validation with every error located,
// and the defaults. Sections owned by later stages (rules, alerting, outputs) are accepted here with
// their documented shape so a config written for them loads today.
import { z } from 'zod';

export const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const PLATFORM_TENANT = '_platform'; // reserved: Vigil's own audit events
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const listen = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:8080')
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, 'port must be 0-65535');

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
const level = z.enum(LEVELS);

/** `30s`, `10m`, `2h`, `7d`. */
const duration = z.string().regex(/^[0-9]{1,9}[smhdw]$/, 'expected a duration like 30s, 10m, 2h or 7d');

const tenantName = z.string().regex(TENANT_NAME, 'tenant names are lowercase letters, digits, "-" and "_"');

const token = z.object({
  secret: z.string().min(16, 'token secrets must be at least 16 characters'),
  scope: z.enum(SCOPES),
});

const syslogListener = z
  .object({
    protocol: z.enum(['tcp', 'udp', 'tls']),
    listen,
    tenant: tenantName,
    cert: z.string().optional(),
    key: z.string().optional(),
    ca: z.string().optional(),
    max_frame_bytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
    /** Offset applied to time stamps that carry no zone (RFC 3164), in minutes east of UTC. */
    timezone_offset_minutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
  })
  .strict()
  .refine((l) => l.protocol !== 'tls' || (l.cert && l.key), { message: 'a tls listener needs cert and key' });

// Shipper listeners over TCP (Fluent forward, Beats/Lumberjack): TLS when cert and key are given.
const shipperListener = {
  listen,
  tenant: tenantName,
  cert: z.string().optional(),
  key: z.string().optional(),
  ca: z.string().optional(),
  /** Largest message (forward) or frame (Lumberjack) buffered; compressed content may inflate to 4x. */
  max_message_bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
};
const tlsPair = (l: { cert?: string | undefined; key?: string | undefined; ca?: string | undefined }) => !!l.cert === !!l.key && (!l.ca || !!l.cert);
const tlsPairMessage = { message: 'cert and key go together (both turn on TLS), and ca needs them' };
const fluentForwardListener = z
  .object({ ...shipperListener, shared_key: z.string().min(1).optional() })
  .strict()
  .refine(tlsPair, tlsPairMessage);
const beatsListener = z.object(shipperListener).strict().refine(tlsPair, tlsPairMessage);

const tenant = z
  .object({
    name: tenantName,
    kind: z.enum(['tenant', 'platform']).default('tenant'),
    hosted_on: tenantName.optional(),
    retention_days: z.number().positive().max(36500).default(30),
    not_applicable: z.array(z.object({ id: z.string().min(1), reason: z.string().min(1) }).strict()).default([]),
    provides: z.array(z.string().min(1)).default([]),
    tokens: z.array(token).default([]),
  })
  .strict();

export const configSchema = z
  .object({
    data_dir: z.string().default('./data'),
    http: z
      .object({
        listen: listen.default('127.0.0.1:8080'),
        body_limit_bytes: z.number().int().min(1024).default(16 * 1024 * 1024),
        max_line_bytes: z.number().int().min(256).default(1024 * 1024),
      })
      .strict()
      .default({ listen: '127.0.0.1:8080', body_limit_bytes: 16 * 1024 * 1024, max_line_bytes: 1024 * 1024 }),
    syslog: z.array(syslogListener).optional(),
    fluent_forward: z.array(fluentForwardListener).optional(),
    beats: z.array(beatsListener).optional(),
    tenants: z.array(tenant).optional(),
    queue: z
      .object({
        segment_bytes: z.number().int().min(1024 * 1024).default(64 * 1024 * 1024),
        /** Unprocessed WAL bytes past which inputs push back (HTTP 503, TCP stops reading). */
        max_lag_bytes: z.number().int().min(1024 * 1024).default(512 * 1024 * 1024),
        /** Bytes waiting for the next fsync past which inputs push back. */
        max_pending_bytes: z.number().int().min(64 * 1024).default(64 * 1024 * 1024),
      })
      .strict()
      .default({ segment_bytes: 64 * 1024 * 1024, max_lag_bytes: 512 * 1024 * 1024, max_pending_bytes: 64 * 1024 * 1024 }),
    store: z
      .object({
        batch_max_events: z.number().int().min(1).default(20_000),
        retention_interval_minutes: z.number().positive().default(60),
        memory_limit: z.string().default('384MB'),
      })
      .strict()
      .default({ batch_max_events: 20_000, retention_interval_minutes: 60, memory_limit: '384MB' }),
    parsers: z
      .object({
        /** Parsers to leave out (ids), e.g. one that misreads a local variant. */
        disable: z.array(z.string()).default([]),
        /** When set, only these parsers run (plus none other); the generic `json` is one of them. */
        only: z.array(z.string()).optional(),
      })
      .strict()
      .default({ disable: [] }),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
    catalog: z
      .object({
        /** Catalogue files or folders on top of the built-in catalog/ (your own framework, e.g. OMB M-21-31). */
        paths: z.array(z.string()).default([]),
        /** Leave out the built-in catalogue (only the files in paths are used). */
        builtin: z.boolean().default(true),
      })
      .strict()
      .default({ paths: [], builtin: true }),
    sources: z
      .object({
        /** How often silent sources are looked for. */
        check_interval: duration.default('60s'),
        /** A source is never called silent sooner than this after its last event. */
        min_silence: duration.default('10m'),
        /** Once its rhythm is learned, silent after this many times its usual gap between deliveries. */
        factor: z.number().min(1).default(4),
        /** Until then (fewer than 3 deliveries seen), silent after this long. */
        default_silence: duration.default('24h'),
        /** Explicit expectations, which beat the learned ones. Omitted host/parser match any. */
        expect: z
          .array(z.object({ tenant: tenantName, host: z.string().optional(), parser: z.string().optional(), within: duration }).strict())
          .default([]),
      })
      .strict()
      .default({ check_interval: '60s', min_silence: '10m', factor: 4, default_silence: '24h', expect: [] }),
    rules: z
      .object({
        /** Sigma rule files or folders, on top of the built-in pack (rules/). */
        paths: z.array(z.string()).default([]),
        builtin: z.boolean().default(true),
        /** Rule ids (or titles) to leave out. */
        disable: z.array(z.string()).default([]),
        /** Values for Sigma's `expand` modifier placeholders (%approved_images% ...). */
        placeholders: z.record(z.string(), z.array(z.string())).default({ approved_images: [] }),
        /** How long a tenant is watched before first sightings (new domains, new MACs) are marked. */
        first_seen_learning: duration.default('24h'),
      })
      .strict()
      .default({ paths: [], builtin: true, disable: [], placeholders: { approved_images: [] }, first_seen_learning: '24h' }),
    alerting: z
      .object({
        /** The same rule and group again inside this window updates the alert instead of raising another. */
        dedup_window: duration.default('15m'),
        webhooks: z
          .array(
            z
              .object({
                url: z.string().url(),
                /** json: the alert as Vigil's API returns it; slack: a Slack incoming-webhook message. */
                format: z.enum(['json', 'slack']).default('json'),
                headers: z.record(z.string(), z.string()).default({}),
                min_level: level.default('informational'),
              })
              .strict(),
          )
          .default([]),
        syslog: z
          .array(
            z
              .object({
                url: z.string().regex(/^(tcp|tls|udp):\/\/[^/]+:\d+$/, 'expected tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT'),
                format: z.enum(['cef', 'rfc5424']).default('cef'),
                ca: z.string().optional(),
                min_level: level.default('informational'),
              })
              .strict(),
          )
          .default([]),
        email: z
          .array(
            z
              .object({
                /** smtp://[user:pass@]host:port or smtps://... */
                url: z.string().regex(/^smtps?:\/\//, 'expected smtp://HOST:PORT or smtps://HOST:PORT'),
                from: z.string().min(3),
                to: z.array(z.string().min(3)).min(1),
                min_level: level.default('high'),
              })
              .strict(),
          )
          .default([]),
        /** Attempts per notification before it is kept as failed (GET /api/v1/alerts shows it). */
        max_attempts: z.number().int().min(1).max(100).default(12),
      })
      .strict()
      .default({ dedup_window: '15m', webhooks: [], syslog: [], email: [], max_attempts: 12 }),
    // Re-forwarding. The keys every output has are checked here; each type's own keys (url, token,
    // format...) are checked against that type's schema when the outputs are built (src/forward).
    outputs: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, "_", "." and "-" (it names a folder)'),
            type: z.enum(['syslog', 'hec', 'elasticsearch', 'loki', 'http', 'file']),
            tenants: z.array(tenantName).optional(),
            filter: z.string().optional(),
            transform: z
              .object({
                drop: z.array(z.string().min(1)).default([]),
                rename: z.record(z.string().min(1), z.string().min(1)).default({}),
                redact: z.array(z.string().min(1)).default([]),
                redact_patterns: z.array(z.string().min(1)).default([]),
              })
              .strict()
              .default({ drop: [], rename: {}, redact: [], redact_patterns: [] }),
            buffer: z
              .object({ max_bytes: z.number().int().min(1024 * 1024).default(256 * 1024 * 1024) })
              .strict()
              .default({ max_bytes: 256 * 1024 * 1024 }),
            batch: z
              .object({
                max_events: z.number().int().positive().max(100_000).default(500),
                max_wait: duration.default('1s'),
              })
              .strict()
              .default({ max_events: 500, max_wait: '1s' }),
            retry: z
              .object({ initial: duration.default('1s'), max: duration.default('60s') })
              .strict()
              .default({ initial: '1s', max: '60s' }),
          })
          .passthrough(),
      )
      .default([]),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type TenantConfig = z.infer<typeof tenant>;
export type SyslogListenerConfig = z.infer<typeof syslogListener>;
export type FluentForwardListenerConfig = z.infer<typeof fluentForwardListener>;
export type BeatsListenerConfig = z.infer<typeof beatsListener>;
