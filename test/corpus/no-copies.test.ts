// The corpus's licences forbid copying it into this repository: no fixture line may appear verbatim in
// it. Lines shorter than 40 characters are too generic to judge and are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/server.js';
import { requireCorpus, walkFiles } from './corpus.js';

const corpus = requireCorpus();

test('no fixture in the repository copies a corpus line', () => {
  const seen = new Set<string>();
  for (const f of walkFiles(corpus)) {
    if (f.includes('/sigma/')) continue;
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const t = line.trim();
      if (t.length >= 40) seen.add(t);
    }
  }
  const fixtures = walkFiles(join(ROOT, 'src')).filter((f) => f.includes('/fixtures/') && !f.endsWith('.ecs.json'));
  assert.ok(fixtures.length > 0);
  const copies: string[] = [];
  for (const f of fixtures) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (seen.has(line.trim())) copies.push(`${relative(ROOT, f)}:${i + 1}`);
      });
  }
  assert.deepEqual(copies, [], `fixture lines copied from the corpus:\n${copies.join('\n')}`);
});
