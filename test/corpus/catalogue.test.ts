// The catalogue's selectors over ECS as others produce it: Elastic's own sample events and Filebeat's
// expected output, read in place from the corpus, go through the pipeline as JSON (as a Beats or
// Elastic Agent shipper would send them) and must be classified to the requirements their content
// evidences, with the field completeness markers that follow from what they carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireCorpus } from './corpus.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Classifier } from '../../src/process/classify.js';
import { processRecord } from '../../src/process/pipeline.js';
import { ParserRegistry } from '../../src/process/parsers/registry.js';

const corpus = requireCorpus();
const registry = new ParserRegistry();
const received = new Date('2026-11-23T12:00:00Z');

function classify(doc: unknown): { requirements: string[]; principles: string[]; missing: string[] } {
  const classifier = new Classifier(loadCatalog());
  const out = processRecord(Buffer.from(JSON.stringify(doc)), { tenant: 'c', input: 'corpus', codec: 'json', received: received.getTime() }, received, received.toISOString(), { registry });
  classifier.classify(out, 'c');
  const v = out.vigil as { requirements?: string[]; principles?: string[]; coverage?: { missing?: string[] } };
  return { requirements: v.requirements ?? [], principles: v.principles ?? [], missing: v.coverage?.missing ?? [] };
}

const sample = (source: string) => JSON.parse(readFileSync(join(corpus, source, 'sample_event.json'), 'utf8'));

// Elastic's sample event per integration, and what it evidences.
const SAMPLES: [source: string, requirements: string[], principles: string[], missing: string[]][] = [
  // Firewall drops and blocks (ECS network/denied): the Enhanced tier's firewall-deny requirement. No
  // reverse lookup was done, so only the optional destination host name is absent.
  ['iptables', ['E1'], [], ['E1/dest_hostname']],
  ['pfsense', ['E1'], ['P5a'], ['E1/dest_hostname']],
  // DNS query logs: B3, with the fields those products do not log reported as missing.
  ['coredns', ['B3'], ['P4a', 'P4b'], ['B3/answers', 'B3/authoritative_ns', 'B3/zone_view']],
  ['route53_resolver', ['B3'], ['P4a'], ['B3/authoritative_ns', 'B3/zone_view']],
  // Successful identity-provider logins: principle 1a (B1.4 is failures only).
  ['okta', [], ['P1a'], []],
  ['auth0', [], ['P1a'], []],
  // A GitHub audit event names the actor and the repository: pipeline source identifiers.
  ['github_audit', ['E8.1'], [], []],
  // AWS VPC flow logs of accepted traffic evidence none of the requirements.
  ['vpcflow', [], [], []],
];

for (const [source, requirements, principles, missing] of SAMPLES) {
  test(`Elastic's ${source} sample event is classified as ${[...requirements, ...principles].join(', ') || 'nothing'}`, () => {
    const got = classify(sample(source));
    assert.deepEqual(got.requirements, requirements);
    assert.deepEqual(got.principles, principles);
    assert.deepEqual(got.missing, missing);
  });
}

test("Filebeat's expected output for auth.log: logins, failures and account changes classified", () => {
  const expected = JSON.parse(readFileSync(join(corpus, 'linux_auth/test-auth.log-expected.json'), 'utf8')).expected as any[];
  const got = expected.map((e) => ({ outcome: e.event?.outcome, action: e.event?.action, ...classify(e) }));
  const withTags = got.filter((g) => g.requirements.length || g.principles.length);
  assert.ok(withTags.length >= 6, JSON.stringify(got));
  for (const g of got) {
    if (g.outcome === 'failure') assert.ok(g.requirements.includes('B1.4') && g.principles.includes('P1a'), JSON.stringify(g));
    if (g.outcome === 'success' && g.principles.includes('P1a')) assert.ok(!g.requirements.includes('B1.4'), JSON.stringify(g));
  }
  assert.ok(got.some((g) => g.requirements.includes('B1.1')), 'useradd: account creation');
  assert.ok(got.some((g) => g.requirements.includes('B1.8')), 'groupadd: group creation');
  assert.ok(got.filter((g) => g.requirements.includes('B2.2')).length >= 4, 'ssh logins: bastion login attempts');
});
