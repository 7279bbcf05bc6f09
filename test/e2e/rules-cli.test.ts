// vigil rules validate / test / list, as a user runs them: real files, the real CLI process.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, tempDir, writeConfig, ROOT, type VigilProcess } from '../helpers/server.js';

function vigil(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = `title: Sudo to root
id: 0b8c1d4e-0000-4000-8000-000000000001
name: sudo_root
logsource: { product: linux, service: sudo }
detection:
  selection:
    process.name: sudo
    user.effective.name: root
  condition: selection
level: medium
---
title: Three sudo to root in a minute
id: 0b8c1d4e-0000-4000-8000-000000000002
correlation:
  type: event_count
  rules: [sudo_root]
  group-by: [user.name]
  timespan: 1m
  condition: { gte: 3 }
level: high
`;

const BROKEN = `title: Broken condition
id: 0b8c1d4e-0000-4000-8000-000000000003
logsource: { product: windows, service: security }
detection:
  selection:
    EventID: 4625
  condition: selection and (
level: low
---
title: Missing detection
id: 0b8c1d4e-0000-4000-8000-000000000004
logsource: { product: windows }
level: low
---
title: Fine
id: 0b8c1d4e-0000-4000-8000-000000000005
logsource: { product: windows, service: security }
detection:
  selection:
    EventID: 4740
  condition: selection
level: medium
`;

describe('vigil rules', () => {
  const dir = tempDir('vigil-rules-');
  const rulesDir = join(dir, 'rules');
  let v: VigilProcess;
  before(async () => {
    mkdirSync(rulesDir);
    writeFileSync(join(rulesDir, 'good.yml'), GOOD);
    writeFileSync(join(rulesDir, 'broken.yml'), BROKEN);
    v = await startVigil({ configPath: writeConfig(`http:\n  listen: 127.0.0.1:0\nrules:\n  paths: [${JSON.stringify(rulesDir)}]\n`).path });
  });
  after(async () => v?.stop());

  test('validate: every broken rule with file, line and reason; the good ones counted; exit 1', () => {
    const r = vigil(['rules', 'validate', rulesDir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /broken\.yml:7: invalid: Broken condition: condition .selection and \(.: expected a search identifier.*column 16/);
    assert.match(r.stdout, /broken\.yml:10: invalid: .*detection/);
    assert.match(r.stdout, /2 rule\(s\) and 1 correlation\(s\) compile; 2 problem\(s\)/);
    const ok = vigil(['rules', 'validate', join(rulesDir, 'good.yml')]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });

  test('test: which sample events match and why, and which correlations fire', () => {
    const samples = join(dir, 'samples.log');
    const line = (m: number, user: string) => `<85>Nov 23 08:0${m}:00 bastion1 sudo: ${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/id`;
    writeFileSync(samples, [line(1, 'alice'), line(1, 'alice'), '<38>Nov 23 08:01:30 bastion1 sshd[1]: Accepted password for bob from 192.0.2.1 port 2 ssh2', line(1, 'alice')].join('\n') + '\n');
    const r = vigil(['rules', 'test', join(rulesDir, 'good.yml'), '--events', samples]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /event 1: matches "Sudo to root" \(.*selection=yes.*\)/);
    assert.match(r.stdout, /event 3: no match/);
    assert.match(r.stdout, /alert: \[high\] Three sudo to root in a minute \(correlation\) user\.name=alice: 1 match\(es\)/);
    assert.match(r.stdout, /3 of 4 event\(s\) matched/);
    const j = vigil(['rules', 'test', join(rulesDir, 'good.yml'), '--events', samples, '--format', 'json']);
    const parsed = JSON.parse(j.stdout);
    assert.equal(parsed.events.length, 4);
    assert.equal(parsed.alerts.filter((a: any) => a.kind === 'correlation').length, 1);
  });

  test('list: what the server loaded, and what it could not, by file', () => {
    const r = vigil(['rules', 'list', '--server', v.url, '--token', v.adminToken]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Sudo to root/);
    assert.match(r.stdout, /Brute force against one account/, 'the built-in pack');
    assert.match(r.stdout, /2 rule\(s\) not loaded:/);
    assert.match(r.stdout, /broken\.yml:7: invalid:/);
  });
});
