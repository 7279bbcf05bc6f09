// The catalogue loader: the built-in catalogue holds every contract id and passes validation against the
// fields parsers produce; broken files fail with a message naming file, entry and problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PRINCIPLE_IDS, REQUIREMENT_IDS } from '../core/requirement-ids.js';
import { PRODUCED_FIELDS } from '../process/parsers/fields.generated.js';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CATALOG_DIR, buildCatalog, CatalogError, loadCatalog } from './load.js';

test('the built-in catalogue loads, validated against the fields parsers produce', () => {
  const c = loadCatalog(undefined, { knownFields: PRODUCED_FIELDS });
  assert.deepEqual(c.frameworks.map((f) => f.id).sort(), ['moj-hosting-platforms', 'moj-principles']);
  assert.ok(c.entries.length > 60);
});

test('every principle and requirement id of CONTRACT.md section 6 is a leaf of the catalogue', () => {
  const c = loadCatalog();
  // test/corpus/contract-ids.test.ts keeps PRINCIPLE_IDS and REQUIREMENT_IDS equal to CONTRACT.md section 6.
  for (const id of [...PRINCIPLE_IDS, ...REQUIREMENT_IDS]) {
    const e = c.get(id);
    assert.ok(e, `${id} missing from the catalogue`);
    assert.deepEqual(e.items, [], `${id} should be a leaf`);
    assert.ok(e.selector || e.derive || e.allEvents, `${id} has no way to be evidenced`);
    assert.ok(e.text.length > 3, `${id} has no seed text`);
  }
  // Leaves beyond the contract's would be ids users cannot rely on.
  const extra = c.leaves().map((e) => e.id).filter((id) => !(PRINCIPLE_IDS as readonly string[]).includes(id) && !(REQUIREMENT_IDS as readonly string[]).includes(id));
  assert.deepEqual(extra, []);
});

test('group ids stand for their items', () => {
  const c = loadCatalog();
  assert.deepEqual(c.expand('B5.4'), ['B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4']);
  assert.deepEqual(c.expand('B1.10'), ['B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4']);
  assert.equal(c.expand('B1').length, 13);
  assert.deepEqual(c.expand('P3'), ['P3a', 'P3b', 'P3c', 'P3e', 'P3f', 'P3g']);
  assert.deepEqual(c.expand('B3'), ['B3']);
  assert.deepEqual(c.expand('nope'), []);
  assert.deepEqual(c.tiers().sort(), ['baseline', 'enhanced']);
});

test('B1.5 is derived, B3 carries the seed field list with zone/view optional, P7a counts every event', () => {
  const c = loadCatalog();
  const b15 = c.get('B1.5')!;
  assert.ok(b15.derive && !b15.selector);
  assert.deepEqual(b15.derive.by, ['user.name']);
  const b3 = c.get('B3')!;
  assert.ok(b3.fields.length >= 5, JSON.stringify(b3.fields));
  assert.ok(b3.fields.some((f) => f.optional), 'zone/view is "if applicable"');
  assert.ok(b3.principles.includes('P4a'));
  assert.equal(c.get('P7a')!.allEvents, true);
});

const file = (body: string) => [{ file: 'x.yaml', text: `framework: { id: x, title: X }\nkind: requirement\n${body}` }];

function problems(files: { file: string; text: string }[], known?: Set<string>): string[] {
  try {
    buildCatalog(files, known ? { knownFields: known } : {});
  } catch (err) {
    assert.ok(err instanceof CatalogError, String(err));
    return err.problems;
  }
  assert.fail('expected a CatalogError');
}

test('broken catalogues: every problem named with file and entry', () => {
  assert.match(problems(file('entries:\n  - { id: A1, title: a, tier: t }'))[0]!, /x\.yaml: A1: a leaf needs a selector/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, tier: t, selector: 'user.name:(' }"))[0]!, /x\.yaml: A1: selector: .*position|x\.yaml: A1: selector/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, tier: t, selector: 'x:1 | head 3' }"))[0]!, /pipes/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, tier: t, selector: 'x:1' }\n  - { id: A1, title: b, tier: t, selector: 'x:2' }"))[0]!, /A1: duplicate id/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, tier: t, principles: [P9z], selector: 'x:1' }"))[0]!, /unknown principle "P9z"/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, selector: 'x:1' }"))[0]!, /A1: no tier/);
  assert.match(problems(file("entries:\n  - { id: A1, title: a, tier: t, selector: 'x:1', colour: red }"))[0]!, /Unrecognized key.*colour|colour/);
  assert.match(
    problems(file("entries:\n  - { id: A1, title: a, tier: t, derive: { after: 'a:1', then: 'a:2', by: [user.name], within: soon } }"))[0]!,
    /derive.within "soon"/,
  );
  assert.match(problems(file("entries:\n  - id: G\n    title: g\n    tier: t\n    selector: 'x:1'\n    items:\n      - { id: G.1, title: i, selector: 'y:1' }"))[0]!, /G: a group is evidenced through its items/);
  assert.match(problems([{ file: 'bad.yaml', text: 'framework: [' }])[0]!, /bad\.yaml: YAML syntax/);
});

test('fields and selector fields that no parser produces are errors, unless listed in extra_fields', () => {
  const known = new Set(['user.name', 'event.category']);
  const body = "entries:\n  - { id: A1, title: a, tier: t, selector: 'event.category:iam and widget.id:*', fields: { who: [user.name], gadget: [gadget.serial] } }";
  const ps = problems(file(body), known);
  assert.equal(ps.length, 2, ps.join('\n'));
  assert.match(ps.join('\n'), /A1: field gadget: no parser produces any of gadget\.serial/);
  assert.match(ps.join('\n'), /A1: selector field widget\.id is produced by no parser/);
  const ok = buildCatalog(file(`extra_fields: [widget.id, gadget.serial]\n${body}`), { knownFields: known });
  assert.deepEqual(ok.get('A1')!.fields.map((f) => f.name), ['who', 'gadget']);
});

test('a custom framework loads beside the built-in one and may serve its principles', () => {
  const c = buildCatalog([
    { file: 'p.yaml', text: readFileSync(new URL('../../catalog/principles.yaml', import.meta.url), 'utf8') },
    ...file(
      "entries:\n  - id: EL1\n    title: Basic\n    tier: el1\n    principles: [P4]\n    items:\n      - { id: EL1.dns, title: DNS, selector: 'dns.question.name:*', fields: { query: [dns.question.name] } }",
    ),
  ]);
  assert.deepEqual(c.get('EL1.dns')!.principles, ['P4a', 'P4b', 'P4c']);
  assert.equal(c.get('EL1.dns')!.tier, 'el1');
  assert.ok(c.tiers().includes('el1'));
});

test('the OMB M-21-31 example framework in docs/examples loads beside the built-in catalogue, unchanged code', () => {
  const c = loadCatalog([BUILTIN_CATALOG_DIR, fileURLToPath(new URL('../../docs/examples/omb-m-21-31.yaml', import.meta.url))], { knownFields: PRODUCED_FIELDS });
  assert.deepEqual(c.expand('EL1'), ['EL1.identity', 'EL1.dns']);
  assert.deepEqual(c.get('EL1.dns')!.principles, ['P4a']);
  assert.ok(c.tiers().includes('el1') && c.tiers().includes('el2'));
  assert.ok(c.frameworks.some((f) => f.id === 'omb-m-21-31'));
});
