// The OTLP logs wire format: protobuf bytes assembled by hand from opentelemetry-proto's field numbers
// (no protobufjs), OTLP/JSON as the specification spells it, both decoding to the same request; round
// trips through Vigil's own encoders; the response and Status encodings; and precise refusals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { handExportRequest, ld, uvarintField } from '../../test/helpers/otlp-proto.js';
import {
  decodeLogsRequest,
  decodeLogsRequestJson,
  decodeLogsRequestProtobuf,
  decodeLogsResponseProtobuf,
  decodeStatusProtobuf,
  encodeLogsRequestJson,
  encodeLogsRequestProtobuf,
  encodeLogsResponse,
  encodeStatus,
  otlpEncoding,
  MAX_VALUE_DEPTH,
  type ExportLogsRequest,
} from './otlp-logs.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

const refused = (fn: () => unknown, message: RegExp) => assert.throws(fn, (e: Error & { code?: string }) => e.code === 'bad_request' && message.test(e.message));

describe('OTLP logs: protobuf', () => {
  test('a request assembled by hand decodes field by field', () => {
    const bytes = handExportRequest({
      resource: { 'service.name': 'sshd', 'host.name': 'bastion2' },
      scope: { name: 'io.vigil.test', version: '1.2' },
      records: [
        {
          time: 1_795_420_800_123_456_789n,
          observed: 1_795_420_801_000_000_000n,
          severityNumber: 13,
          severityText: 'WARN',
          body: 'Failed password for alice',
          attributes: { 'log.file.path': '/var/log/auth.log' },
          traceId: TRACE,
          spanId: SPAN,
          eventName: 'ssh.login',
        },
      ],
    });
    const req = decodeLogsRequestProtobuf(bytes);
    assert.equal(req.resourceLogs.length, 1);
    const rl = req.resourceLogs[0]!;
    assert.deepEqual(rl.resource.attributes, [
      { key: 'service.name', value: { type: 'string', value: 'sshd' } },
      { key: 'host.name', value: { type: 'string', value: 'bastion2' } },
    ]);
    const sl = rl.scopeLogs[0]!;
    assert.deepEqual([sl.scope.name, sl.scope.version], ['io.vigil.test', '1.2']);
    assert.deepEqual(sl.logRecords[0], {
      timeUnixNano: 1_795_420_800_123_456_789n,
      observedTimeUnixNano: 1_795_420_801_000_000_000n,
      severityNumber: 13,
      severityText: 'WARN',
      eventName: 'ssh.login',
      body: { type: 'string', value: 'Failed password for alice' },
      attributes: [{ key: 'log.file.path', value: { type: 'string', value: '/var/log/auth.log' } }],
      droppedAttributesCount: 0,
      flags: 0,
      traceId: TRACE,
      spanId: SPAN,
    });
  });

  test('unknown field numbers are skipped; the empty body is an empty request', () => {
    const record = Buffer.concat([ld(5, ld(1, 'x')), uvarintField(99, 7), ld(1000, 'future')]);
    const bytes = ld(1, Buffer.concat([ld(2, ld(2, record)), ld(1000, 'old instrumentation_library_logs')]));
    assert.deepEqual(decodeLogsRequestProtobuf(bytes).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body, { type: 'string', value: 'x' });
    assert.deepEqual(decodeLogsRequestProtobuf(new Uint8Array()), { resourceLogs: [] });
  });

  test('garbage, truncation, a known field with the wrong wire type and a bad id length are refused by name', () => {
    const good = handExportRequest({ resource: { a: 'b' }, records: [{ body: 'hello' }] });
    refused(() => decodeLogsRequestProtobuf(good.subarray(0, good.length - 3)), /^body: not a protobuf ExportLogsServiceRequest: it is truncated/);
    refused(() => decodeLogsRequestProtobuf(Buffer.from('not protobuf at all, just text')), /^body: not a protobuf ExportLogsServiceRequest: invalid wire type/);
    refused(() => decodeLogsRequestProtobuf(Buffer.from('{"resourceLogs":[]}')), /looks like JSON, which is sent with Content-Type: application\/json/);
    // time_unix_nano (fixed64) sent as a varint
    refused(() => decodeLogsRequestProtobuf(ld(1, ld(2, ld(2, uvarintField(1, 5))))), /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]: field timeUnixNano \(1\) has wire type 0/);
    refused(() => decodeLogsRequestProtobuf(ld(1, ld(2, ld(2, ld(9, Buffer.alloc(5)))))), /logRecords\[0\]\.traceId: a trace id is 16 bytes, this one is 5/);
  });

  test('every AnyValue member, negative and 64-bit integers, round-trip through the encoder', () => {
    const req = sample();
    assert.deepEqual(decodeLogsRequestProtobuf(encodeLogsRequestProtobuf(req)), req);
  });
});

