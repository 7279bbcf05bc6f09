import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PARSERS } from './registry.generated.js';
import { sourcesTable, SOURCES_START, SOURCES_END } from './sources-table.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));

test('the README lists every parser with its requirements', () => {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(SOURCES_START);
  const end = text.indexOf(SOURCES_END);
  assert.ok(start >= 0 && end > start, 'README.md has the sources markers');
  const current = text.slice(start, end + SOURCES_END.length);
  const wanted = sourcesTable(PARSERS);
  if (process.env.UPDATE_DOCS === '1') {
    writeFileSync(readme, text.replace(current, wanted));
    return;
  }
  assert.equal(current, wanted, 'README.md sources table is stale: run UPDATE_DOCS=1 npm test');
});
