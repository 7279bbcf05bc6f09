import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { parseBulk, indexNameProblem, BulkSyntaxError } from './bulk-parse.js';
import { decodeBody } from './body.js';
import { EsError } from './errors.js';

const opts = { maxLineBytes: 1024 };
const body = (...lines: string[]) => Buffer.from(lines.join('\n'));

test('pairs each create/index action with the line after it, byte for byte', () => {
  const doc1 = '{"@timestamp":"2024-05-01T10:00:00.000Z","message":"a","winlog":{"record_id":18446744073709551615}}';
  const doc2 = '{"message":"b" ,  "x": 1.0}';
  const items = parseBulk(body('{"create":{"_index":"logs-a"}}', doc1, '{"index":{"_index":"logs-b","_id":"7"}}', doc2, ''), opts);
  assert.equal(items.length, 2);
  assert.deepEqual(
    items.map((i) => [i.action, i.index, i.id, i.line, i.source?.toString()]),
    [
      ['create', 'logs-a', null, 1, doc1],
      ['index', 'logs-b', '7', 3, doc2],
    ],
  );
});

test('the trailing newline is optional, CRLF is tolerated, blank lines between pairs are skipped', () => {
  const a = parseBulk(body('{"create":{"_index":"x"}}', '{"a":1}'), opts);
  const b = parseBulk(Buffer.from('{"create":{"_index":"x"}}\r\n{"a":1}\r\n\r\n{"create":{"_index":"x"}}\r\n{"a":2}\r\n'), opts);
  assert.equal(a.length, 1);
  assert.equal(a[0]!.source!.toString(), '{"a":1}');
  assert.deepEqual(b.map((i) => i.source!.toString()), ['{"a":1}', '{"a":2}']);
});

test('the URL index applies when the action names none; _index overrides it', () => {
  const items = parseBulk(body('{"create":{}}', '{"a":1}', '{"create":{"_index":"other"}}', '{"a":2}'), { ...opts, defaultIndex: 'from-url' });
  assert.deepEqual(items.map((i) => i.index), ['from-url', 'other']);
});

test("unknown action parameters are ignored (Fluent Bit's _type), numeric _id becomes a string", () => {
  const items = parseBulk(body('{"index":{"_index":"fluent-bit","_type":"_doc","_id":42,"pipeline":"p"}}', '{"log":"x"}'), opts);
  assert.equal(items[0]!.id, '42');
  assert.ok(items[0]!.source);
});

test('a malformed source line is an item error; the other documents are still stored', () => {
  const items = parseBulk(
    body(
      '{"create":{"_index":"x"}}', '{"ok":1}',
      '{"create":{"_index":"x"}}', '{"broken":',
      '{"create":{"_index":"x"}}', '[1,2]',
      '{"create":{"_index":"x"}}', '',
      '{"create":{"_index":"x"}}', '{"ok":2}',
    ),
    opts,
  );
  assert.equal(items.length, 5);
  assert.deepEqual(items.map((i) => i.source?.toString() ?? null), ['{"ok":1}', null, null, null, '{"ok":2}']);
  assert.equal(items[1]!.error!.type, 'document_parsing_exception');
  assert.match(items[1]!.error!.reason, /^\[4:1\] failed to parse: /);
  assert.match(items[2]!.error!.reason, /not a JSON object but \[START_ARRAY\]/);
  assert.match(items[3]!.error!.reason, /document is empty/);
});

test('update and delete are item errors; update consumes its source line, delete has none', () => {
  const items = parseBulk(
    body('{"delete":{"_index":"x","_id":"1"}}', '{"update":{"_index":"x","_id":"2"}}', '{"doc":{"a":1}}', '{"delete":{"_index":"x"}}', '{"create":{"_index":"x"}}', '{"a":1}'),
    opts,
  );
  assert.deepEqual(items.map((i) => i.action), ['delete', 'update', 'delete', 'create']);
  assert.equal(items[0]!.error!.type, 'illegal_argument_exception');
  assert.equal(items[1]!.error!.type, 'illegal_argument_exception');
  assert.equal(items[2]!.error!.type, 'action_request_validation_exception');
  assert.equal(items[3]!.source!.toString(), '{"a":1}');
});

