import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../core/errors.js';
import { parseTime } from './time.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

test('parseTime: absolute and relative forms', () => {
  const cases: [string, string][] = [
    ['now', '2024-05-01T12:00:00.000Z'],
    ['NOW', '2024-05-01T12:00:00.000Z'],
    ['-15m', '2024-05-01T11:45:00.000Z'],
    ['-24h', '2024-04-30T12:00:00.000Z'],
    ['-7d', '2024-04-24T12:00:00.000Z'],
    ['-2w', '2024-04-17T12:00:00.000Z'],
    ['-30s', '2024-05-01T11:59:30.000Z'],
    ['now-1h', '2024-05-01T11:00:00.000Z'],
    ['now+5m', '2024-05-01T12:05:00.000Z'],
    [' -1d ', '2024-04-30T12:00:00.000Z'],
    ['2024-01-02', '2024-01-02T00:00:00.000Z'],
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02 03:04:05.678', '2024-01-02T03:04:05.678Z'],
    ['2024-01-02T03:04', '2024-01-02T03:04:00.000Z'],
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000Z'],
    ['2024-01-02T03:04:05-0530', '2024-01-02T08:34:05.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0050-01-01', '0050-01-01T00:00:00.000Z'],
    ['1714564800000', '2024-05-01T12:00:00.000Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
  ];
  for (const [input, iso] of cases) assert.equal(parseTime(input, NOW).toISOString(), iso, input);
});

test('parseTime: refuses what it cannot read, naming the input', () => {
  for (const input of ['', 'yesterday-ish', '-1M', '-1y', '15m', 'now-', '2023-02-29', '2024-13-01', '2024-01-02T25:00',
    '2024-01-02Z', '2024-01-02T03:04:05+25:00', '99999999999999999', '-9999999999d', 'now - 1h', '1.5e3']) {
    assert.throws(
      () => parseTime(input, NOW),
      (e: unknown) => e instanceof VigilError && e.code === 'bad_time' && e.message.includes(`"${input}"`),
      input,
    );
  }
});