describe('OTLP logs: JSON', () => {
  test('the specification example shape: camelCase, hex ids, integer enums, 64-bit integers as strings', () => {
    const text = JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'sshd' } }] },
          scopeLogs: [
            {
              scope: { name: 'my.library', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'x' } }] },
              logRecords: [
                {
                  timeUnixNano: '1544712660300000000',
                  observedTimeUnixNano: 1544712660300000000,
                  severityNumber: 10,
                  severityText: 'Information',
                  traceId: TRACE.toUpperCase(),
                  spanId: SPAN,
                  body: { stringValue: 'Example log record' },
                  attributes: [
                    { key: 'string.attribute', value: { stringValue: 'some string' } },
                    { key: 'boolean.attribute', value: { boolValue: true } },
                    { key: 'int.attribute', value: { intValue: '10' } },
                    { key: 'double.attribute', value: { doubleValue: 637.704 } },
                    { key: 'array.attribute', value: { arrayValue: { values: [{ stringValue: 'many' }, { stringValue: 'values' }] } } },
                    { key: 'map.attribute', value: { kvlistValue: { values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const r = decodeLogsRequestJson(text).resourceLogs[0]!.scopeLogs[0]!;
    assert.equal(r.scope.attributes[0]!.key, 'my.scope.attribute');
    const rec = r.logRecords[0]!;
    assert.equal(rec.timeUnixNano, 1544712660300000000n);
    assert.equal(rec.observedTimeUnixNano, 1544712660300000000n);
    assert.equal(rec.traceId, TRACE, 'hex ids are kept lowercase');
    assert.deepEqual(
      rec.attributes.map((a) => a.value),
      [
        { type: 'string', value: 'some string' },
        { type: 'bool', value: true },
        { type: 'int', value: 10n },
        { type: 'double', value: 637.704 },
        { type: 'array', value: [{ type: 'string', value: 'many' }, { type: 'string', value: 'values' }] },
        { type: 'kvlist', value: [{ key: 'some.map.key', value: { type: 'string', value: 'some value' } }] },
      ],
    );
  });

  test('proto field names, null defaults, enum names, unknown fields and base64 bytes are read', () => {
    const text = JSON.stringify({
      resource_logs: [
        {
          resource: null,
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: 5,
                  severity_number: 'SEVERITY_NUMBER_ERROR',
                  severity_text: null,
                  body: { bytes_value: Buffer.from([0, 1, 254, 255]).toString('base64') },
                  attributes: [{ key: 'n', value: { int_value: -42 } }, { key: 'u', value: { bytesValue: '_-8' } }, { key: 'e', value: {} }],
                  somethingNew: { any: 'thing' },
                },
              ],
            },
          ],
        },
      ],
      futureTopLevel: 1,
    });
    const rec = decodeLogsRequestJson(text).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    assert.equal(rec.timeUnixNano, 5n);
    assert.equal(rec.severityNumber, 17);
    assert.equal(rec.severityText, '');
    assert.deepEqual(rec.body, { type: 'bytes', value: Buffer.from([0, 1, 254, 255]) });
    assert.deepEqual(rec.attributes[0]!.value, { type: 'int', value: -42n });
    assert.deepEqual(rec.attributes[1]!.value, { type: 'bytes', value: Buffer.from([0xff, 0xef]) });
    assert.deepEqual(rec.attributes[2]!.value, { type: 'empty' });
  });

  test('JSON and protobuf of the same request decode alike, and both round-trip', () => {
    const req = sample();
    assert.deepEqual(decodeLogsRequestJson(encodeLogsRequestJson(req)), req);
    assert.deepEqual(decodeLogsRequest(Buffer.from(encodeLogsRequestJson(req)), 'json'), decodeLogsRequest(encodeLogsRequestProtobuf(req), 'protobuf'));
  });

  test('refusals name the element and the problem', () => {
    const wrap = (record: unknown) => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });
    const at = 'resourceLogs\\[0\\]\\.scopeLogs\\[0\\]\\.logRecords\\[0\\]';
    refused(() => decodeLogsRequestJson('{"resourceLogs":['), /^body: not valid JSON/);
    refused(() => decodeLogsRequestJson('[]'), /^body: an ExportLogsServiceRequest is a JSON object/);
    refused(() => decodeLogsRequestJson('{"resourceLogs":{}}'), /^resourceLogs: must be an array/);
    refused(() => decodeLogsRequestJson(wrap({ traceId: Buffer.from(TRACE, 'hex').toString('base64') })), new RegExp(`^${at}\\.traceId: a trace id is 32 hex digits in OTLP/JSON \\(not base64\\)`));
    refused(() => decodeLogsRequestJson(wrap({ spanId: 'abc' })), new RegExp(`^${at}\\.spanId: a span id is 16 hex digits`));
    refused(() => decodeLogsRequestJson(wrap({ timeUnixNano: '12:00' })), new RegExp(`^${at}\\.timeUnixNano: must be a uint64`));
    refused(() => decodeLogsRequestJson(wrap({ timeUnixNano: '-5' })), new RegExp(`^${at}\\.timeUnixNano: -5 is outside the range of a uint64`));
    refused(() => decodeLogsRequestJson(wrap({ body: { stringValue: 'a', intValue: 1 } })), new RegExp(`^${at}\\.body: an AnyValue holds one value, this one has stringValue and intValue`));
    refused(() => decodeLogsRequestJson(wrap({ body: { intValue: '9223372036854775808' } })), new RegExp(`^${at}\\.body\\.intValue: 9223372036854775808 is outside the range of an int64`));
    refused(() => decodeLogsRequestJson(wrap({ body: { boolValue: 'yes' } })), new RegExp(`^${at}\\.body\\.boolValue: must be true or false`));
    refused(() => decodeLogsRequestJson(wrap({ body: { bytesValue: 'not base64!' } })), new RegExp(`^${at}\\.body\\.bytesValue: must be base64`));
    refused(() => decodeLogsRequestJson(wrap({ attributes: [{ key: 7 }] })), new RegExp(`^${at}\\.attributes\\[0\\]\\.key: must be a string`));
    let deep: unknown = { stringValue: 'bottom' };
    for (let i = 0; i <= MAX_VALUE_DEPTH + 1; i++) deep = { arrayValue: { values: [deep] } };
    refused(() => decodeLogsRequestJson(wrap({ body: deep })), /values are nested more than 48 levels deep/);
  });
});

