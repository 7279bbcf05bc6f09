// Every network output type against a real peer that speaks its protocol: a second Vigil, whose Loki,
// Splunk HEC, Elasticsearch, HTTP and syslog inputs each receive what the first forwards (each into a
// tenant of its own). No Loki, Splunk or Elasticsearch runs here; Vigil's inputs are tested against
// those shippers' own wire formats, so this closes the loop from output to input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil, api, searchUntil, writeConfig, type VigilProcess } from '../helpers/server.js';

const KINDS = ['loki', 'hec', 'es', 'http', 'syslog'] as const;
const token = (k: string, scope: string) => `rx-${k}-${scope}-0123456789abcdef`;
const SEND = 'tx-acme-ingest-0123456789abcdef';

describe('Vigil forwards to Vigil over every output protocol', () => {
  let rx: VigilProcess;
  let tx: VigilProcess;
  before(async () => {
    rx = await startVigil({
      configPath: writeConfig(`http: { listen: 127.0.0.1:0 }
syslog:
  - { protocol: tcp, listen: 127.0.0.1:0, tenant: rx-syslog }
tenants:
${KINDS.map((k) => `  - name: rx-${k}\n    tokens:\n      - { secret: ${token(k, 'ingest')}, scope: ingest }\n      - { secret: ${token(k, 'read')}, scope: read }`).join('\n')}
`).path,
    });
    const out = (name: string, type: string, extra: string) => `  - { name: ${name}, type: ${type}, tenants: [acme], batch: { max_wait: 1s }, ${extra} }`;
    tx = await startVigil({
      configPath: writeConfig(`http: { listen: 127.0.0.1:0 }
syslog: []
tenants:
  - name: acme
    tokens:
      - { secret: ${SEND}, scope: ingest }
outputs:
${out('to-loki', 'loki', `url: "${rx.url}", token: ${token('loki', 'ingest')}`)}
${out('to-hec', 'hec', `url: "${rx.url}", token: ${token('hec', 'ingest')}, format: original`)}
${out('to-es', 'elasticsearch', `url: "${rx.url}", token: ${token('es', 'ingest')}, index: "vigil-{tenant}"`)}
${out('to-http', 'http', `url: "${rx.url}/api/v1/events", token: ${token('http', 'ingest')}`)}
${out('to-syslog', 'syslog', `url: "tcp://127.0.0.1:${rx.syslog.tcp}"`)}
`).path,
    });
  });
  after(async () => {
    await tx?.stop();
    await rx?.stop();
  });

  test('sshd lines sent to the first arrive in the second through each protocol, parsed', async () => {
    const lines = [1, 2, 3].map((i) => `<38>Nov 23 08:00:0${i} bastion1 sshd[${700 + i}]: Failed password for relay${i} from 198.51.100.${i} port 40${i}0 ssh2`);
    assert.equal((await api(tx, SEND, 'POST', '/api/v1/events', lines.join('\n'))).status, 200);
    const got: Record<string, any[]> = {};
    for (const k of KINDS) {
      const r = await searchUntil(rx, token(k, 'read'), { q: 'user.name:relay*', from: '2000-01-01T00:00:00Z', limit: '10' }, (x) => x.total === 3, 30_000);
      got[k] = r.hits.sort((a: any, b: any) => String(a.user.name).localeCompare(String(b.user.name)));
    }
    for (const k of KINDS) {
      const [first] = got[k]!;
      assert.equal(first.user.name, 'relay1', k);
      assert.equal(first.source.ip, '198.51.100.1', k);
      assert.equal(first.host.name, 'bastion1', k);
      assert.equal(first.vigil.input, { loki: 'loki', hec: 'hec', es: 'elasticsearch', http: 'http', syslog: 'syslog-tcp' }[k], k);
      assert.ok(first.vigil.requirements.includes('B1.4'), `${k}: classified again by the receiver`);
    }
    // Line protocols carry the line, document protocols the ECS document with its message and program:
    // either way the receiver's own sshd parser reads the line again.
    for (const k of KINDS) assert.equal(got[k]![0].vigil.parse.parser, 'sshd', k);
    assert.equal(got.loki![0].labels.tenant, 'acme');
    assert.equal(got.syslog![0].process.pid, 701);
    assert.equal(got.es![0].vigil.es.index, 'vigil-acme');
    // The sender's own vigil fields stay apart from the receiver's.
    assert.deepEqual(got.http![0].vigil.upstream.requirements, got.http![0].vigil.requirements);
    const outputs = await api(tx, tx.adminToken, 'GET', '/api/v1/outputs');
    for (const o of outputs.json.outputs) assert.equal(o.sent, 3, o.name);
  });
});
