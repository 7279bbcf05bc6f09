// The ECS mapping against what Vigil really emits: rules written in SigmaHQ's field names, run on the
// parsers' golden events. Also: logsources become conditions, unmapped logsources and fields are
// unsupported with a reason, ECS names work as written, and the data file only names produced fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { EcsDoc } from '../../core/event.js';
import { PRODUCED_FIELDS } from '../../process/parsers/fields.generated.js';
import { compileRule } from './compile.js';
import { RuleUnsupported } from './errors.js';
import { explain } from './explain.js';
import { parseRuleText } from './load.js';
import { DEFAULT_MAPPING_FILE, MappingError, parseFieldMapping } from './mapping.js';

function golden(path: string): EcsDoc[] {
  return JSON.parse(readFileSync(new URL(`../../process/parsers/${path}`, import.meta.url), 'utf8')) as EcsDoc[];
}

function rule(logsource: string, detection: string): ReturnType<typeof compileRule> {
  const r = parseRuleText(`title: t\nid: 5d1c1c8e-0c1f-4a39-9b3a-1f2e3d4c5b6a\nlevel: high\nlogsource: ${logsource}\ndetection:\n${detection}`, 'm.yml');
  assert.deepEqual(r.errors, []);
  return compileRule(r.rules[0]!);
}

const at = (docs: EcsDoc[], pred: (d: any) => boolean): EcsDoc => {
  const d = docs.find(pred);
  assert.ok(d, 'golden event not found');
  return d;
};

test('Windows Security: EventID and TargetUserName on a golden 4625 (winlogbeat shape)', () => {
  const docs = golden('windows/fixtures/security-logon-winlogbeat.ecs.json');
  const failed = at(docs, (d) => d.winlog.event_id === '4625' && d.winlog.event_data.TargetUserName === 'alice.smith');
  const r = rule('{product: windows, service: security}', `  selection:\n    EventID: 4625\n    TargetUserName: 'Alice.Smith'\n    LogonType: 3\n  condition: selection\n`);
  assert.equal(r.match(failed), true);
  assert.equal(r.match(at(docs, (d) => d.winlog.event_id === '4624')), false);
  assert.equal(docs.filter((d) => r.match(d)).length, 1);
  assert.ok(r.fields.includes('winlog.event_id') && r.fields.includes('winlog.channel') && r.fields.includes('winlog.event_data.TargetUserName'));
  // The same detection under another channel's logsource does not fire.
  const system = rule('{product: windows, service: system}', `  selection:\n    EventID: 4625\n  condition: selection\n`);
  assert.equal(system.match(failed), false);
  const e = explain(r, failed);
  assert.equal(e.logsource, true);
  assert.deepEqual(
    e.selections.find((s) => s.name === 'selection')!.items.map((i) => [i.key, i.fields, i.values]),
    [
      ['EventID', ['winlog.event_id'], ['4625']],
      ['TargetUserName', ['winlog.event_data.TargetUserName', 'user.target.name'], ['alice.smith']],
      ['LogonType', ['winlog.event_data.LogonType'], ['3']],
    ],
  );
});

test('process_creation: Sysmon 1 reads raw event data; Security 4688 falls back to the ECS fields', () => {
  const r = rule(
    '{product: windows, category: process_creation}',
    `  selection_img:\n    - Image|endswith: ['\\\\powershell.exe', '\\\\cmd.exe']\n  selection_cli:\n    CommandLine|contains|windash: [' -EncodedCommand ', 'whoami /all']\n  condition: all of selection_*\n`,
  );
  const sysmon = golden('windows/fixtures/sysmon-winlogbeat.ecs.json');
  assert.equal(r.match(at(sysmon, (d) => d.winlog.event_id === '1')), true);
  assert.equal(sysmon.filter((d) => r.match(d)).length, 1, 'only the process creation');
  // 4688 has NewProcessName, not Image: process.executable stands in.
  const security = golden('windows-xml/fixtures/security.ecs.json');
  const created = at(security, (d) => d.winlog.event_id === '4688');
  assert.equal((created as any).winlog.event_data.Image, undefined);
  assert.equal(r.match(created), true);
  // User: the raw DOMAIN\name where Sysmon gives it.
  const user = rule('{product: windows, category: process_creation}', `  s:\n    User|startswith: 'CORP\\\\'\n  condition: s\n`);
  assert.equal(user.match(at(sysmon, (d) => d.winlog.event_id === '1')), true);
});

