import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, loadConfigFile, ConfigError, defaultConfig, expandEnv } from './load.js';

const CONTRACT_EXAMPLE = `
data_dir: ./data
http:
  listen: 127.0.0.1:8080
syslog:
  - { protocol: tcp, listen: 127.0.0.1:5514, tenant: acme }
  - { protocol: udp, listen: 127.0.0.1:5514, tenant: acme }
  - { protocol: tls, listen: 127.0.0.1:6514, tenant: acme, cert: cert.pem, key: key.pem }
tenants:
  - name: acme
    hosted_on: cloud-platform
    retention_days: 90
    not_applicable:
      - { id: E6, reason: "no mobile device management in use" }
    tokens:
      - { secret: "\${ACME_INGEST_TOKEN}", scope: ingest }
      - { secret: "acme-read-0123456789abcdef", scope: read }
  - name: cloud-platform
    kind: platform
    provides: [P3a, P3b, P5a, B5, B6]
    tokens:
      - { secret: "cp-admin-0123456789abcdef", scope: admin }
rules:
  paths: [./rules]
alerting:
  webhooks:
    - { url: "http://127.0.0.1:9000/hook" }
outputs:
  - name: soc-siem
    type: syslog
    url: tcp://127.0.0.1:6000
    tenants: [acme]
    filter: 'event.category:authentication'
`;

function problemOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('the contract example loads, with ${VAR} expanded and paths resolved against the file', () => {
  const c = parseConfig(CONTRACT_EXAMPLE, '/etc/vigil/vigil.yaml', { ACME_INGEST_TOKEN: 'from-env-0123456789' });
  assert.equal(c.tenants![0]!.tokens[0]!.secret, 'from-env-0123456789');
  assert.equal(c.tenants![0]!.retention_days, 90);
  assert.equal(c.tenants![1]!.kind, 'platform');
  assert.deepEqual(c.tenants![1]!.provides, ['P3a', 'P3b', 'P5a', 'B5', 'B6']);
  assert.equal(c.syslog![2]!.cert, '/etc/vigil/cert.pem');
  assert.equal(c.http.listen, '127.0.0.1:8080');
  assert.equal(c.queue.max_lag_bytes, 512 * 1024 * 1024, 'defaults fill what the file omits');
});

test('an unset variable names the key and the variable', () => {
  const e = problemOf(() => parseConfig(CONTRACT_EXAMPLE, 'vigil.yaml', {}));
  assert.match(e.message, /^config error in vigil\.yaml: tenants\[0\]\.tokens\[0\]\.secret: environment variable ACME_INGEST_TOKEN is not set$/);
});

test('${VAR:-default} and values that look like YAML stay strings', () => {
  assert.deepEqual(expandEnv({ a: '${X:-fallback}', b: 'pre-${Y}-post' }, { Y: '{evil: [1]}' }), { a: 'fallback', b: 'pre-{evil: [1]}-post' });
});

test('bad values: each message names file, key and problem', () => {
  const cases: [string, RegExp][] = [
    ['http: { listen: "nope" }', /http\.listen: expected HOST:PORT/],
    ['tenants: [{ name: "Bad Name" }]', /tenants\[0\]\.name: tenant names are lowercase/],
    ['tenants: [{ name: a, tokens: [{ secret: short, scope: read }] }]', /tenants\[0\]\.tokens\[0\]\.secret: token secrets must be at least 16/],
    ['tenants: [{ name: a, tokens: [{ secret: "0123456789abcdefgh", scope: root }] }]', /tenants\[0\]\.tokens\[0\]\.scope: .*ingest/],
    ['tenants: [{ name: a, hosted_on: b }]', /tenants\[0\]\.hosted_on: no tenant named "b"/],
    ['tenants: [{ name: a }, { name: b, hosted_on: a }]', /tenants\[1\]\.hosted_on: "a" is not a tenant of kind: platform/],
    ['tenants: [{ name: a }, { name: a }]', /tenants\[1\]\.name: duplicate tenant "a"/],
    ['syslog: [{ protocol: tcp, listen: "127.0.0.1:1", tenant: ghost }]\ntenants: [{ name: a }]', /syslog\[0\]\.tenant: no tenant named "ghost"/],
    ['syslog: [{ protocol: tls, listen: "127.0.0.1:1", tenant: default }]', /syslog\[0\]: a tls listener needs cert and key/],
    ['fluent_forward: [{ listen: "127.0.0.1:1", tenant: ghost }]\ntenants: [{ name: a }]', /fluent_forward\[0\]\.tenant: no tenant named "ghost"/],
    ['beats: [{ listen: "127.0.0.1:1", tenant: ghost }]\ntenants: [{ name: a }]', /beats\[0\]\.tenant: no tenant named "ghost"/],
    ['beats: [{ listen: "127.0.0.1:1", tenant: default, cert: c.pem }]', /beats\[0\]: cert and key go together/],
    ['fluent_forward: [{ listen: "127.0.0.1:1", tenant: default, shared_key: "" }]', /fluent_forward\[0\]\.shared_key: /],
    ['htp: {}', /Unrecognized key.*htp/],
    ['tenants: [{ name: a, provides: [B1] }]', /tenants\[0\]\.provides: only a tenant of kind: platform/],
    ['http: [unclosed', /YAML syntax at line 1/],
  ];
  for (const [yaml, re] of cases) {
    const e = problemOf(() => parseConfig(yaml, 'bad.yaml', {}));
    assert.match(e.message, /^config error in bad\.yaml: /);
    assert.match(e.message, re, yaml);
  }
});

test('a missing file is a ConfigError naming it', () => {
  const e = problemOf(() => loadConfigFile('/nonexistent/vigil.yaml'));
  assert.match(e.message, /config error in \/nonexistent\/vigil\.yaml: cannot read file \(ENOENT\)/);
});

test('loadConfigFile reads a real file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const p = join(dir, 'v.yaml');
  writeFileSync(p, 'tenants: [{ name: acme }]\n');
  assert.equal(loadConfigFile(p, {}).tenants![0]!.name, 'acme');
});

test('the embedded default listens where the contract says', () => {
  const c = defaultConfig();
  assert.equal(c.http.listen, '127.0.0.1:8080');
  assert.equal(c.data_dir, './data');
  assert.deepEqual(c.syslog!.map((s) => `${s.protocol} ${s.listen} ${s.tenant}`), ['tcp 127.0.0.1:5514 default', 'udp 127.0.0.1:5514 default']);
});

test('output file paths (TLS files, a file output folder) are relative to the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, 'outputs:\n  - { name: a, type: syslog, url: "tls://127.0.0.1:6514", tls: { ca: certs/ca.pem } }\n  - { name: b, type: file, path: archive }\n');
  const c = loadConfigFile(file, {});
  assert.equal((c.outputs[0] as any).tls.ca, join(dir, 'certs/ca.pem'));
  assert.equal((c.outputs[1] as any).path, join(dir, 'archive'));
});
