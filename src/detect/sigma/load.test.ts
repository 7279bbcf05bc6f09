// Loading rule files: several documents per file, broken ones reported with file and line while the
// rest load, correlation documents kept as written, legacy `action: global` collections merged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleFiles, parseRuleText } from './load.js';

const GOOD = (id: string, title = 'Good rule'): string => `title: ${title}
id: ${id}
status: test
level: high
tags: [attack.execution, attack.t1059]
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\\cmd.exe'
    condition: selection
falsepositives:
    - Admins
`;

test('several documents per file; each broken one is reported at its line and the others load', () => {
  const text = [
    GOOD('11111111-1111-4111-8111-111111111111', 'First'),
    `title: No detection here
id: 22222222-2222-4222-8222-222222222222
logsource: { product: windows }
level: low
`,
    GOOD('33333333-3333-4333-8333-333333333333', 'Third'),
    `title: Bad level
id: 44444444-4444-4444-8444-444444444444
logsource: { product: windows }
detection:
    sel: { a: 1 }
    condition: sel
level: severe
`,
    `title: Bad condition
logsource: { product: windows }
detection:
    sel: { a: 1 }
    condition: [1, '']
`,
  ].join('---\n');
  const r = parseRuleText(text, 'rules/mixed.yml');
  assert.deepEqual(
    r.rules.map((x) => [x.title, x.line]),
    [
      ['First', 1],
      ['Third', 21],
    ],
  );
  assert.deepEqual(r.errors, [
    { file: 'rules/mixed.yml', line: 16, id: '22222222-2222-4222-8222-222222222222', title: 'No detection here', reason: 'no detection' },
    { file: 'rules/mixed.yml', line: 42, id: '44444444-4444-4444-8444-444444444444', title: 'Bad level', reason: "level 'severe' is not one of informational, low, medium, high, critical" },
    { file: 'rules/mixed.yml', line: 48, title: 'Bad condition', reason: 'condition must be a non-empty string or list of strings' },
  ]);
  const first = r.rules[0]!;
  assert.equal(first.id, '11111111-1111-4111-8111-111111111111');
  assert.equal(first.level, 'high');
  assert.equal(first.status, 'test');
  assert.deepEqual(first.tags, ['attack.execution', 'attack.t1059']);
  assert.deepEqual(first.logsource, { product: 'windows', category: 'process_creation' });
  assert.deepEqual(first.falsepositives, ['Admins']);
  assert.deepEqual(first.detectionLines, { selection: 10, condition: 12 });
});

test('YAML syntax errors name their line; later documents still load', () => {
  const text = `title: Broken
detection:
  sel: [a, b
  condition: sel
---
${GOOD('55555555-5555-4555-8555-555555555555')}`;
  const r = parseRuleText(text, 'x.yml');
  assert.equal(r.rules.length, 1);
  assert.ok(r.errors.length >= 1);
  assert.equal(r.errors[0]!.file, 'x.yml');
  assert.ok(r.errors[0]!.line >= 3 && r.errors[0]!.line <= 4, `line ${r.errors[0]!.line}`);
  assert.match(r.errors[0]!.reason, /^YAML: /);
});

test('missing pieces: title, logsource, condition, identifiers', () => {
  const reasons = (doc: string): string[] => parseRuleText(doc, 'f.yml').errors.map((e) => e.reason);
  assert.deepEqual(reasons('logsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n'), ['no title']);
  assert.deepEqual(reasons('title: 5\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n'), ['title must be a string']);
  assert.deepEqual(reasons('title: t\ndetection: {s: {a: 1}, condition: s}\n'), ['no logsource']);
  assert.deepEqual(reasons('title: t\nlogsource: {product: x}\ndetection: {s: {a: 1}}\n'), ['detection has no condition']);
  assert.deepEqual(reasons('title: t\nlogsource: {product: x}\ndetection: {condition: s}\n'), ['detection defines no search identifier']);
  assert.deepEqual(reasons('title: t\nlogsource: {product: x}\ndetection:\n  s:\n  condition: s\n'), ["search identifier 's' is empty"]);
  assert.deepEqual(reasons('- just\n- a list\n'), ['a rule document must be a YAML mapping']);
});

test('warnings: no id, no level, unknown status, non-UUID id', () => {
  const r = parseRuleText('title: t\nstatus: wip\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n', 'w.yml');
  assert.equal(r.rules.length, 1);
  assert.equal(r.rules[0]!.id, 'w.yml:1');
  assert.equal(r.rules[0]!.level, 'medium');
  assert.deepEqual(
    r.warnings.map((w) => w.reason),
    ['no level: medium assumed', "unknown status 'wip'", 'no id: the rule is identified by its file and line'],
  );
  const bad = parseRuleText('title: t\nid: rule-1\nlevel: low\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n', 'w.yml');
  assert.deepEqual(bad.warnings, [{ file: 'w.yml', line: 2, id: 'rule-1', title: 't', reason: "id 'rule-1' is not a UUID" }]);
});

