// Conformance of the infrastructure parsers (isc-dhcpd, kubernetes-audit, vsphere; kea-dhcp, proxmox,
// openldap and cloudfoundry have no third-party samples in the corpus) against the shared corpus,
// read in place:
//  - recognition share with a floor per source;
//  - Elastic's expected ECS output, field by field, where the corpus has it (vsphere sample_event.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPath, type EcsDoc } from '../../src/core/event.js';
import { requireCorpus, runRecord } from './corpus.js';

const corpus = requireCorpus();

function report(name: string, n: number, took: number, parsed: number): void {
  console.log(`${name.padEnd(34)} ${String(n).padStart(5)} records ${((100 * took) / n).toFixed(1).padStart(6)}% recognised ${((100 * parsed) / n).toFixed(1).padStart(6)}% fully parsed`);
}

test('isc-dhcpd: Infoblox NIOS dhcpd lines', () => {
  const lines = readFileSync(join(corpus, 'dhcpd/infoblox_nios_test-dhcp.log'), 'utf8').split('\n').filter((l) => l.trim());
  const events = lines.map((l) => runRecord(l, 'text'));
  const took = events.filter((e) => e.vigil.parse.parser === 'isc-dhcpd');
  const parsed = took.filter((e) => e.vigil.parse.status === 'parsed');
  report('isc-dhcpd (infoblox_nios_test-dhcp)', lines.length, took.length, parsed.length);
  // Not taken: one line with two host names before the tag ("infoblox.localdomain 10.0.0.1 dhcpd[..]"),
  // which the syslog reader takes as program "10.0.0.1", so the dhcpd binding never sees it.
  assert.ok(took.length >= lines.length - 1, `isc-dhcpd took ${took.length} of ${lines.length}`);
  // Partial: the synthetic "DHCPACK some text" lines (a message type with nothing after it).
  const partial = took.filter((e) => e.vigil.parse.status === 'partial').map((e) => e.message);
  assert.ok(partial.every((m: string) => / some text$/.test(m)), `unexpected partial: ${partial.join(' | ')}`);
  assert.ok(parsed.length >= 45, `fully parsed ${parsed.length}`);

  // Every lease granted carries MAC, leased IP and (Infoblox) the duration; refusals carry the MAC.
  for (const e of took) {
    const reqs: string[] = e.vigil.requirements ?? [];
    if (reqs.includes('B7.1')) {
      assert.ok(e.client?.ip, `no client.ip: ${e.event.original}`);
      if (e.dhcp?.message_type === 'ACK') assert.ok(e.source?.mac && e.dhcp.lease?.duration > 0, `ACK without MAC/duration: ${e.event.original}`);
    }
    if (reqs.includes('B7.2')) assert.ok(e.source?.mac, `refusal without MAC: ${e.event.original}`);
  }
  const scoped = took.find((e) => e.dhcp?.scope?.id === '10.50.0.0/20');
  assert.ok(scoped?.vigil.requirements?.includes('B7.2'), 'the "no free leases" DISCOVER is a refusal in scope 10.50.0.0/20');
  assert.ok(took.some((e) => e.dhcp?.relay?.ip === '192.168.0.3'), 'Infoblox "relay <ip>" is dhcp.relay.ip');
});