describe('OTLP logs: answers and content types', () => {
  test('an empty ExportLogsServiceResponse, a partial success and a Status in both encodings', () => {
    assert.equal(encodeLogsResponse('protobuf').length, 0);
    assert.equal(encodeLogsResponse('json').toString(), '{}');
    const partial = { rejectedLogRecords: 2, errorMessage: 'two too long' };
    const pb = encodeLogsResponse('protobuf', partial);
    assert.deepEqual([...pb], [0x0a, 16, 0x08, 2, 0x12, 12, ...Buffer.from('two too long')], 'partial_success = 1 { rejected_log_records = 1; error_message = 2 }');
    assert.deepEqual(decodeLogsResponseProtobuf(pb), partial);
    assert.deepEqual(JSON.parse(encodeLogsResponse('json', partial).toString()), { partialSuccess: { rejectedLogRecords: '2', errorMessage: 'two too long' } });
    assert.deepEqual(JSON.parse(encodeStatus('json', { code: 3, message: 'bad' }).toString()), { code: 3, message: 'bad' });
    assert.deepEqual(decodeStatusProtobuf(encodeStatus('protobuf', { code: 14, message: 'busy' })), { code: 14, message: 'busy' });
  });

  test('content types', () => {
    assert.equal(otlpEncoding('application/x-protobuf'), 'protobuf');
    assert.equal(otlpEncoding('Application/JSON; charset=utf-8'), 'json');
    assert.equal(otlpEncoding('text/plain'), null);
    assert.equal(otlpEncoding(undefined), null);
  });
});

function sample(): ExportLogsRequest {
  return {
    resourceLogs: [
      {
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        resource: { attributes: [{ key: 'service.name', value: { type: 'string', value: 'api' } }], droppedAttributesCount: 1 },
        scopeLogs: [
          {
            schemaUrl: '',
            scope: { name: 's', version: '2', attributes: [{ key: 'k', value: { type: 'bool', value: false } }], droppedAttributesCount: 0 },
            logRecords: [
              {
                timeUnixNano: 18_446_744_073_709_551_615n,
                observedTimeUnixNano: 1n,
                severityNumber: 24,
                severityText: 'FATAL',
                eventName: 'e',
                body: {
                  type: 'kvlist',
                  value: [
                    { key: 's', value: { type: 'string', value: '' } },
                    { key: 'min', value: { type: 'int', value: -(2n ** 63n) } },
                    { key: 'max', value: { type: 'int', value: 2n ** 63n - 1n } },
                    { key: 'd', value: { type: 'double', value: -0.5 } },
                    { key: 'b', value: { type: 'bytes', value: Buffer.from([1, 2, 3]) } },
                    { key: 'a', value: { type: 'array', value: [{ type: 'bool', value: true }, { type: 'empty' }] } },
                    { key: 'e', value: { type: 'empty' } },
                  ],
                },
                attributes: [{ key: 'x', value: { type: 'double', value: 1e300 } }],
                droppedAttributesCount: 3,
                flags: 0xffffffff,
                traceId: TRACE,
                spanId: SPAN,
              },
            ],
          },
        ],
      },
    ],
  };
}
