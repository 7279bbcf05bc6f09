// vigil: the command line. `serve` runs the platform; every other command talks to a running server.
import { Command, Option } from 'commander';
import { loadConfigFile, defaultConfig, ConfigError } from '../config/load.js';
import { startServer } from '../main.js';
import { Client, CliError } from './client.js';
import { FORMATS, renderHits, renderRows, renderTable, type Format } from './format.js';
import { ingestFiles } from './commands/ingest.js';
import { parseQuery } from '../ql/parser.js';
import { COVERAGE_FORMATS, renderCoverage, type CoverageFormat } from './coverage-render.js';
import type { CoverageReport } from '../query/coverage.js';
import { testRules, validateRules } from './commands/rules.js';
import type { EcsDoc } from '../core/event.js';

const program = new Command();
program
  .name('vigil')
  .description('Vigil: multi-tenant security log collection, search and requirement coverage')
  .showHelpAfterError();

function clientOptions(cmd: Command) {
  return cmd
    .option('--server <url>', 'server URL (default VIGIL_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (default VIGIL_TOKEN or DATA_DIR/admin.token)')
    .option('--data-dir <dir>', 'where to find admin.token when no token is given', './data');
}

function client(o: { server?: string; token?: string; dataDir?: string }): Client {
  return new Client({ ...(o.server ? { server: o.server } : {}), ...(o.token ? { token: o.token } : {}), ...(o.dataDir ? { dataDir: o.dataDir } : {}) });
}

const formatOption = () => new Option('--format <format>', 'output format').choices(FORMATS as string[]).default('table');