test('a document over the per-event limit is an item error', () => {
  const items = parseBulk(body('{"create":{"_index":"x"}}', `{"m":"${'a'.repeat(100)}"}`, '{"create":{"_index":"x"}}', '{"a":1}'), { maxLineBytes: 50 });
  assert.match(items[0]!.error!.reason, /over Vigil's limit of 50 bytes/);
  assert.ok(items[1]!.source);
});

test('bad index names and empty or long ids are item errors', () => {
  const items = parseBulk(
    body('{"create":{"_index":"Upper"}}', '{"a":1}', '{"create":{"_index":"_x"}}', '{"a":1}', '{"create":{"_index":"x","_id":""}}', '{"a":1}', `{"create":{"_index":"x","_id":"${'i'.repeat(600)}"}}`, '{"a":1}'),
    opts,
  );
  assert.deepEqual(items.map((i) => i.error?.type), ['invalid_index_name_exception', 'invalid_index_name_exception', 'action_request_validation_exception', 'illegal_argument_exception']);
  assert.equal(indexNameProblem('logs-system.auth-default'), null);
  assert.equal(indexNameProblem('<logs-{now/d}>'), null);
  assert.match(indexNameProblem('a b')!, /must not contain/);
  assert.match(indexNameProblem(`<${'x'.repeat(300)}>`)!, /too long/, 'the name goes into the WAL entry header');
});

const syntax = (b: Buffer, re: RegExp, type = 'illegal_argument_exception') =>
  assert.throws(() => parseBulk(b, opts), (e: unknown) => e instanceof BulkSyntaxError && e.status === 400 && e.type === type && re.test(e.reason));

test('a malformed action line fails the whole request, naming the line', () => {
  syntax(body('{"create":{"_index":"x"}}', '{"a":1}', 'not json', '{"a":2}'), /^Malformed action\/metadata line \[3\], not valid JSON/);
  syntax(body('"create"'), /line \[1\], expected START_OBJECT but found \[VALUE_STRING\]/);
  syntax(body('{"upsert":{}}', '{}'), /expected field \[create\], \[delete\], \[index\] or \[update\] but found \[upsert\]/);
  syntax(body('{"create":{},"index":{}}', '{}'), /expected END_OBJECT/);
  syntax(body('{"create":"x"}', '{}'), /expected START_OBJECT but found \[VALUE_STRING\]/);
  syntax(body('{"create":{"_index":["a"]}}', '{}'), /\[_index\] but found \[START_ARRAY\]/);
  syntax(body('{"create":{"_index":"x"}}'), /has no source line/);
});

test('no index anywhere, or no actions at all, fails validation as Elasticsearch does', () => {
  syntax(body('{"create":{}}', '{"a":1}', '{"create":{}}', '{"a":2}'), /^Validation Failed: 1: index is missing \(line 1\);2: index is missing \(line 3\);$/, 'action_request_validation_exception');
  syntax(body('', '  '), /no requests added/, 'action_request_validation_exception');
});

test('gzip and deflate bodies are decoded; the decoded size is limited; unknown encodings are refused', async () => {
  const plain = body('{"create":{"_index":"x"}}', '{"a":1}', '');
  assert.deepEqual(await decodeBody(gzipSync(plain), 'gzip', 1024), plain);
  assert.deepEqual(await decodeBody(deflateSync(plain), 'deflate', 1024), plain);
  assert.deepEqual(await decodeBody(plain, undefined, 1024), plain);
  const big = gzipSync(Buffer.alloc(10_000, 0x20));
  await assert.rejects(decodeBody(big, 'gzip', 1000), (e: unknown) => e instanceof EsError && e.status === 413);
  await assert.rejects(decodeBody(Buffer.from('not gzip'), 'gzip', 1000), (e: unknown) => e instanceof EsError && e.status === 400 && e.type === 'parse_exception');
  await assert.rejects(decodeBody(plain, 'br', 1000), (e: unknown) => e instanceof EsError && /unsupported Content-Encoding \[br\]/.test(e.reason));
});
