import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engine, feed, m, minutes } from './fixtures/stream.js';

// Password spraying: one source tries many different accounts.
const SPRAY = {
  title: 'Password spraying',
  id: 'c-spray',
  correlation: {
    type: 'value_count',
    rules: ['failed_login'],
    'group-by': ['source.ip'],
    timespan: '5m',
    condition: { field: 'user.name', gte: 3 },
  },
};
const from = (ip: string, name: string): Record<string, unknown> => ({ source: { ip }, user: { name } });

describe('value_count', () => {
  it('counts distinct values, not events', () => {
    const e = engine([SPRAY]);
    assert.deepEqual(feed(e, ['a', 'a', 'b', 'b', 'a'].map((u, i) => m('r-fail', i * 0.5, from('10.0.0.9', u)))), []);
    const fs = feed(e, [m('r-fail', 3, from('10.0.0.9', 'c'))]);
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.value, 3);
    assert.deepEqual(fs[0]!.groupBy, { 'source.ip': '10.0.0.9' });
    assert.deepEqual(feed(e, [m('r-fail', 3.5, from('10.0.0.9', 'd'))]), [], 'one firing per crossing');
  });

  it('lets values age out of the window', () => {
    const e = engine([SPRAY]);
    assert.deepEqual(feed(e, [m('r-fail', 0, from('h', 'a')), m('r-fail', 1, from('h', 'b')), m('r-fail', 6.5, from('h', 'c'))]), []);
  });

  it('a value seen again stays in the window from its latest sighting', () => {
    const e = engine([SPRAY]);
    // At 5.5 the window is [0.5, 5.5]: a (seen again at 4.5), b (at 1) and c.
    const fs = feed(e, [m('r-fail', 0, from('h', 'a')), m('r-fail', 1, from('h', 'b')), m('r-fail', 4.5, from('h', 'a')), m('r-fail', 5.5, from('h', 'c'))]);
    assert.deepEqual(minutes(fs), [5.5]);
    assert.equal(fs[0]!.value, 3);
  });

  it('keeps sources apart and skips events without the counted field', () => {
    const e = engine([SPRAY]);
    const fs = feed(e, [m('r-fail', 0, from('h1', 'a')), m('r-fail', 0, from('h2', 'b')), m('r-fail', 1, { source: { ip: 'h1' } }), m('r-fail', 1, from('h2', 'c'))]);
    assert.deepEqual(fs, []);
    assert.equal(e.stats().skipped, 1);
  });

  it('a late repeat of a value does not move it back in time', () => {
    const e = engine([SPRAY]);
    // a at 4, then a late a at 0.5: a still counts from 4, so at 6 (window [1, 6]) a, b, c are in.
    const fs = feed(e, [m('r-fail', 4, from('h', 'a')), m('r-fail', 0.5, from('h', 'a')), m('r-fail', 3, from('h', 'b')), m('r-fail', 6, from('h', 'c'))]);
    assert.deepEqual(minutes(fs), [6]);
  });
});
