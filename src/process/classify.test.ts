// The classifier over a small catalogue of its own (the built-in one is tested against the parser
// fixtures in classify-fixtures.test.ts): selectors tag, parser claims are kept, the category index
// does not hide selectors, and the derived B1.5-style sequence follows its window and its key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsDoc } from '../core/event.js';
import { buildCatalog } from '../catalog/load.js';
import { Classifier, requiredCategories } from './classify.js';
import { parseQuery } from '../ql/parser.js';

const CATALOG = buildCatalog([
  {
    file: 'p.yaml',
    text: `framework: { id: p, title: P }
kind: principle
entries:
  - { id: PA, title: logins, tier: principle, selector: 'event.category:authentication' }
  - { id: PALL, title: everything, tier: principle, all_events: true }
`,
  },
  {
    file: 'r.yaml',
    text: `framework: { id: r, title: R }
kind: requirement
entries:
  - id: R
    title: group
    tier: baseline
    principles: [PA]
    items:
      - { id: R.fail, title: failures, selector: 'event.category:authentication and event.outcome:failure' }
      - id: R.dns
        title: dns
        selector: 'dns.question.name:*'
        fields: { query: [dns.question.name], client: [source.ip, client.ip], answers: [dns.answers], view: { paths: [dns.view], optional: true } }
      - { id: R.either, title: either, selector: 'event.category:(iam or web) and event.type:creation' }
      - id: R.seq
        title: success after failure
        derive: { after: 'event.category:authentication and event.outcome:failure', then: 'event.category:authentication and event.outcome:success', by: [user.name], within: 10m }
`,
  },
]);

const reqs = (d: EcsDoc): string[] => ((d.vigil as EcsDoc | undefined)?.requirements as string[] | undefined) ?? [];

const auth = (outcome: string, user: string, ts: string, extra: EcsDoc = {}): EcsDoc => ({
  '@timestamp': ts,
  event: { category: ['authentication'], outcome },
  user: { name: user },
  ...extra,
});

test('selectors tag requirements and principles; parser claims stay first', () => {
  const c = new Classifier(CATALOG);
  const d = auth('failure', 'alice', '2026-11-23T10:00:00Z', { vigil: { requirements: ['B2.2'], principles: ['P1a'] } });
  c.classify(d, 't');
  assert.deepEqual((d.vigil as EcsDoc).requirements, ['B2.2', 'R.fail']);
  assert.deepEqual((d.vigil as EcsDoc).principles, ['P1a', 'PA']);
});

test('selectors with no category constraint and with a category list are both found', () => {
  const c = new Classifier(CATALOG);
  const dns: EcsDoc = { event: { category: ['network'] }, dns: { question: { name: 'example.com' } } };
  c.classify(dns, 't');
  assert.deepEqual((dns.vigil as EcsDoc).requirements, ['R.dns']);
  const web: EcsDoc = { event: { category: 'web', type: ['creation'] } };
  c.classify(web, 't');
  assert.deepEqual((web.vigil as EcsDoc).requirements, ['R.either']);
  const none: EcsDoc = { event: { category: ['process'] } };
  c.classify(none, 't');
  assert.equal(none.vigil, undefined, 'an event nothing matches gets no tags (all_events entries are not stored per event)');
});

test('requiredCategories finds the category an and/or requires, and gives up on anything looser', () => {
  const cats = (q: string) => requiredCategories(parseQuery(q).filter);
  assert.deepEqual(cats('event.category:iam and user.name:x'), ['iam']);
  assert.deepEqual(cats('event.category:(iam or web)'), ['iam', 'web']);
  assert.equal(cats('event.category:iam or user.name:x'), null);
  assert.deepEqual(cats('event.category:iam and x:1 or (y:2 and event.category:(web or iam))'), ['iam', 'web']);
  assert.equal(cats('event.category:ia*'), null);
  assert.equal(cats('not event.category:iam'), null);
});

test('derived sequence: success after failures for the same account inside the window', () => {
  const c = new Classifier(CATALOG);
  const docs = [
    auth('failure', 'alice', '2026-11-23T10:00:00Z'),
    auth('failure', 'alice', '2026-11-23T10:01:00Z'),
    auth('success', 'bob', '2026-11-23T10:02:00Z'), // another account: no
    auth('success', 'alice', '2026-11-23T10:03:00Z'), // yes: 2 failures before
    auth('success', 'alice', '2026-11-23T10:04:00Z'), // the sequence was consumed: no
    auth('failure', 'carol', '2026-11-23T10:00:00Z'),
    auth('success', 'carol', '2026-11-23T10:20:00Z'), // 20 minutes later, window is 10: no
  ];
  for (const d of docs) c.classify(d, 't');
  const tagged = docs.map((d) => reqs(d).includes('R.seq'));
  assert.deepEqual(tagged, [false, false, false, true, false, false, false]);
  assert.deepEqual((docs[3]!.vigil as EcsDoc).sequence, { count: 2, first: '2026-11-23T10:00:00.000Z' });
});

test('derived sequence state is per tenant, and bounded', () => {
  const c = new Classifier(CATALOG, { maxKeys: 2 });
  c.classify(auth('failure', 'alice', '2026-11-23T10:00:00Z'), 'acme');
  const other = auth('success', 'alice', '2026-11-23T10:01:00Z');
  c.classify(other, 'globex');
  assert.ok(!reqs(other).includes('R.seq'), 'acme failures must not mark a globex success');
  // Three accounts with maxKeys 2: the oldest (dave) is forgotten.
  for (const u of ['dave', 'erin', 'frank']) c.classify(auth('failure', u, '2026-11-23T10:00:00Z'), 'acme');
  const dave = auth('success', 'dave', '2026-11-23T10:01:00Z');
  const frank = auth('success', 'frank', '2026-11-23T10:01:00Z');
  c.classify(dave, 'acme');
  c.classify(frank, 'acme');
  assert.ok(!reqs(dave).includes('R.seq'));
  assert.ok(reqs(frank).includes('R.seq'));
});

test('an account without the key field is never part of a sequence', () => {
  const c = new Classifier(CATALOG);
  const f: EcsDoc = { '@timestamp': '2026-11-23T10:00:00Z', event: { category: ['authentication'], outcome: 'failure' } };
  const s: EcsDoc = { '@timestamp': '2026-11-23T10:01:00Z', event: { category: ['authentication'], outcome: 'success' } };
  c.classify(f, 't');
  c.classify(s, 't');
  assert.ok(!reqs(s).includes('R.seq'));
});

test('the catalogue fields an evidencing event lacks are recorded as ID/field, optional ones too', () => {
  const c = new Classifier(CATALOG);
  const full: EcsDoc = { event: { category: ['network'] }, dns: { question: { name: 'a.example' }, answers: [{ data: '1.2.3.4' }], view: 'int' }, client: { ip: '10.0.0.1' } };
  c.classify(full, 't');
  assert.equal((full.vigil as EcsDoc).coverage, undefined);
  const sparse: EcsDoc = { event: { category: ['network'] }, dns: { question: { name: 'a.example' }, answers: [] } };
  c.classify(sparse, 't');
  assert.deepEqual(((sparse.vigil as EcsDoc).coverage as EcsDoc).missing, ['R.dns/client', 'R.dns/answers', 'R.dns/view']);
});
