// The requirement IDs Vigil knows against the contract's own list (CONTRACT.md section 6, beside the
// corpus in ../shared): it reads a file outside this repository, so it runs with the conformance suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS } from './corpus.js';
import { PRINCIPLE_IDS, REQUIREMENT_IDS } from '../../src/core/requirement-ids.js';

test('every requirement and principle ID in CONTRACT.md section 6 is known', () => {
  const file = join(dirname(CORPUS), 'CONTRACT.md');
  assert.ok(existsSync(file), `CONTRACT.md is not at ${file}: set VIGIL_CORPUS to the shared corpus beside it`);
  const contract = readFileSync(file, 'utf8');
  const section = contract.slice(contract.indexOf('## 6.'), contract.indexOf('## 7.'));
  const named = new Set([...section.matchAll(/`((?:P\d[a-g]?)|(?:[BE]\d(?:\.\d+){0,2}))`/g)].map((m) => m[1]!));
  // Ranges like `B1.10.1`-`B1.10.4` and `P1a`-`P1f` name their ends; the lists hold every member.
  const known = new Set<string>([...PRINCIPLE_IDS, ...REQUIREMENT_IDS, 'B1', 'B2', 'B5', 'B5.4', 'B6', 'B7']);
  for (const id of named) assert.ok(known.has(id), `${id} is in the contract but not in requirement-ids.ts`);
  for (const id of ['P1a', 'P1f', 'P2c', 'P3g', 'P4c', 'P5b', 'P6', 'P7a', 'B1.10.4', 'B5.4.4', 'B6.4', 'B7.2', 'E8.2']) {
    assert.ok(known.has(id), id);
  }
  assert.ok(!known.has('P3d'), 'the page skips 3d');
});
