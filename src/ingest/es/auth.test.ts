import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenFromAuthorization } from './auth.js';
import { filterPath } from './filter-path.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('the token is found in ApiKey, Basic and Bearer credentials', () => {
  const token = 'vgl_AbC-dEf_0123456789abcdefghijklmn';
  assert.equal(tokenFromAuthorization(`ApiKey ${b64(`beats:${token}`)}`), token);
  assert.equal(tokenFromAuthorization(`ApiKey ${b64(`id:with:colons`)}`), 'with:colons');
  assert.equal(tokenFromAuthorization(`ApiKey ${token}`), token, 'a raw token as the key');
  assert.equal(tokenFromAuthorization(`apikey ${b64(`x:${token}`)}`), token, 'the scheme is case-insensitive');
  assert.equal(tokenFromAuthorization(`Basic ${b64(`elastic:${token}`)}`), token);
  assert.equal(tokenFromAuthorization(`Basic ${b64(`${token}:`)}`), token, 'curl -u TOKEN:');
  assert.equal(tokenFromAuthorization(`Bearer ${token}`), token);
  assert.equal(tokenFromAuthorization(undefined), null);
  assert.equal(tokenFromAuthorization('Splunk abc'), null);
  assert.equal(tokenFromAuthorization('Basic !!!'), null);
  assert.equal(tokenFromAuthorization(`Basic ${b64('nocolon')}`), null);
});

test('filter_path keeps the listed paths, through arrays and * segments', () => {
  const res = {
    took: 3,
    errors: true,
    items: [
      { create: { _index: 'x', _id: 'a', status: 201, result: 'created' } },
      { create: { _index: 'x', _id: 'b', status: 400, error: { type: 't', reason: 'r' } } },
    ],
  };
  assert.deepEqual(filterPath(res, 'errors,items.*.error,items.*.status'), {
    errors: true,
    items: [{ create: { status: 201 } }, { create: { status: 400, error: { type: 't', reason: 'r' } } }],
  });
  assert.deepEqual(filterPath(res, 'took'), { took: 3 });
  assert.deepEqual(filterPath(res, '**.reason'), { items: [{ create: { error: { reason: 'r' } } }] });
  assert.deepEqual(filterPath(res, 'nothing'), {});
  assert.equal(filterPath(res, undefined), res);
});
