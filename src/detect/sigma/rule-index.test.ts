// The index only narrows which rules are tried; it must never change which rules match. Differential
// tests: index.match(doc) against every rule evaluated naively, on generated events (fast-check) and on
// the parsers' golden events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import type { EcsDoc } from '../../core/event.js';
import { compileRules, type CompiledSigmaRule } from './compile.js';
import { parseRuleText } from './load.js';
import { passthroughMapping, type FieldMapping } from './mapping.js';
import { RuleIndex } from './rule-index.js';

/** Rules over a small vocabulary, exercising every matcher kind and condition shape. */
const DETECTIONS = [
  `s: { EventID: 4625 }\n  condition: s`,
  `s: { EventID: [1, 4688], Image|endswith: '\\\\cmd.exe' }\n  condition: s`,
  `s: { Channel: Security, EventID: '4624' }\n  condition: s`,
  `s: { Image|endswith: ['\\\\powershell.exe', '\\\\pwsh.exe'] }\n  f: { CommandLine|contains: 'safe' }\n  condition: s and not f`,
  `s: { CommandLine|contains|windash: ' -enc ' }\n  condition: s`,
  `s: { CommandLine|contains|all: ['whoami', '/all'] }\n  condition: s`,
  `s: { CommandLine|re: 'who(ami)?\\s' }\n  condition: s`,
  `s: { CommandLine: '*net*user*' }\n  condition: s`,
  `s: { Image|startswith: 'c:\\\\users\\\\' }\n  condition: s`,
  `keywords: ['mimikatz', 'lsadump::']\n  condition: keywords`,
  `keywords: { '|all': ['error', 'denied'] }\n  condition: keywords`,
  `s: { User: null, EventID: 1 }\n  condition: s`,
  `s: { User|exists: true, Channel: System }\n  condition: s`,
  `s: { Channel: '*' }\n  condition: s`,
  `a: { EventID: 1 }\n  b: { EventID: 4688 }\n  c: { Image|contains: 'temp' }\n  condition: (a or b) and c`,
  `a: { EventID: 1 }\n  b: { Channel: Security }\n  condition: a or b`,
  `a: { EventID: 4625 }\n  b: { CommandLine|contains: 'x' }\n  condition: 1 of them`,
  `a: { EventID|neq: 4625 }\n  condition: a`,
  `a: { Size|gt: 10 }\n  condition: a`,
  `a: { Image|cased: 'C:\\\\Temp\\\\A.exe' }\n  condition: a`,
  `a: { CommandLine|contains: ['😀', '😂', '🤣', 'a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8', 'i9', 'j0', 'k1', 'l2', 'm3'] }\n  condition: a`,
  `a: { CommandLine|base64offset|contains: 'whoami' }\n  condition: a`,
  `a: { Image|fieldref: ParentImage }\n  condition: a`,
  `a: { EventID: 1 }\n  b: { Image|endswith: '.exe' }\n  c: { CommandLine|contains: 'net' }\n  condition: 2 of them`,
  `a: { Channel: [Security, System] }\n  f: { EventID: [4624, 4625] }\n  condition: a and not f`,
  `a: { EventID: 1.0 }\n  condition: a`,
];

function ruleSet(mapping: FieldMapping): CompiledSigmaRule[] {
  const text = DETECTIONS.map((d, i) => `title: r${i}\nid: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}\nlevel: low\nlogsource: {product: test}\ndetection:\n  ${d}\n`).join('---\n');
  const { rules, errors } = parseRuleText(text, 'idx.yml');
  assert.deepEqual(errors, []);
  const r = compileRules(rules, { mapping });
  assert.deepEqual([...r.invalid, ...r.unsupported], []);
  return r.compiled;
}

