import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceStore } from './resources.js';

test('resources are per tenant and kind; names may be lists and wildcards', () => {
  const s = new ResourceStore();
  s.put('acme', 'index_template', 'filebeat-8.17.0', { a: 1 }, 10);
  s.put('acme', 'index_template', 'logs-x', { b: 1 }, 10);
  s.put('acme', 'pipeline', 'filebeat-8.17.0', { p: 1 }, 10);
  s.put('other', 'index_template', 'filebeat-8.17.0', { c: 1 }, 10);
  assert.deepEqual(s.find('acme', 'index_template', 'filebeat-8.17.0').found.map((f) => f.body), [{ a: 1 }]);
  assert.deepEqual(s.find('acme', 'index_template', 'filebeat-*,logs-x').found.map((f) => f.name), ['filebeat-8.17.0', 'logs-x']);
  assert.deepEqual(s.find('acme', 'index_template', 'nope*').missing, [], 'a wildcard matching nothing is not missing');
  assert.deepEqual(s.find('acme', 'index_template', 'logs-x,nope').missing, ['nope']);
  assert.equal(s.find('acme', 'index_template', undefined).found.length, 2);
  assert.equal(s.find('nobody', 'pipeline', 'x').missing.length, 1);
  s.put('acme', 'index_template', 'logs-x', { b: 2 }, 10);
  assert.equal(s.find('acme', 'index_template', 'logs-x').found[0]!.version, 2);
  assert.equal(s.delete('acme', 'index_template', 'logs-x'), true);
  assert.equal(s.delete('acme', 'index_template', 'logs-x'), false);
});

test('the oldest resources are dropped beyond the per-tenant bytes and count', () => {
  const s = new ResourceStore({ maxBytesPerTenant: 100, maxEntriesPerTenant: 3 });
  for (const n of ['a', 'b', 'c', 'd']) s.put('t', 'template', n, {}, 10);
  assert.deepEqual(s.find('t', 'template', undefined).found.map((f) => f.name), ['b', 'c', 'd']);
  s.put('t', 'template', 'big', {}, 95);
  assert.deepEqual(s.find('t', 'template', undefined).found.map((f) => f.name), ['big'], 'the newest stays even if alone it is near the limit');
});