test('values keep their written form: 0x10 stays text, 10 is a number, null is null', () => {
  const r = parseRuleText('title: t\nlevel: low\nlogsource: {product: x}\ndetection:\n  s: {a: 0x10, b: 10, c: null, d: 1e3, e: "010"}\n  condition: s\n', 'v.yml');
  const det = (r.rules[0]!.raw as { detection: { s: unknown } }).detection.s;
  assert.deepEqual(det, { a: '0x10', b: 10, c: null, d: '1e3', e: '010' });
});

test('correlation documents are kept as written, with file and line', () => {
  const text = `${GOOD('66666666-6666-4666-8666-666666666666')}---
title: Many failed logons
id: 77777777-7777-4777-8777-777777777777
name: many_failed
correlation:
    type: event_count
    rules: [66666666-6666-4666-8666-666666666666]
    group-by: [User]
    timespan: 5m
    condition: { gte: 10 }
---
title: Broken correlation
correlation: oops
`;
  const r = parseRuleText(text, 'c.yml');
  assert.equal(r.rules.length, 1);
  assert.equal(r.correlations.length, 1);
  const c = r.correlations[0]!;
  assert.deepEqual([c.file, c.line, c.id, c.name, c.title], ['c.yml', 16, '77777777-7777-4777-8777-777777777777', 'many_failed', 'Many failed logons']);
  assert.equal((c.raw as { correlation: { type: string } }).correlation.type, 'event_count');
  assert.deepEqual(r.errors, [{ file: 'c.yml', line: 27, title: 'Broken correlation', reason: 'correlation must be a mapping with a type' }]);
});

test('action: global is merged into the documents after it; repeat and reset', () => {
  const text = `action: global
title: Shared title
level: high
logsource:
    product: windows
    service: security
detection:
    condition: selection
---
id: 88888888-8888-4888-8888-888888888881
detection:
    selection: { EventID: 4625 }
---
id: 88888888-8888-4888-8888-888888888882
title: Own title
detection:
    selection: { EventID: 4624 }
---
action: repeat
id: 88888888-8888-4888-8888-888888888883
detection:
    selection: { EventID: 4634 }
---
action: reset
---
title: After reset
id: 88888888-8888-4888-8888-888888888884
detection:
    selection: { a: 1 }
    condition: selection
`;
  const r = parseRuleText(text, 'g.yml');
  assert.deepEqual(r.errors, [{ file: 'g.yml', line: 26, id: '88888888-8888-4888-8888-888888888884', title: 'After reset', reason: 'no logsource' }]);
  assert.deepEqual(
    r.rules.map((x) => [x.title, x.level, x.logsource.service, (x.raw as { detection: unknown }).detection]),
    [
      ['Shared title', 'high', 'security', { condition: 'selection', selection: { EventID: 4625 } }],
      ['Own title', 'high', 'security', { condition: 'selection', selection: { EventID: 4624 } }],
      ['Own title', 'high', 'security', { condition: 'selection', selection: { EventID: 4634 } }],
    ],
  );
  assert.deepEqual(parseRuleText('action: upsert\ntitle: t\n', 'a.yml').errors, [{ file: 'a.yml', line: 1, reason: "unknown action 'upsert' (global, reset or repeat)" }]);
});

test('filter documents and duplicate ids are reported', () => {
  const r = parseRuleText(`title: A filter\nlogsource: {product: windows}\nfilter:\n  rules: [x]\n---\n${GOOD('99999999-9999-4999-8999-999999999999')}---\n${GOOD('99999999-9999-4999-8999-999999999999', 'Again')}`, 'd.yml');
  assert.equal(r.rules.length, 1);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.reason]),
    [
      [3, 'Sigma filter documents are not supported yet'],
      [22, 'duplicate id: first defined at line 6'],
    ],
  );
});

test('loadRuleFiles: files and folders (recursive *.yml / *.yaml), missing paths, ids unique across files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sigma-'));
  try {
    mkdirSync(join(dir, 'windows', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'windows', 'a.yml'), GOOD('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'A'));
    writeFileSync(join(dir, 'windows', 'deep', 'b.yaml'), GOOD('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'B'));
    writeFileSync(join(dir, 'windows', 'deep', 'c.yml'), GOOD('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Copy of A'));
    writeFileSync(join(dir, 'README.md'), '# not a rule');
    writeFileSync(join(dir, '.hidden.yml'), 'title: [');
    const r = loadRuleFiles([dir, join(dir, 'nope.yml')]);
    assert.deepEqual(r.rules.map((x) => x.title), ['A', 'B']);
    assert.deepEqual(
      r.errors.map((e) => [e.file.slice(dir.length), e.line, e.reason]),
      [
        ['/nope.yml', 0, 'no such file or folder'],
        ['/windows/deep/c.yml', 1, `duplicate id: first loaded from ${join(dir, 'windows', 'a.yml')}:1`],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
