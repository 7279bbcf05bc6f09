// Whole rules: search identifiers as maps, lists of maps and keyword lists, the condition over them,
// explain, the fields a rule reads, and compileRules' report of what does not compile and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsDoc } from '../../core/event.js';
import { compileRule, compileRules } from './compile.js';
import { RuleInvalid, RuleUnsupported } from './errors.js';
import { explain } from './explain.js';
import { parseRuleText } from './load.js';
import { passthroughMapping } from './mapping.js';

const PASS = { mapping: passthroughMapping() };

function ruleFrom(detection: string): ReturnType<typeof parseRuleText>['rules'][number] {
  const r = parseRuleText(`title: t\nid: 0b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21\nlevel: low\nlogsource: {product: test}\ndetection:\n${detection}`, 'rule.yml');
  assert.deepEqual(r.errors, []);
  return r.rules[0]!;
}

function compiled(detection: string): ReturnType<typeof compileRule> {
  return compileRule(ruleFrom(detection), PASS);
}

const proc = (Image: string, CommandLine: string, extra: EcsDoc = {}): EcsDoc => ({ Image, CommandLine, ...extra });

test('a map is AND of its entries, a value list is OR', () => {
  const r = compiled(`  selection:
    Image|endswith: ['\\\\net.exe', '\\\\net1.exe']
    CommandLine|contains: ' user '
  condition: selection
`);
  assert.equal(r.match(proc('C:\\Windows\\net1.exe', 'net1 user bob /add')), true);
  assert.equal(r.match(proc('C:\\Windows\\net.exe', 'net group x')), false);
  assert.equal(r.match(proc('C:\\Windows\\cmd.exe', 'net user bob')), false);
});

test('a list of maps is OR of the maps', () => {
  const r = compiled(`  selection:
    - Image|endswith: '\\\\powershell.exe'
    - OriginalFileName: 'PowerShell.EXE'
  condition: selection
`);
  assert.equal(r.match({ Image: 'C:\\x\\PowerShell.exe' }), true);
  assert.equal(r.match({ Image: 'C:\\x\\renamed.exe', OriginalFileName: 'powershell.exe' }), true);
  assert.equal(r.match({ Image: 'C:\\x\\renamed.exe', OriginalFileName: 'cmd.exe' }), false);
});

test('keywords: any value anywhere in event.original or message; |all needs every one', () => {
  const any = compiled(`  keywords:
    - 'sekurlsa::logonpasswords'
    - 'lsadump::'
  condition: keywords
`);
  assert.equal(any.match({ message: 'mimikatz # SEKURLSA::LogonPasswords full' }), true);
  assert.equal(any.match({ event: { original: '{"CommandLine":"lsadump::sam"}' } }), true);
  assert.equal(any.match({ message: 'nothing here', user: { name: 'lsadump::' } }), false);
  const all = compiled(`  keywords:
    '|all':
      - 'OabVirtualDirectory'
      - ' -ExternalUrl '
  condition: keywords
`);
  assert.equal(all.match({ message: 'Set-OabVirtualDirectory -ExternalUrl http://x' }), true);
  assert.equal(all.match({ message: 'Set-OabVirtualDirectory -InternalUrl http://x' }), false);
  // A single string is one keyword.
  const one = compiled(`  kw: 'Failed password'\n  condition: kw\n`);
  assert.equal(one.match({ message: 'sshd: failed password for root' }), true);
});

test('null: the field is absent or null; with not, it must be there', () => {
  const r = compiled(`  selection:
    EventID: 4738
  filter:
    PasswordLastSet: null
  condition: selection and not filter
`);
  assert.equal(r.match({ EventID: 4738, PasswordLastSet: '2026-01-01' }), true);
  assert.equal(r.match({ EventID: 4738 }), false);
  assert.equal(r.match({ EventID: 4738, PasswordLastSet: null }), false);
});

test('conditions: not, and/or precedence, x of, them, lists of conditions', () => {
  const r = compiled(`  sel_a: { A: 1 }
  sel_b: { B: 1 }
  filter_x: { X: 1 }
  _hidden: { H: 1 }
  condition: sel_a or sel_b and not filter_x
`);
  assert.equal(r.match({ A: 1, X: 1 }), true);
  assert.equal(r.match({ B: 1, X: 1 }), false);
  assert.equal(r.match({ B: 1 }), true);
  const all = compiled(`  sel_a: { A: 1 }\n  sel_b: { B: 1 }\n  condition: all of sel_*\n`);
  assert.equal(all.match({ A: 1, B: 1 }), true);
  assert.equal(all.match({ A: 1 }), false);
  const them = compiled(`  sel_a: { A: 1 }\n  _hidden: { H: 1 }\n  condition: 1 of them\n`);
  assert.equal(them.match({ H: 1 }), false, 'them skips _ identifiers');
  assert.equal(them.match({ A: 1 }), true);
  const list = compiled(`  a: { A: 1 }\n  b: { B: 1 }\n  condition:\n    - a\n    - b\n`);
  assert.equal(list.match({ B: 1 }), true);
  assert.equal(list.match({ C: 1 }), false);
  const two = compiled(`  s1: { A: 1 }\n  s2: { B: 1 }\n  s3: { C: 1 }\n  condition: 2 of s*\n`);
  assert.equal(two.match({ A: 1, C: 1 }), true);
  assert.equal(two.match({ C: 1 }), false);
});