test('other Windows categories and services: Sysmon ids, PowerShell script blocks, classic PowerShell Data', () => {
  const sysmon = golden('windows/fixtures/sysmon-winlogbeat.ecs.json');
  const lsass = rule('{product: windows, category: process_access}', `  s:\n    TargetImage|endswith: '\\\\lsass.exe'\n    GrantedAccess: '0x1fffff'\n  condition: s\n`);
  assert.deepEqual(sysmon.filter((d) => lsass.match(d)).map((d: any) => d.winlog.event_id), ['10']);
  const run = rule('{product: windows, category: registry_set}', `  s:\n    TargetObject|contains: '\\\\CurrentVersion\\\\Run\\\\'\n  condition: s\n`);
  assert.deepEqual(sysmon.filter((d) => run.match(d)).map((d: any) => d.winlog.event_id), ['13']);
  const script = rule('{product: windows, category: ps_script}', `  s:\n    ScriptBlockText|contains|all: ['Net.WebClient', 'DownloadString']\n  condition: s\n`);
  assert.equal(golden('windows/fixtures/powershell-operational-nxlog.ecs.json').filter((d) => script.match(d)).length, 1);
  const classic = rule('{product: windows, category: ps_classic_start}', `  s:\n    Data|contains: 'HostVersion=2.'\n  condition: s\n`);
  assert.deepEqual(golden('windows-xml/fixtures/powershell-classic.ecs.json').filter((d) => classic.match(d)).map((d: any) => d.winlog.event_id), ['400']);
});

test('rules written in ECS names work as they are', () => {
  const docs = golden('windows/fixtures/security-logon-winlogbeat.ecs.json');
  const r = rule('{product: windows, service: security}', `  s:\n    event.code: '4625'\n    source.ip|cidr: 203.0.113.0/24\n    user.name: alice.smith\n  condition: s\n`);
  assert.equal(docs.filter((d) => r.match(d)).length, 1);
});

test('Linux auditd, sshd keywords, CloudTrail, Okta on their golden events', () => {
  const execve = rule('{product: linux, service: auditd}', `  s:\n    type: EXECVE\n    a0: ssh-keygen\n  condition: s\n`);
  assert.equal(golden('auditd/fixtures/audit-log.ecs.json').filter((d) => execve.match(d)).length, 1);
  const ct = rule('{product: aws, service: cloudtrail}', `  s:\n    eventSource: ec2.amazonaws.com\n    eventName: CreateKeyPair\n    userIdentity.type: AssumedRole\n  condition: s\n`);
  assert.equal(golden('cloudtrail/fixtures/ec2.ecs.json').filter((d) => ct.match(d)).length, 1);
  const okta = rule('{product: okta, service: okta}', `  s:\n    eventType: user.account.lock\n    outcome.result: SUCCESS\n  condition: s\n`);
  assert.equal(golden('okta/fixtures/system-log.ecs.json').filter((d) => okta.match(d)).length, 1);
  const sshd = rule('{product: linux, service: sshd}', `  keywords:\n    - 'Invalid user'\n  condition: keywords\n`);
  const lines = golden('sshd/fixtures/sshd.ecs.json');
  const hits = lines.filter((d) => sshd.match(d));
  assert.ok(hits.length > 0);
  assert.ok(hits.every((d: any) => d.log.syslog.appname === 'sshd' && /invalid user/i.test(d.message)));
  // The same keyword under Windows does not look at Linux events.
  const win = rule('{product: windows}', `  keywords:\n    - 'Invalid user'\n  condition: keywords\n`);
  assert.equal(lines.filter((d) => win.match(d)).length, 0);
});