const pick = <T>(xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const words = ['whoami', '/all', '-all', ' -enc ', ' /ENC ', ' \u2013enc ', 'net', 'user', 'safe', 'temp', 'x', '😀', 'e5', 'd2hvYW1p', 'mimikatz', 'ERROR', 'denied', ' '];

const docArb: fc.Arbitrary<EcsDoc> = fc
  .record({
    EventID: maybe(fc.oneof(pick([1, 4624, 4625, 4688, 10]), pick(['1', '4625', ' 4688', '01', '1.0', 'abc']), fc.array(pick([1, 4625, '4624']), { maxLength: 3 }))),
    Channel: maybe(fc.oneof(pick(['Security', 'security', 'System', 'Application', '']), fc.constant(null))),
    Image: maybe(fc.oneof(pick(['C:\\Windows\\cmd.exe', 'c:\\users\\bob\\powershell.EXE', 'C:\\Temp\\A.exe', 'C:\\temp\\a.exe', 'C:\\x\\pwsh.exe', 'notepad']), fc.array(pick(['a.exe', 'C:\\Windows\\CMD.exe']), { maxLength: 2 }))),
    ParentImage: maybe(pick(['C:\\Windows\\cmd.exe', 'c:\\temp\\a.exe'])),
    CommandLine: maybe(fc.array(pick(words), { maxLength: 6 }).map((ws) => ws.join(' '))),
    User: maybe(fc.oneof(pick(['bob', 'SYSTEM']), fc.constant(null))),
    Size: maybe(fc.oneof(fc.integer({ min: 0, max: 20 }), pick(['11', 'big']))),
    message: maybe(fc.array(pick(words), { maxLength: 5 }).map((ws) => ws.join(' '))),
    event: maybe(fc.record({ original: fc.array(pick(words), { maxLength: 5 }).map((ws) => ws.join('')) })),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as EcsDoc);

const titles = (rs: { rule: { title: string } }[]): string[] => rs.map((r) => r.rule.title);

test('property: the index matches exactly the rules naive evaluation matches', () => {
  const mapping = { ...passthroughMapping(), index: ['EventID', 'Channel'] };
  const rules = ruleSet(mapping);
  const index = new RuleIndex(rules, { mapping });
  const st = index.stats();
  assert.ok(Object.keys(st.indexed).length >= 2 && st.withLiterals > 10, `index: ${JSON.stringify(st)}`);
  let matched = 0;
  fc.assert(
    fc.property(docArb, (doc) => {
      const naive = rules.filter((r) => r.match(doc));
      matched += naive.length;
      assert.deepEqual(titles(index.match(doc)), titles(naive));
      const cands = new Set(titles(index.candidates(doc)));
      for (const t of titles(naive)) assert.ok(cands.has(t), `${t} missing from the candidates`);
    }),
    { numRuns: 3000 },
  );
  assert.ok(matched > 1000, `the generated events exercise the rules (${matched} matches)`);
});

test('the index narrows: an event is tried against few of the rules', () => {
  const mapping = { ...passthroughMapping(), index: ['EventID', 'Channel'] };
  const rules = ruleSet(mapping);
  const index = new RuleIndex(rules, { mapping });
  // EventID 4625's bucket, plus the rules nothing can be said of (regex, neq, gt, fieldref, 2-character needles).
  assert.deepEqual(titles(index.candidates({ EventID: 4625 })), ['r0', 'r6', 'r16', 'r17', 'r18', 'r20', 'r22']);
  assert.deepEqual(titles(index.match({ EventID: '4625', CommandLine: 'x' })), ['r0', 'r16']);
});

const PARSERS = fileURLToPath(new URL('../../process/parsers/', import.meta.url));

function goldenEvents(): EcsDoc[] {
  const out: EcsDoc[] = [];
  for (const p of readdirSync(PARSERS)) {
    const fx = join(PARSERS, p, 'fixtures');
    if (!existsSync(fx)) continue;
    for (const f of readdirSync(fx)) if (f.endsWith('.ecs.json')) out.push(...(JSON.parse(readFileSync(join(fx, f), 'utf8')) as EcsDoc[]));
  }
  return out;
}

test('golden events under the ECS mapping: index and naive evaluation agree', () => {
  const text = `title: failed logon
id: 10000000-0000-4000-8000-000000000001
level: low
logsource: {product: windows, service: security}
detection:
  s: { EventID: 4625 }
  condition: s
---
title: shell from sysmon or 4688
id: 10000000-0000-4000-8000-000000000002
level: low
logsource: {product: windows, category: process_creation}
detection:
  s: { Image|endswith: ['\\\\cmd.exe', '\\\\powershell.exe'] }
  condition: s
---
title: linux keyword
id: 10000000-0000-4000-8000-000000000003
level: low
logsource: {product: linux}
detection:
  keywords: ['session opened', 'Accepted password']
  condition: keywords
---
title: cloudtrail
id: 10000000-0000-4000-8000-000000000004
level: low
logsource: {product: aws, service: cloudtrail}
detection:
  s: { eventName|startswith: ['Create', 'Delete'] }
  condition: s
`;
  const { compiled } = compileRules(parseRuleText(text, 'g.yml').rules);
  assert.equal(compiled.length, 4);
  const index = new RuleIndex(compiled);
  const counts = new Map<string, number>();
  for (const doc of goldenEvents()) {
    const naive = compiled.filter((r) => r.match(doc));
    assert.deepEqual(titles(index.match(doc)), titles(naive));
    for (const t of titles(naive)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  for (const r of compiled) assert.ok((counts.get(r.rule.title) ?? 0) > 0, `${r.rule.title} matches some golden event`);
});
