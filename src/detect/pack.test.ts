// The built-in rule pack (rules/*.yml), each rule with a positive and a negative case. Events are real
// log lines in vendors' formats (mostly the parsers' own fixtures) taken through the whole pipeline:
// parser, catalogue classification, first sightings, Sigma rules, correlations and dedup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { EcsDoc } from '../core/event.js';
import { loadCatalog } from '../catalog/load.js';
import { Classifier } from '../process/classify.js';
import { processEntry } from '../process/pipeline.js';
import { ParserRegistry } from '../process/parsers/registry.js';
import { RuleSet } from './rule-set.js';
import { buildCorrelator } from './correlate.js';
import { Detector } from './detector.js';
import { FirstSeen } from './first-seen.js';

const registry = new ParserRegistry();
const catalog = loadCatalog();
const fixture = (p: string) => readFileSync(new URL(`../process/parsers/${p}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim());

/** Runs records (text lines or JSON objects) through a fresh pipeline and detector; returns alert titles with counts. */
function run(records: (string | object)[], opts: { placeholders?: Record<string, string[]> } = {}) {
  const rules = RuleSet.load({ paths: [], builtin: true, disable: [], placeholders: opts.placeholders ?? { approved_images: ['registry.example.org/app'] } });
  const corr = buildCorrelator(rules);
  assert.deepEqual([...rules.problems, ...corr.problems], [], 'the pack loads cleanly');
  const detector = new Detector({ rules, correlator: corr.engine, dedupWindowMs: 15 * 60_000, destinations: [], firstSeen: new FirstSeen(0) });
  const classifier = new Classifier(catalog);
  const events = records.flatMap((r, i) => {
    const json = typeof r !== 'string';
    return processEntry(
      { offset: i, size: 0, entry: { meta: { tenant: 't', input: 'test', codec: json ? 'json' : 'text', received: Date.parse('2026-11-23T12:00:00Z') }, records: [Buffer.from(json ? JSON.stringify(r) : r)] } },
      { registry, classifier },
    );
  });
  const out = detector.run(events);
  return { alerts: out.alerts.map((a) => ({ title: a.rule_title, count: a.count, group: a.group_by, events: a.event_ids.length })), events: events.map((e) => e.doc as EcsDoc) };
}
const titles = (r: ReturnType<typeof run>) => r.alerts.map((a) => a.title).sort();

const failed = (user: string, ip: string, minute: number, second = 0) =>
  `<38>Nov 23 08:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')} bastion1 sshd[4242]: Failed password for ${user} from ${ip} port ${40000 + minute * 60 + second} ssh2`;
const accepted = (user: string, ip: string, minute: number) => `<38>Nov 23 08:${String(minute).padStart(2, '0')}:30 bastion1 sshd[4243]: Accepted password for ${user} from ${ip} port 50000 ssh2`;

test('brute force: ten failures for one account from one source in five minutes, one alert', () => {
  const ten = Array.from({ length: 12 }, (_, i) => failed('alice', '203.0.113.9', 1 + Math.floor(i / 4), (i % 4) * 10));
  const r = run(ten);
  const bf = r.alerts.filter((a) => a.title === 'Brute force against one account');
  assert.equal(bf.length, 1);
  assert.deepEqual(bf[0]!.group, { 'user.name': 'alice', 'source.ip': '203.0.113.9' });
  // Negative: nine failures, or ten spread over twenty minutes.
  assert.ok(!titles(run(ten.slice(0, 9))).includes('Brute force against one account'));
  const spread = Array.from({ length: 10 }, (_, i) => failed('alice', '203.0.113.9', i * 2));
  assert.ok(!titles(run(spread)).includes('Brute force against one account'));
});

test('password spray: failures for five accounts from one source', () => {
  const users = ['ann', 'ben', 'cat', 'dan', 'eve'];
  const r = run(users.map((u, i) => failed(u, '198.51.100.7', 2, i * 5)));
  assert.ok(titles(r).includes('Password spray from one source'));
  const four = run(users.slice(0, 4).map((u, i) => failed(u, '198.51.100.7', 2, i * 5)));
  assert.ok(!titles(four).includes('Password spray from one source'));
  // Five accounts from five sources is not a spray from one.
  const spreadSources = run(users.map((u, i) => failed(u, `198.51.100.${10 + i}`, 2, i * 5)));
  assert.ok(!titles(spreadSources).includes('Password spray from one source'));
});

test('success after failures for the same account', () => {
  const r = run([failed('bob', '192.0.2.5', 3), failed('bob', '192.0.2.5', 3, 20), accepted('bob', '192.0.2.5', 4)]);
  assert.ok(titles(r).includes('Authentication success after failures'));
  assert.ok(!titles(run([accepted('bob', '192.0.2.5', 4)])).includes('Authentication success after failures'));
  assert.ok(!titles(run([failed('bob', '192.0.2.5', 3), accepted('carol', '192.0.2.5', 4)])).includes('Authentication success after failures'));
  // Base rules referenced only by correlations (generate: false) raise nothing themselves.
  assert.ok(!titles(r).includes('Authentication failure') && !titles(r).includes('Authentication success'));
});

test('account lockout', () => {
  const lock = fixture('pam-faillock/fixtures/pam-faillock.log')[0]!;
  assert.ok(titles(run([lock])).includes('Account locked out'), lock);
  assert.ok(!titles(run([failed('alice', '192.0.2.1', 1)])).includes('Account locked out'));
});

test('member added to an administrators group, not to an ordinary one', () => {
  const lines = fixture('windows/fixtures/security-groups-evtx.ndjson').map((l) => JSON.parse(l));
  const r = run(lines);
  const got = r.alerts.filter((a) => a.title === "Member added to an administrators' group or admin role");
  // Domain Admins, Administrators and Enterprise Admins additions; one alert (same rule, no group, dedup) counting them.
  assert.equal(got.length, 1);
  assert.equal(got[0]!.count, 3);
  const ordinary = lines.filter((d: any) => JSON.stringify(d).includes('Finance-Approvers'));
  assert.ok(ordinary.length > 0);
  assert.ok(!titles(run(ordinary)).includes("Member added to an administrators' group or admin role"));
});

test('MFA disabled or reset; not MFA enrolled', () => {
  const okta = fixture('okta/fixtures/system-log.ndjson').map((l) => JSON.parse(l));
  const off = okta.filter((d: any) => d.eventType === 'user.mfa.factor.deactivate');
  const on = okta.filter((d: any) => d.eventType === 'user.mfa.factor.activate');
  assert.ok(off.length && on.length);
  assert.ok(titles(run(off)).includes('Multi-factor authentication disabled or reset'));
  assert.ok(!titles(run(on)).includes('Multi-factor authentication disabled or reset'));
});

test('new SSH key on a bastion; deleting one is not', () => {
  const ec2 = fixture('cloudtrail/fixtures/ec2.ndjson').map((l) => JSON.parse(l));
  const create = ec2.filter((d: any) => d.eventName === 'CreateKeyPair' || d.eventName === 'ImportKeyPair');
  const del = ec2.filter((d: any) => d.eventName === 'DeleteKeyPair');
  assert.ok(create.length && del.length);
  assert.ok(titles(run(create)).includes('New SSH key on a bastion'));
  assert.ok(!titles(run(del)).includes('New SSH key on a bastion'));
});

test('container from an unexpected image; an approved image is quiet', () => {
  const pod = (image: string) => ({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `a-${image}`,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/shop/pods',
    verb: 'create',
    user: { username: 'deployer', groups: ['system:authenticated'] },
    sourceIPs: ['10.1.2.3'],
    objectRef: { resource: 'pods', namespace: 'shop', name: 'web-1', apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: { kind: 'Pod', spec: { containers: [{ name: 'web', image }] } },
    requestReceivedTimestamp: '2026-11-23T08:00:00.000000Z',
    stageTimestamp: '2026-11-23T08:00:00.100000Z',
  });
  assert.ok(titles(run([pod('docker.io/evil/miner:latest')])).includes('VM or container created from an unexpected image'));
  assert.ok(!titles(run([pod('registry.example.org/app:1.4.2')])).includes('VM or container created from an unexpected image'));
});

test('burst of firewall denies from one source (ECS from a shipper, classified E1)', () => {
  const deny = (i: number) => ({
    '@timestamp': `2026-11-23T08:00:${String(i).padStart(2, '0')}.000Z`,
    event: { kind: 'event', category: ['network'], type: ['connection', 'denied'], action: 'drop', outcome: 'failure' },
    source: { ip: '203.0.113.50', port: 40000 + i },
    destination: { ip: '10.0.0.5', port: 22 },
    network: { transport: 'tcp' },
    observer: { name: 'fw1', type: 'firewall' },
  });
  assert.ok(titles(run(Array.from({ length: 20 }, (_, i) => deny(i)))).includes('Burst of firewall denies from one source'));
  assert.ok(!titles(run(Array.from({ length: 19 }, (_, i) => deny(i)))).includes('Burst of firewall denies from one source'));
});

test('DNS query for a newly seen domain: the first query only', () => {
  const q = fixture('bind/fixtures/queries-file.log');
  const example = q.filter((l) => l.includes('query: example.com'));
  assert.ok(example.length >= 2);
  const r = run(example.slice(0, 2));
  const got = r.alerts.filter((a) => a.title === 'DNS query for a newly seen domain');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.count, 1, 'the second query of example.com is not new');
  assert.deepEqual((r.events[0]!.vigil as EcsDoc).new, ['dns.domain']);
  assert.equal((r.events[1]!.vigil as EcsDoc).new, undefined);
});

test('DHCP lease to an unknown MAC: the first lease only', () => {
  const ack = fixture('isc-dhcpd/fixtures/dhcpd.log').find((l) => l.includes('DHCPACK'))!;
  const r = run([ack, ack]);
  const got = r.alerts.filter((a) => a.title === 'DHCP lease to an unknown MAC address');
  assert.equal(got.length, 1);
  assert.equal(got[0]!.count, 1);
  const nak = fixture('isc-dhcpd/fixtures/dhcpd.log').find((l) => l.includes('DHCPNAK'))!;
  assert.ok(!titles(run([nak])).includes('DHCP lease to an unknown MAC address'));
});