test('nested event fields, dotted names, literal dotted keys, array indexes and elements', () => {
  const r = compiled(`  s:\n    process.parent.name: explorer.exe\n    process.args.1: '-nop'\n    dns.answers.data: 10.0.0.1\n  condition: s\n`);
  assert.equal(r.match({ process: { parent: { name: 'Explorer.EXE' }, args: ['ps', '-nop'] }, dns: { answers: [{ data: '1.1.1.1' }, { data: '10.0.0.1' }] } }), true);
  assert.equal(r.match({ 'process.parent.name': 'explorer.exe', process: { args: ['ps', '-nop'] }, dns: { answers: [{ data: '10.0.0.1' }] } }), true);
  assert.equal(r.match({ process: { parent: { name: 'explorer.exe' }, args: ['-nop'] }, dns: { answers: [{ data: '10.0.0.1' }] } }), false);
});

test('explain: each search identifier and whether it matched; explain() adds entries and values', () => {
  const r = compiled(`  selection:
    Image|endswith: '\\\\whoami.exe'
  filter:
    User|contains: 'SYSTEM'
  condition: selection and not filter
`);
  const doc = { Image: 'C:\\Windows\\System32\\whoami.exe', User: 'NT AUTHORITY\\SYSTEM' };
  assert.deepEqual(r.explain(doc), [
    { name: 'selection', matched: true },
    { name: 'filter', matched: true },
  ]);
  assert.equal(r.match(doc), false);
  const e = explain(r, doc);
  assert.equal(e.matched, false);
  assert.equal(e.logsource, undefined);
  assert.deepEqual(e.selections[1], {
    name: 'filter',
    matched: true,
    items: [{ key: 'User|contains', fields: ['User'], values: ['NT AUTHORITY\\SYSTEM'], expects: ['contains "system"'], matched: true }],
  });
});

test('fields: every event field the rule reads', () => {
  const r = compiled(`  s:\n    Image|endswith: x\n    A|fieldref: B\n  kw: [abc]\n  condition: s or kw\n`);
  assert.deepEqual(r.fields.sort(), ['A', 'B', 'Image', 'event.original', 'message']);
});

test('broken and unsupported rules throw, naming the reason', () => {
  assert.throws(() => compiled(`  s: { A: 1 }\n  condition: s and t\n`), (e: unknown) => e instanceof RuleInvalid && /unknown search identifier 't'/.test(e.reason) && e.key === 'condition');
  assert.throws(() => compiled(`  s: { A: 1 }\n  condition: s | count() > 5\n`), (e: unknown) => e instanceof RuleUnsupported && /correlation rule/.test(e.reason));
  assert.throws(() => compiled(`  s: { A: 1 }\n  timeframe: 5m\n  condition: s\n`), (e: unknown) => e instanceof RuleUnsupported && /timeframe/.test(e.reason));
  assert.throws(() => compiled(`  s: { A|nope: 1 }\n  condition: s\n`), (e: unknown) => e instanceof RuleUnsupported && e.key === 's');
  assert.throws(() => compiled(`  s: [[a]]\n  condition: s\n`), RuleInvalid);
});

test('compileRules: what compiles, and each failure with file, line and reason', () => {
  const text = `title: ok
id: 0b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21
level: low
logsource: {product: test}
detection:
  s: { A: 1 }
  condition: s
---
title: broken condition
id: 1b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21
level: low
logsource: {product: test}
detection:
  s: { A: 1 }
  condition: s and (
---
title: unknown modifier
id: 2b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21
level: low
logsource: {product: test}
detection:
  s: { A: 1 }
  t:
    B|frobnicate: 2
  condition: s and t
`;
  const { rules } = parseRuleText(text, 'set.yml');
  const r = compileRules(rules, PASS);
  assert.deepEqual(r.compiled.map((c) => c.rule.title), ['ok']);
  assert.deepEqual(r.invalid, [
    {
      file: 'set.yml',
      line: 15,
      id: '1b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21',
      title: 'broken condition',
      reason: "condition 's and (': expected a search identifier, 'not', 'x of' or '(', found the end of the condition at column 8",
    },
  ]);
  assert.deepEqual(r.unsupported, [{ file: 'set.yml', line: 23, id: '2b6f8f4e-1d2c-4c3b-9a8e-7f6d5c4b3a21', title: 'unknown modifier', reason: "unknown modifier 'frobnicate'" }]);
});
