import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectParsers } from './registry.js';
import { PARSERS } from './registry.generated.js';

test('a config selects parsers by id and refuses unknown ids', () => {
  assert.deepEqual(selectParsers(PARSERS, { disable: [], only: ['json', 'sshd'] }).map((p) => p.id).sort(), ['json', 'sshd']);
  assert.equal(selectParsers(PARSERS, { disable: ['sshd'] }).length, PARSERS.length - 1);
  assert.throws(() => selectParsers(PARSERS, { disable: ['sshdd'] }), /no parser with id "sshdd"/);
});
