// Loads the YAML config: parse, expand ${VAR} in string values (after parsing, so an environment value
// can never change the YAML structure), validate, then check cross-references. Every problem becomes
// one ConfigError naming the file, the key and the problem.
import { readFileSync } from 'node:fs';
import { isAbsolute, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { configSchema, PLATFORM_TENANT, type Config } from './schema.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { key: string; problem: string }[],
  ) {
    super(
      `config error in ${file}: ` + problems.map((p) => (p.key ? `${p.key}: ${p.problem}` : p.problem)).join('; '),
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/** Replaces ${VAR} and ${VAR:-default} in every string; collects unset variables as problems. */
export function expandEnv(value: unknown, env: Env, path: PropertyKey[] = [], problems: { key: string; problem: string }[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (dflt !== undefined) return dflt;
      problems.push({ key: keyOf(path), problem: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, [...path, i], problems));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, [...path, k], problems);
    return out;
  }
  return value;
}

export function parseConfig(text: string, file: string, env: Env = process.env): Config {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ key: '', problem: `YAML syntax at line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${e.message.split(' at line')[0]!.split('\n')[0]}` })),
    );
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(file, [{ key: '', problem: 'expected a mapping at the top level' }]);
  const problems: { key: string; problem: string }[] = [];
  const expanded = expandEnv(raw, env, [], problems);
  if (problems.length) throw new ConfigError(file, problems);
  const parsed = configSchema.safeParse(expanded);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => ({ key: keyOf(i.path), problem: i.message })),
    );
  }
  const config = parsed.data;
  checkReferences(config, file);
  resolvePaths(config, file);
  return config;
}

function checkReferences(config: Config, file: string): void {
  const problems: { key: string; problem: string }[] = [];
  const tenants = config.tenants ?? [];
  const names = new Map<string, number>();
  tenants.forEach((t, i) => {
    if (names.has(t.name)) problems.push({ key: `tenants[${i}].name`, problem: `duplicate tenant "${t.name}"` });
    names.set(t.name, i);
  });
  tenants.forEach((t, i) => {
    if (t.hosted_on !== undefined) {
      const host = names.get(t.hosted_on);
      if (host === undefined) problems.push({ key: `tenants[${i}].hosted_on`, problem: `no tenant named "${t.hosted_on}"` });
      else if (tenants[host]!.kind !== 'platform')
        problems.push({ key: `tenants[${i}].hosted_on`, problem: `"${t.hosted_on}" is not a tenant of kind: platform` });
    }
    if (t.kind !== 'platform' && t.provides.length > 0)
      problems.push({ key: `tenants[${i}].provides`, problem: 'only a tenant of kind: platform declares provides' });
  });
  const secrets = new Set<string>();
  tenants.forEach((t, i) =>
    t.tokens.forEach((tok, j) => {
      if (secrets.has(tok.secret)) problems.push({ key: `tenants[${i}].tokens[${j}].secret`, problem: 'the same secret is used twice' });
      secrets.add(tok.secret);
    }),
  );
  const known = new Set([...names.keys(), ...(config.tenants ? [] : ['default'])]);
  for (const section of LISTENER_SECTIONS) {
    (config[section] ?? []).forEach((l, i) => {
      if (!known.has(l.tenant)) problems.push({ key: `${section}[${i}].tenant`, problem: `no tenant named "${l.tenant}"` });
    });
  }
  if (names.has(PLATFORM_TENANT)) problems.push({ key: 'tenants', problem: `"${PLATFORM_TENANT}" is reserved` });
  if (problems.length) throw new ConfigError(file, problems);
}

/** The config sections that list socket listeners, each bound to a tenant and maybe TLS files. */
const LISTENER_SECTIONS = ['syslog', 'fluent_forward', 'beats'] as const;

/** Relative paths in a config file are relative to the file, not to the working directory. */
function resolvePaths(config: Config, file: string): void {
  const base = dirname(resolve(file));
  const fix = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  for (const l of LISTENER_SECTIONS.flatMap((s): { cert?: string; key?: string; ca?: string }[] => config[s] ?? [])) {
    if (l.cert) l.cert = fix(l.cert);
    if (l.key) l.key = fix(l.key);
    if (l.ca) l.ca = fix(l.ca);
  }
  if (config.rules) config.rules.paths = config.rules.paths.map(fix);
  // Outputs' type-specific keys are checked later (src/forward); their file paths are resolved here.
  for (const o of config.outputs) {
    const out = o as Record<string, unknown>;
    const tls = out.tls as Record<string, unknown> | undefined;
    if (tls && typeof tls === 'object') for (const k of ['ca', 'cert', 'key']) if (typeof tls[k] === 'string') tls[k] = fix(tls[k]);
    if (o.type === 'file' && typeof out.path === 'string') out.path = fix(out.path);
  }
}

export function loadConfigFile(file: string, env: Env = process.env): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ key: '', problem: `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  return parseConfig(text, file, env);
}

/** The embedded default: no file, one tenant "default", syslog on TCP and UDP 127.0.0.1:5514. */
export function defaultConfig(): Config {
  const config = configSchema.parse({});
  config.syslog = [
    { protocol: 'tcp', listen: '127.0.0.1:5514', tenant: 'default', max_frame_bytes: 64 * 1024, timezone_offset_minutes: 0 },
    { protocol: 'udp', listen: '127.0.0.1:5514', tenant: 'default', max_frame_bytes: 64 * 1024, timezone_offset_minutes: 0 },
  ];
  return config;
}
