import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engine, feed, m, minutes, T0, MIN } from './fixtures/stream.js';

const recon = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Recon burst',
  id: `c-${type}`,
  correlation: { type, rules: ['recon_a', 'recon_b', 'recon_c'], 'group-by': ['host.name', 'user.name'], timespan: '5m', ...extra },
});
const on = (host: string, name = 'alice'): Record<string, unknown> => ({ host: { name: host }, user: { name } });

describe('temporal', () => {
  it('fires when every rule matched within the timespan, in any order', () => {
    const e = engine([recon('temporal')]);
    const fs = feed(e, [m('r-c', 0, on('ws1'), { eventId: 'c' }), m('r-a', 1, on('ws1'), { eventId: 'a' }), m('r-b', 2, on('ws1'), { eventId: 'b' })]);
    assert.deepEqual(minutes(fs), [2]);
    assert.equal(fs[0]!.value, 3);
    assert.deepEqual(fs[0]!.eventIds, ['c', 'a', 'b']);
    assert.deepEqual(fs[0]!.groupBy, { 'host.name': 'ws1', 'user.name': 'alice' });
    assert.equal(fs[0]!.firstEventTime, T0);
  });

  it('does not fire with a rule missing, across groups, or beyond the timespan', () => {
    const e = engine([recon('temporal')]);
    assert.deepEqual(feed(e, [m('r-a', 0, on('ws1')), m('r-b', 1, on('ws1')), m('r-a', 2, on('ws1'))]), []);
    assert.deepEqual(feed(e, [m('r-c', 2, on('ws2'))]), [], 'another host');
    assert.deepEqual(feed(e, [m('r-c', 2, on('ws1', 'bob'))]), [], 'another user');
    assert.deepEqual(feed(e, [m('r-c', 7, on('ws1'))]), [], 'a and b are more than 5 minutes older');
  });

  it('a condition can ask for some of the rules', () => {
    const e = engine([recon('temporal', { condition: { gte: 2 } })]);
    assert.deepEqual(minutes(feed(e, [m('r-a', 0, on('h')), m('r-a', 1, on('h')), m('r-c', 2, on('h'))])), [2]);
  });
});

describe('temporal_ordered', () => {
  it('fires only when the rules matched in the listed order', () => {
    const e = engine([recon('temporal_ordered')]);
    assert.deepEqual(feed(e, [m('r-c', 0, on('h')), m('r-b', 1, on('h')), m('r-a', 2, on('h'))]), []);
    const fs = feed(e, [m('r-b', 3, on('h')), m('r-c', 4, on('h'))]);
    assert.deepEqual(minutes(fs), [4], 'a at 2, b at 3, c at 4');
    assert.equal(fs[0]!.firstEventTime, T0 + 2 * MIN);
  });

  it('the same events out of order fire temporal but not temporal_ordered', () => {
    const stream = (): ReturnType<typeof m>[] => [m('r-b', 0, on('h')), m('r-a', 1, on('h')), m('r-c', 2, on('h'))];
    assert.equal(feed(engine([recon('temporal')]), stream()).length, 1);
    assert.equal(feed(engine([recon('temporal_ordered')]), stream()).length, 0);
  });

  it('judges order by event time, so a late event can complete the chain', () => {
    const e = engine([recon('temporal_ordered')]);
    // b and c arrive first; a arrives last but happened first.
    const fs = feed(e, [m('r-b', 2, on('h')), m('r-c', 3, on('h')), m('r-a', 1, on('h'))]);
    assert.deepEqual(minutes(fs), [3]);
  });

  it('needs the whole chain within the timespan', () => {
    const e = engine([recon('temporal_ordered')]);
    assert.deepEqual(feed(e, [m('r-a', 0, on('h')), m('r-b', 3, on('h')), m('r-c', 6, on('h'))]), []);
    assert.deepEqual(minutes(feed(e, [m('r-a', 6.5, on('h')), m('r-b', 7, on('h')), m('r-c', 8, on('h'))])), [8]);
  });
});

describe('aliases', () => {
  // The specification's example: an internal error and a new connection between the same two hosts,
  // with the addresses in opposite fields.
  const ALIASED = {
    title: 'Error then connection',
    id: 'c-alias',
    correlation: {
      type: 'temporal',
      rules: ['internal_error', 'new_network_connection'],
      'group-by': ['internal_ip', 'remote_ip'],
      timespan: '10s',
      aliases: {
        internal_ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' },
        remote_ip: { internal_error: 'source.ip', new_network_connection: 'destination.ip' },
      },
    },
  };
  const flow = (src: string, dst: string): Record<string, unknown> => ({ source: { ip: src }, destination: { ip: dst } });

  it('groups by a name that is a different field in each rule', () => {
    const e = engine([ALIASED]);
    const fs = feed(e, [m('r-500', 0, flow('203.0.113.5', '10.0.0.2')), m('r-conn', 0.1, flow('10.0.0.2', '203.0.113.5'))]);
    assert.equal(fs.length, 1);
    assert.deepEqual(fs[0]!.groupBy, { internal_ip: '10.0.0.2', remote_ip: '203.0.113.5' });
  });

  it('does not combine events whose aliased fields differ', () => {
    const e = engine([ALIASED]);
    // Same fields on both sides (not swapped): internal_ip is 203.0.113.5 for one and 10.0.0.2 for the other.
    assert.deepEqual(feed(e, [m('r-500', 0, flow('203.0.113.5', '10.0.0.2')), m('r-conn', 0.1, flow('203.0.113.5', '10.0.0.2'))]), []);
  });

  it('aliases may name rules by id as well as by name', () => {
    const raw = structuredClone(ALIASED) as { correlation: { aliases: Record<string, Record<string, string>> } };
    raw.correlation.aliases = {
      internal_ip: { 'r-500': 'destination.ip', 'r-conn': 'source.ip' },
      remote_ip: { 'r-500': 'source.ip', 'r-conn': 'destination.ip' },
    };
    const e = engine([raw]);
    assert.equal(feed(e, [m('r-500', 0, flow('a', 'b')), m('r-conn', 0.1, flow('b', 'a'))]).length, 1);
  });
});