/** Panther's Kubernetes rule tests: the audit event (EKS: as is; AKS: inside properties.log). */
function pantherK8s(): { type: string; log: EcsDoc }[] {
  return readFileSync(join(corpus, 'kubernetes_audit/panther_kubernetes_rule_tests.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { log: EcsDoc })
    .map((t) => ({ type: String(t.log.p_log_type ?? ''), log: t.log }));
}

test('kubernetes-audit: Panther rule-test events (EKS audit, AKS kube-audit)', () => {
  const all = pantherK8s();
  const byType = new Map<string, { n: number; took: number; parsed: number }>();
  for (const { type, log } of all) {
    const e = runRecord(JSON.stringify(log), 'json');
    const s = byType.get(type) ?? { n: 0, took: 0, parsed: 0 };
    s.n++;
    if (e.vigil.parse.parser === 'kubernetes-audit') {
      s.took++;
      if (e.vigil.parse.status === 'parsed') s.parsed++;
      // Every event names what it acted on and who did it.
      assert.equal(e.orchestrator.type, 'kubernetes');
      if (log.kind === 'Event' && (log.user as EcsDoc | undefined)?.username) assert.ok(e.user?.name, 'user.name from user.username');
    }
    byType.set(type, s);
  }
  for (const [type, s] of [...byType].sort()) report(`kubernetes-audit (${type})`, s.n, s.took, s.parsed);
  const eks = byType.get('Amazon.EKS.Audit')!;
  const aks = byType.get('Azure.MonitorActivity')!;
  // EKS: every record is an audit.k8s.io Event; 5 lack a verb (sanitised by Panther) and are partial.
  assert.equal(eks.took, eks.n);
  assert.ok(eks.parsed >= eks.n - 5, `EKS parsed ${eks.parsed}/${eks.n}`);
  // AKS: every kube-audit record but the one "Administrative" activity-log record (not an audit event).
  assert.ok(aks.took >= aks.n - 1, `AKS ${aks.took}/${aks.n}`);
  // GKE records are GCP Cloud Audit Logs (protoPayload), a different format: not this parser's.
  assert.equal(byType.get('GCP.AuditLog')?.took ?? 0, 0);
});

test('kubernetes-audit: workload and RBAC changes are tagged, images lifted', () => {
  let pods = 0;
  let rbac = 0;
  for (const { log } of pantherK8s()) {
    if (log.kind !== 'Event') continue;
    const e = runRecord(JSON.stringify(log), 'json');
    const ref = (log.objectRef ?? {}) as EcsDoc;
    const code = (log.responseStatus as EcsDoc | undefined)?.code;
    if (log.verb === 'create' && ref.resource === 'pods' && !ref.subresource) {
      pods++;
      assert.ok(e.vigil.requirements?.includes('B6.1') && e.vigil.requirements?.includes('B6.2'), `pod create: ${e.event.original.slice(0, 200)}`);
      const images = getPath(log, 'requestObject.spec.containers');
      if (Array.isArray(images) && images.length && typeof (images[0] as EcsDoc).image === 'string') assert.ok(e.container?.image?.name, 'image from the pod spec');
    }
    if (['create', 'update', 'patch', 'delete'].includes(String(log.verb)) && ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].includes(String(ref.resource))) {
      rbac++;
      assert.ok(e.vigil.requirements?.includes('B1.9'), 'RBAC change is B1.9');
    }
    if (typeof code === 'number') assert.equal(e.event.outcome, code >= 400 ? 'failure' : 'success', e.event.original);
  }
  assert.ok(pods > 10 && rbac > 10, `pods ${pods}, rbac ${rbac}`);
});

test("vsphere: Elastic's sample_event.json (vCenter applmgmt-audit over RFC 5424)", () => {
  const expected = JSON.parse(readFileSync(join(corpus, 'vsphere/sample_event.json'), 'utf8'));
  const e = runRecord(expected.event.original, 'syslog', new Date(expected.event.ingested));
  assert.equal(e.vigil.parse.parser, 'vsphere');
  assert.equal(e.vigil.parse.status, 'parsed');
  report('vsphere (sample_event)', 1, 1, 1);
  // Compared: every field Elastic sets from the record. Deliberate differences, not compared:
  //  - host.* beyond host.name, agent.*, elastic_agent.*, data_stream.*, input.*, tags, event.agent_id_status
  //    and log.source.address describe Elastic's collector (Vigil fills log.source.address from the listener).
  //  - event.timezone: Elastic records the agent's configured zone; Vigil keeps zone handling in @timestamp.
  //  - event.dataset: "vsphere.log" there, the parser id "vsphere" here.
  //  - Vigil adds event.provider (applmgmt-audit), event.type [info] and the syslog facility/severity.
  for (const path of ['@timestamp', 'host.name', 'process.name', 'log.level', 'log.syslog.priority', 'message']) {
    assert.deepEqual(getPath(e, path), getPath(expected, path), path);
  }
});
