import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, VigilError } from './errors.js';

test('docs/errors.md lists exactly the catalogue, with the same statuses', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(Object.fromEntries(rows), ERROR_CODES);
});

test('an error serialises to one shape', () => {
  const e = new VigilError('line_too_long', 'line 2 is too long', { line: 2 });
  assert.equal(e.status, 413);
  assert.deepEqual(e.toJSON(), { error: { code: 'line_too_long', message: 'line 2 is too long', line: 2 } });
});
