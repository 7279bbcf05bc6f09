// What Vigil acknowledged survives kill -9: events acked over HTTP before a SIGKILL are all searchable
// after a restart, exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil, api, searchUntil, tempDir, writeConfig } from '../helpers/server.js';

const TOKEN = 'durable-ingest-0123456789';
const READ = 'durable-read-0123456789';

function config() {
  return writeConfig(`http: { listen: 127.0.0.1:0 }
syslog: []
tenants:
  - name: acme
    tokens:
      - { secret: ${TOKEN}, scope: ingest }
      - { secret: ${READ}, scope: read }
`).path;
}

test('events acknowledged before kill -9 are searchable after restart, with no duplicates', async () => {
  const dataDir = tempDir();
  const configPath = config();
  const v = await startVigil({ configPath, dataDir });
  // Many concurrent senders; every 200 counts as acknowledged.
  let acked = 0;
  let stop = false;
  const sender = async (n: number) => {
    let batch = 0;
    while (!stop) {
      const body = Array.from({ length: 200 }, (_, i) => JSON.stringify({ message: `durable s${n} b${batch} i${i}`, 'user.name': `s${n}` })).join('\n');
      const r = await api(v, TOKEN, 'POST', '/api/v1/events', body, { 'content-type': 'application/x-ndjson' }).catch(() => null);
      if (r?.status === 200) acked += r.json.accepted;
      batch++;
    }
  };
  const senders = Array.from({ length: 6 }, (_, n) => sender(n));
  await new Promise((r) => setTimeout(r, 1500));
  await v.kill9();
  stop = true;
  await Promise.all(senders);
  assert.ok(acked > 1000, `expected a real load before the crash, got ${acked} acked`);

  const again = await startVigil({ configPath, dataDir });
  try {
    const r = await searchUntil(again, READ, { q: 'durable | stats count(), dc(message)' }, (x) => x.rows?.[0]?.[0] >= acked, 30_000);
    const [count, distinct] = r.rows[0];
    assert.ok(count >= acked, `acked ${acked}, found ${count}`);
    assert.equal(count, distinct, 'no event is stored twice after replay');
  } finally {
    await again.stop();
  }
});

test('a clean restart neither loses nor repeats events', async () => {
  const dataDir = tempDir();
  const configPath = config();
  const v = await startVigil({ configPath, dataDir });
  const body = Array.from({ length: 1000 }, (_, i) => `restart line ${i}`).join('\n');
  assert.equal((await api(v, TOKEN, 'POST', '/api/v1/events', body)).status, 200);
  await searchUntil(v, READ, { q: '"restart line"' }, (x) => x.total === 1000);
  await v.stop();
  const again = await startVigil({ configPath, dataDir });
  try {
    assert.equal((await api(again, TOKEN, 'POST', '/api/v1/events', 'restart line after')).status, 200);
    const r = await searchUntil(again, READ, { q: '"restart line"' }, (x) => x.total === 1001);
    assert.equal(r.total, 1001);
  } finally {
    await again.stop();
  }
});
