// An independent Fluent forward client against Vigil's fluent_forward listener: Debian's
// python3-fluent-logger (fluent-logger-python), which sends Message mode with EventTime (ext type 0)
// when nanosecond_precision is set, and integer times otherwise. It never asks for acks.
// Debian bookworm packages no fluentd, Fluent Bit or Filebeat; this is the real forward client it has.
// Needs /usr/bin/python3 with python3-fluent-logger; scripts/system-setup.sh installs it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { run, uniqueWord, reapWithProcess } from './util.js';

const PYTHON = '/usr/bin/python3'; // Debian's, where python3-fluent-logger installs (not a pyenv shim)
const RANGE = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

describe('fluent-logger-python → Vigil fluent_forward listener', { timeout: 120_000 }, () => {
  let v: VigilProcess;
  let port = 0;
  let unreap: (() => void) | undefined;
  before(async () => {
    const cfg = twoTenantConfig('fluent_forward:\n  - { listen: 127.0.0.1:0, tenant: acme }\n');
    v = await startVigil({ configPath: cfg.path, env: { VIGIL_LOG_LEVEL: 'info' } });
    unreap = reapWithProcess(v.child);
    for (let i = 0; i < 100 && !port; i++) {
      const line = v.stderr().split('\n').find((l) => l.includes('vigil is running'));
      port = line ? (JSON.parse(line).shippers.find((s: any) => s.input === 'fluent-forward')?.port ?? 0) : 0;
      if (!port) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(port > 0, 'the fluent_forward port is in the start-up log');
  });
  after(async () => {
    unreap?.();
    await v?.stop();
  });

  test('EventTime and integer times, an sshd line in `message`, structured fields', async () => {
    const word = uniqueWord('fluentpy');
    const script = `
import sys
from fluent import sender
ns = sender.FluentSender('app', host='127.0.0.1', port=int(sys.argv[1]), nanosecond_precision=True)
ok1 = ns.emit_with_time('auth', 1700000000.25, {'message': 'Nov 23 08:00:01 ' + sys.argv[2] + ' sshd[4242]: Failed password for bob from 198.51.100.9 port 22 ssh2', 'pid': 4242})
ok3 = ns.emit_with_time('plain', 1700000002.125, {'message': 'a line without a time stamp ' + sys.argv[2]})
ns.close()
s = sender.FluentSender('app', host='127.0.0.1', port=int(sys.argv[1]))
ok2 = s.emit_with_time('orders', 1700000001, {'order_id': 7, 'user': 'carol', 'note': sys.argv[2]})
s.close()
if not (ok1 and ok2 and ok3):
    sys.exit('emit failed: %r %r' % (ns.last_error, s.last_error))
`;
    await run(PYTHON, ['-c', script, String(port), word]);
    const r = await searchUntil(v, TOKENS.acme.read, { q: word, ...RANGE }, (x) => x.total === 3);
    const auth = r.hits.find((h: any) => h.fluent?.tag === 'app.auth');
    const orders = r.hits.find((h: any) => h.fluent?.tag === 'app.orders');
    const plain = r.hits.find((h: any) => h.fluent?.tag === 'app.plain');
    assert.equal(plain?.['@timestamp'], '2023-11-14T22:13:22.125Z', 'the EventTime, to the millisecond');
    assert.ok(auth && orders, JSON.stringify(r.hits.map((h: any) => h.fluent)));
    assert.equal(auth.vigil.input, 'fluent-forward');
    assert.equal(auth.vigil.parse.parser, 'sshd', JSON.stringify(auth.vigil));
    assert.equal(auth.user.name, 'bob');
    assert.equal(auth.source.ip, '198.51.100.9');
    assert.equal(auth.host.name, word, "the line's own host");
    assert.equal(orders['@timestamp'], '2023-11-14T22:13:21.000Z', 'the integer time');
    assert.equal(orders.user.name, 'carol', 'a plain user value lands in user.name');
    assert.equal(orders.order_id, 7);
  });
});