program
  .command('serve')
  .description('run the platform (HTTP API, syslog listeners, durable queue, store)')
  .option('--config <file>', 'YAML config file (default VIGIL_CONFIG; none = embedded defaults)')
  .option('--data-dir <dir>', 'override data_dir from the config')
  .action(async (o: { config?: string; dataDir?: string }) => {
    const file = o.config ?? process.env.VIGIL_CONFIG;
    const config = file ? loadConfigFile(file) : defaultConfig();
    if (o.dataDir) config.data_dir = o.dataDir;
    const level = process.env.VIGIL_LOG_LEVEL;
    if (level) config.log.level = level as typeof config.log.level;
    const server = await startServer(config, file ? { configFile: file } : {});
    const where = server.adminToken.created ? 'created an admin token in' : 'admin token is in';
    process.stdout.write(
      `vigil listening on ${server.httpUrl}` +
        server.syslogPorts.map((p) => `, syslog ${p.protocol}:${p.port} (tenant ${p.tenant})`).join('') +
        server.listenerPorts.map((p) => `, ${p.input} tcp:${p.port} (tenant ${p.tenant})`).join('') +
        `\nweb UI at ${server.httpUrl}/ui/ (sign in with a read token, or the admin token and a tenant)` +
        `\n${where} ${server.adminToken.path} (mode 0600)\n`,
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.log.info({ signal }, 'stopping');
      await server.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

clientOptions(
  program
    .command('search')
    .description('search a tenant\'s events with the query language (see docs/query-language.md)')
    .argument('<query>', 'e.g. \'event.category:authentication and event.outcome:failure | stats count() by user.name\'')
    .option('--tenant <name>', 'tenant to search (admin tokens; read tokens imply theirs)')
    .option('--from <time>', 'start: ISO 8601 or relative (-15m, -24h, -7d)', '-24h')
    .option('--to <time>', 'end: ISO 8601, relative, or now', 'now')
    .option('--limit <n>', 'most hits to return', '100')
    .addOption(formatOption()),
).action(async (query: string, o: { tenant?: string; from: string; to: string; limit: string; format: Format; server?: string; token?: string; dataDir?: string }) => {
  const params = new URLSearchParams({ q: query, from: o.from, to: o.to, limit: o.limit });
  if (o.tenant) params.set('tenant', o.tenant);
  const r = await client(o).json<{ hits?: EcsDoc[]; total?: number; rows?: unknown[][]; columns?: string[] }>(
    'GET',
    `/api/v1/search?${params}`,
  );
  // The server accepted the query, so it parses; its `fields` pipe picks the table's columns.
  const fields = parseQuery(query).pipes.find((p) => p.type === 'fields')?.fields;
  const out = r.rows ? renderRows(r.columns ?? [], r.rows, o.format) : renderHits(r.hits ?? [], r.total ?? 0, o.format, fields);
  if (out) process.stdout.write(out + '\n');
});

clientOptions(
  program
    .command('ingest')
    .description('send log files (or - for stdin) to a running server; the format is detected per line')
    .argument('<files...>', 'files to send, or - for standard input')
    .option('--tenant <name>', 'tenant to ingest into (admin tokens; ingest tokens imply theirs)')
    .option('--source <parser>', 'force a parser instead of detecting the format')
    .option('--batch-bytes <n>', 'bytes per request', String(4 * 1024 * 1024))
    .option('--start-line <n>', 'skip lines before this one (to resume after an error)', '1')
    .option('--retries <n>', 'retries of a batch while the server is busy or unreachable', '20'),
).action(async (files: string[], o: { tenant?: string; source?: string; batchBytes: string; startLine: string; retries: string; server?: string; token?: string; dataDir?: string }) => {
  const r = await ingestFiles(client(o), files, {
    ...(o.tenant ? { tenant: o.tenant } : {}),
    ...(o.source ? { source: o.source } : {}),
    batchBytes: Number(o.batchBytes),
    startLine: Number(o.startLine),
    retries: Number(o.retries),
  });
  process.stdout.write(`accepted ${r.events} events\n`);
});

clientOptions(
  program
    .command('coverage')
    .description('what a tenant collects, requirement by requirement (met, partial, missing, inherited, not applicable)')
    .option('--tenant <name>', 'tenant to report on (admin tokens; read tokens imply theirs)')
    .option('--tier <tier>', 'baseline, enhanced, a custom framework\'s tier, or all', 'all')
    .option('--from <time>', 'start of the window: ISO 8601 or relative', '-7d')
    .option('--to <time>', 'end of the window', 'now')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .addOption(new Option('--format <format>', 'output format').choices(COVERAGE_FORMATS as unknown as string[]).default('table')),
).action(async (o: { tenant?: string; tier: string; from: string; to: string; output?: string; format: CoverageFormat; server?: string; token?: string; dataDir?: string }) => {
  const params = new URLSearchParams({ tier: o.tier, from: o.from, to: o.to });
  if (o.tenant) params.set('tenant', o.tenant);
  const r = await client(o).json<CoverageReport>('GET', `/api/v1/coverage?${params}`);
  const text = renderCoverage(r, o.format);
  if (o.output) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(o.output, text.endsWith('\n') ? text : text + '\n');
    process.stderr.write(`wrote ${o.output}\n`);
  } else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
});

clientOptions(
  program
    .command('sources')
    .description('a tenant\'s log sources: last seen, usual interval, and whether they have gone silent')
    .option('--tenant <name>', 'tenant (admin tokens; read tokens imply theirs)')
    .option('--status <status>', 'only active or only silent sources')
    .addOption(formatOption()),
).action(async (o: { tenant?: string; status?: string; format: Format; server?: string; token?: string; dataDir?: string }) => {
  const params = new URLSearchParams();
  if (o.tenant) params.set('tenant', o.tenant);
  if (o.status) params.set('status', o.status);
  const r = await client(o).json<{ sources: Record<string, unknown>[] }>('GET', `/api/v1/sources?${params}`);
  const cols = ['name', 'status', 'events', 'last_seen', 'usual_interval_s', 'expected_within_s', 'expectation'];
  const rows = r.sources.map((s) => cols.map((c) => s[c] ?? ''));
  process.stdout.write((o.format === 'json' ? JSON.stringify(r, null, 2) : renderRows(cols, rows, o.format)) + '\n');
});

clientOptions(
  program
    .command('outputs')
    .description('re-forwarding outputs: state, sent, failed, retried and dropped counts, backlog and last error (admin)')
    .addOption(formatOption()),
).action(async (o: { format: Format; server?: string; token?: string; dataDir?: string }) => {
  const r = await client(o).json<{ outputs: Record<string, unknown>[] }>('GET', '/api/v1/outputs');
  const cols = ['name', 'type', 'state', 'sent', 'failed', 'retried', 'dropped', 'backlog_events', 'last_error'];
  const cell = (x: Record<string, unknown>, c: string) => (c === 'last_error' ? ((x.last_error as { message?: string } | null)?.message ?? '') : (x[c] ?? ''));
  const rows = r.outputs.map((x) => cols.map((c) => cell(x, c)));
  process.stdout.write((o.format === 'json' ? JSON.stringify(r, null, 2) : renderRows(cols, rows, o.format)) + '\n');
});

const rulesCmd = program.command('rules').description('Sigma detection and correlation rules');
clientOptions(rulesCmd.command('list', { isDefault: true }).description('rules loaded by the running server, and those it could not load').addOption(formatOption())).action(
  async (o: { format: Format; server?: string; token?: string; dataDir?: string }) => {
    const r = await client(o).json<{ rules: Record<string, unknown>[]; errors: Record<string, unknown>[] }>('GET', '/api/v1/rules');
    if (o.format === 'json') return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    const cols = ['id', 'title', 'kind', 'level', 'builtin'];
    process.stdout.write(renderRows(cols, r.rules.map((x) => cols.map((c) => x[c] ?? '')), o.format) + '\n');
    if (r.errors.length) {
      process.stdout.write(`\n${r.errors.length} rule(s) not loaded:\n`);
      for (const e of r.errors) process.stdout.write(`  ${String(e.file)}:${String(e.line)}: ${String(e.kind)}: ${String(e.reason)}\n`);
    }
  },
);
rulesCmd
  .command('validate')
  .description('check rule files or folders without a server: every broken or unsupported rule with file, line and reason')
  .argument('<paths...>')
  .action((paths: string[]) => {
    const r = validateRules(paths);
    for (const p of r.problems) process.stdout.write(`${p.file}:${p.line}: ${p.kind}: ${p.title ? `${p.title}: ` : ''}${p.reason}\n`);
    process.stdout.write(`${r.rules} rule(s) and ${r.correlations} correlation(s) compile; ${r.problems.length} problem(s)\n`);
    if (r.problems.length) process.exitCode = 1;
  });
rulesCmd
  .command('test')
  .description('run a rule file over sample events (NDJSON or log lines): which events match and why, and which alerts and correlations fire')
  .argument('<rule-file>')
  .requiredOption('--events <file>', 'sample events, one per line')
  .option('--with-builtin', "make the built-in pack's base rules available (for correlations that reference them)")
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
  .action((ruleFile: string, o: { events: string; withBuiltin?: boolean; format: string }) => {
    const r = testRules(ruleFile, o.events, { withBuiltin: !!o.withBuiltin });
    if (o.format === 'json') return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    for (const p of r.problems) process.stdout.write(`problem: ${p.file}:${p.line}: ${p.reason}\n`);
    for (const e of r.events) {
      if (!e.matches.length) {
        process.stdout.write(`event ${e.index}: no match\n`);
        continue;
      }
      for (const m of e.matches) {
        const why = m.selections.map((s) => `${s.name}=${s.matched ? 'yes' : 'no'}`).join(' ');
        process.stdout.write(`event ${e.index}: matches "${m.title}" (${why})\n`);
      }
    }
    for (const a of r.alerts) {
      const g = Object.entries(a.group_by).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`alert: [${a.level}] ${a.title} (${a.kind})${g ? ` ${g}` : ''}: ${a.count} match(es), events ${a.event_ids.join(' ')}\n`);
    }
    process.stdout.write(`${r.events.filter((e) => e.matches.length).length} of ${r.events.length} event(s) matched; ${r.alerts.length} alert(s)\n`);
  });

const tenants = program.command('tenants').description('list or create tenants (admin)');
clientOptions(tenants.command('list', { isDefault: true }).description('list tenants').addOption(formatOption())).action(
  async (o: { format: Format; server?: string; token?: string; dataDir?: string }) => {
    const r = await client(o).json<{ tenants: { name: string; kind: string; hosted_on?: string; retention_days: number; origin: string }[] }>('GET', '/api/v1/tenants');
    const cols = ['name', 'kind', 'hosted_on', 'retention_days', 'origin'];
    const rows = r.tenants.map((t) => cols.map((c) => (t as Record<string, unknown>)[c] ?? ''));
    process.stdout.write((o.format === 'table' ? renderTable(cols, rows) : renderRows(cols, rows, o.format)) + '\n');
  },
);
clientOptions(
  tenants
    .command('create')
    .description('create a tenant on a running server')
    .argument('<name>')
    .option('--kind <kind>', 'tenant or platform', 'tenant')
    .option('--retention-days <n>', 'days to keep events')
    .option('--hosted-on <platform>', 'platform tenant it is hosted on'),
).action(async (name: string, o: { kind: string; retentionDays?: string; hostedOn?: string; server?: string; token?: string; dataDir?: string }) => {
  const body: Record<string, unknown> = { name, kind: o.kind };
  if (o.retentionDays) body.retention_days = Number(o.retentionDays);
  if (o.hostedOn) body.hosted_on = o.hostedOn;
  const r = await client(o).json<{ tenant: { name: string } }>('POST', '/api/v1/tenants', body);
  process.stdout.write(`created tenant ${r.tenant.name}\n`);
});

const token = program.command('token').description('create, list or revoke API tokens (admin)');
clientOptions(
  token
    .command('create')
    .description('create a token for one tenant and one scope; the secret is printed once')
    .requiredOption('--tenant <name>', 'tenant the token belongs to')
    .addOption(new Option('--scope <scope>', 'what it may do').choices(['ingest', 'read', 'admin']).makeOptionMandatory()),
).action(async (o: { tenant: string; scope: string; server?: string; token?: string; dataDir?: string }) => {
  const r = await client(o).json<{ token: string; id: string }>('POST', '/api/v1/tokens', { tenant: o.tenant, scope: o.scope });
  process.stderr.write(`created ${o.scope} token ${r.id} for tenant ${o.tenant}; it is shown only once:\n`);
  process.stdout.write(r.token + '\n');
});
clientOptions(token.command('list').description('list tokens (ids, never secrets)').option('--tenant <name>').addOption(formatOption())).action(
  async (o: { tenant?: string; format: Format; server?: string; token?: string; dataDir?: string }) => {
    const r = await client(o).json<{ tokens: Record<string, unknown>[] }>('GET', `/api/v1/tokens${o.tenant ? `?tenant=${encodeURIComponent(o.tenant)}` : ''}`);
    const cols = ['id', 'tenant', 'scope', 'origin'];
    process.stdout.write(renderRows(cols, r.tokens.map((t) => cols.map((c) => t[c])), o.format) + '\n');
  },
);
clientOptions(token.command('revoke').description('revoke a token by id').argument('<id>')).action(
  async (id: string, o: { server?: string; token?: string; dataDir?: string }) => {
    await client(o).request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`).then(async (res) => {
      if (!res.ok) throw new CliError(`${res.status}: ${await res.text()}`);
    });
    process.stdout.write(`revoked ${id}\n`);
  },
);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof CliError) {
    process.stderr.write(`vigil: ${err.message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  process.stderr.write(`vigil: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