function reason(logsource: string, detection: string): string {
  try {
    rule(logsource, detection);
  } catch (e) {
    if (e instanceof RuleUnsupported) return e.reason;
    throw e;
  }
  return '(compiled)';
}

test('unsupported: logsources with no events, fields Vigil does not keep', () => {
  const d = `  s: { Image: x }\n  condition: s\n`;
  assert.equal(reason('{product: macos, category: process_creation}', d), 'no events of that logsource (product: macos, category: process_creation)');
  assert.equal(reason('{product: windows, category: no_such_thing}', d), 'no events of that logsource (category: no_such_thing)');
  assert.match(reason('{product: linux, category: process_creation}', d), /^no events of that logsource: Linux process creation/);
  assert.match(reason('{product: windows, category: file_access}', d), /Kernel-File/);
  assert.equal(reason('{category: process_creation}', d), 'no events of that logsource (category: process_creation)');
  assert.equal(reason('{product: aws, service: cloudtrail}', `  s: { requestParameters.bucketName: x }\n  condition: s\n`).startsWith("field 'requestParameters.bucketName': Vigil keeps CloudTrail requestParameters as one JSON text"), true);
  assert.equal(reason('{category: proxy}', `  s: { cs-cookie: x }\n  condition: s\n`), "field 'cs-cookie' has no mapping for category: proxy");
  assert.equal(
    reason('{product: okta, service: okta}', `  s: { debugContext.debugData.behaviors: x }\n  condition: s\n`),
    "field 'debugContext.debugData.behaviors' has no mapping for product: okta, service: okta",
  );
  assert.equal(reason('{definition: only text}', d), 'no events of that logsource (it names no product, service or category)');
});

/** Every ECS path the data file names (fields and condition keys), with array indexes dropped. */
function namedPaths(): string[] {
  const data = parse(readFileSync(DEFAULT_MAPPING_FILE, 'utf8')) as { sources: { fields?: Record<string, unknown>; condition?: unknown; prefix?: string; prefixed?: string[] }[] };
  const out: string[] = [];
  const paths = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(paths) : v && typeof v === 'object' ? paths((v as { any: unknown }).any) : []);
  const conditionKeys = (c: unknown): string[] => (Array.isArray(c) ? c.flatMap(conditionKeys) : c && typeof c === 'object' ? Object.keys(c).map((k) => k.split('|')[0]!) : []);
  for (const s of data.sources) {
    for (const v of Object.values(s.fields ?? {})) out.push(...paths(v));
    for (const f of s.prefixed ?? []) out.push(`${s.prefix}.${f}`);
    out.push(...conditionKeys(s.condition));
  }
  return [...new Set(out.map((p) => p.replace(/\.\d+$/, '')))];
}

test('the mapping only names fields some parser produces (Windows event data aside: it is open-ended)', () => {
  const missing = namedPaths().filter((p) => !p.startsWith('winlog.event_data.') && !PRODUCED_FIELDS.has(p));
  assert.deepEqual(missing, []);
});

test('ecs_roots names the first segment of every field a parser produces', () => {
  const roots = new Set((parse(readFileSync(DEFAULT_MAPPING_FILE, 'utf8')) as { ecs_roots: string[] }).ecs_roots);
  const produced = new Set([...PRODUCED_FIELDS].map((f) => f.split('.')[0]!));
  assert.deepEqual([...produced].filter((r) => !roots.has(r)), []);
  assert.deepEqual([...roots].filter((r) => !produced.has(r)), []);
});

test('a malformed mapping file reports every problem with its location', () => {
  assert.throws(
    () => parseFieldMapping('sources:\n  - logsource: { product: x, colour: red }\n    fields: { A: 5 }\n', 'bad.yaml'),
    (e: unknown) => e instanceof MappingError && e.problems.length === 2 && e.problems.every((p) => p.startsWith('bad.yaml: sources.0')),
  );
  assert.throws(
    () => parseFieldMapping('sources:\n  - logsource: { product: x }\n    condition: { a|wat: 1 }\n', 'cond.yaml'),
    (e: unknown) => e instanceof MappingError && e.problems[0] === "cond.yaml: sources.0.condition: unknown modifier 'wat'",
  );
});
