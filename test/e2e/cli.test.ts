// The vigil CLI against a running server: ingest with progress and resume, search in every format,
// tenants and tokens.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, searchUntil, tempDir, ROOT, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

function vigil(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    input: opts.input,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vigil CLI', () => {
  let v: VigilProcess;
  let conn: string[];
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
    conn = ['--server', v.url, '--token', v.adminToken];
  });
  after(async () => v?.stop());

  test('ingest streams a file with a progress report, then search finds it in every format', async () => {
    const dir = tempDir();
    const file = join(dir, 'auth.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `Nov 23 08:${String(i % 60).padStart(2, '0')}:00 bastion sshd[${100 + (i % 7)}]: Failed password for user${i % 13} from 10.0.${i % 250}.1 port ${2000 + i} ssh2 cliingest`);
    writeFileSync(file, lines.join('\n') + '\n');
    const r = vigil(['ingest', '--tenant', 'acme', '--batch-bytes', '65536', file, ...conn]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /accepted 5000 events/);
    assert.match(r.stderr, /100\.0%/);
    await searchUntil(v, TOKENS.acme.read, { q: 'cliingest' }, (x) => x.total === 5000);

    const table = vigil(['search', '--tenant', 'acme', '--from', '-400d', '--to', 'now+1d', 'cliingest and process.pid:100', '--limit', '3', ...conn]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^@timestamp\s+host\.name/);
    assert.match(table.stdout, /\(3 of 715 events\)/);

    const json = vigil(['search', '--tenant', 'acme', '--from', '-400d', '--to', 'now+1d', 'cliingest | stats count() by host.name', '--format', 'json', ...conn]);
    assert.deepEqual(JSON.parse(json.stdout).rows.map((r: unknown[]) => r.includes(5000) && r.includes('bastion')), [true]);

    const nd = vigil(['search', '--tenant', 'acme', '--from', '-400d', '--to', 'now+1d', 'cliingest', '--limit', '4', '--format', 'ndjson', ...conn]);
    const docs = nd.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(docs.length, 4);
    assert.equal(docs[0].process.name, 'sshd');

    const csv = vigil(['search', '--tenant', 'acme', '--from', '-400d', '--to', 'now+1d', 'cliingest | stats count() by process.pid | sort process.pid | head 2', '--format', 'csv', ...conn]);
    const projected = vigil(['search', '--tenant', 'acme', '--from', '-400d', '--to', 'now+1d', 'cliingest | fields host.name, process.pid | head 1', '--format', 'csv', ...conn]);
    assert.match(projected.stdout, /^host\.name,process\.pid\nbastion,10\d\n$/, 'a fields pipe picks the columns');
    const csvLines = csv.stdout.trim().split('\n');
    assert.equal(csvLines.length, 3);
    assert.match(csvLines[0]!, /count\(\)/);
  });

  test('a query syntax error is reported with its position and a non-zero exit', () => {
    const r = vigil(['search', '--tenant', 'acme', 'user.name:(alice', ...conn]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^vigil: 400: .*position \d+/);
  });

  test('ingest stops on a permanent error and says how to resume', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.log');
    writeFileSync(file, 'ok one\nok two\n' + 'z'.repeat(2 * 1024 * 1024) + '\nafter\n');
    const r = vigil(['ingest', '--tenant', 'acme', '--batch-bytes', '8', file, ...conn]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line_too_long|over the limit/);
    assert.match(r.stderr, /2 lines of .* were accepted\. Resume with: vigil ingest --start-line 3 /);
  });

  test('tenants and tokens: create, list, use, revoke', async () => {
    const c = vigil(['tenants', 'create', 'initech', '--retention-days', '7', ...conn]);
    assert.equal(c.code, 0, c.stderr);
    const list = vigil(['tenants', '--format', 'csv', ...conn]);
    assert.match(list.stdout, /^initech,tenant,,7,runtime$/m);
    const tok = vigil(['token', 'create', '--tenant', 'initech', '--scope', 'ingest', ...conn]);
    assert.equal(tok.code, 0, tok.stderr);
    const secret = tok.stdout.trim();
    assert.match(secret, /^vgl_/);
    const ing = vigil(['ingest', '-', '--server', v.url, '--token', secret], { input: 'from stdin initechline\n' });
    assert.equal(ing.code, 0, ing.stderr);
    await searchUntil(v, v.adminToken, { tenant: 'initech', q: 'initechline' }, (x) => x.total === 1);
    const id = /token (tok_[0-9a-f]+)/.exec(tok.stderr)![1]!;
    assert.equal(vigil(['token', 'revoke', id, ...conn]).code, 0);
    const denied = vigil(['ingest', '-', '--server', v.url, '--token', secret], { input: 'x\n' });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /401/);
  });

  test('a token scoped to read cannot create tenants, and the CLI says why', () => {
    const r = vigil(['tenants', 'create', 'nope', '--server', v.url, '--token', TOKENS.acme.read]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /403: this endpoint needs a token with scope admin/);
  });
});

test('a bad config file stops serve with one message naming file, key and problem', () => {
  const dir = tempDir();
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'tenants:\n  - name: acme\n    tokens:\n      - { secret: "0123456789abcdefgh", scope: superuser }\n');
  const r = vigil(['serve', '--config', file, '--data-dir', dir]);
  assert.equal(r.code, 78);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, new RegExp(`^vigil: config error in ${file.replace(/[/.]/g, '\\$&')}: tenants\\[0\\]\\.tokens\\[0\\]\\.scope: `));
});
