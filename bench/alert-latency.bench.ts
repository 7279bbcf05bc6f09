// Alert latency: from the HTTP acknowledgement of the events that complete a detection to the webhook
// receiving the alert. A real server (in this process) with the built-in pack, a webhook receiver on
// loopback, and bursts of failed SSH logins, each completing the brute-force correlation for its own
// account. Prints p50/p99 and writes bench/results/alert-latency-latest.json.
//   node --import tsx bench/alert-latency.bench.ts   (part of npm run bench; BENCH_ALERT_BURSTS=N)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { startServer } from '../src/main.js';
import { createLogger } from '../src/core/log.js';

const BURSTS = Number(process.env.BENCH_ALERT_BURSTS ?? 40);
const ROOT = resolve(import.meta.dirname, '..');
const received = new Map<string, number>();
const hook = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const a = JSON.parse(body);
    if (a.rule?.title === 'Brute force against one account') received.set(a.group_by['user.name'], performance.now());
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-bench-'));
const token = 'bench-ingest-0123456789';
const config = parseConfig(
  `data_dir: ${dir}
http: { listen: 127.0.0.1:0 }
log: { level: warn }
tenants:
  - name: bench
    tokens: [{ secret: "${token}", scope: ingest }]
alerting:
  webhooks: [{ url: "http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook" }]
`,
  'bench',
);
const server = await startServer(config, { log: createLogger('warn') });
const latencies: number[] = [];
try {
  for (let b = 0; b < BURSTS; b++) {
    const user = `user${b}`;
    const now = Date.now();
    const lines = Array.from({ length: 10 }, (_, i) => `<38>1 ${new Date(now - 20_000 + i * 1000).toISOString()} bastion1 sshd 42 - - Failed password for ${user} from 203.0.113.${b % 250} port 4000 ssh2`);
    const res = await fetch(`${server.httpUrl}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: lines.join('\n') });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
    const acked = performance.now();
    const deadline = acked + 30_000;
    while (!received.has(user)) {
      if (performance.now() > deadline) throw new Error(`no alert for ${user} within 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(received.get(user)! - acked);
  }
} finally {
  await server.stop();
  hook.close();
  rmSync(dir, { recursive: true, force: true });
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!);
const result = { when: new Date().toISOString(), bursts: BURSTS, ackToWebhookMs: { p50: pct(50), p99: pct(99), max: Math.round(latencies.at(-1)!) }, target: { p50Ms: 1000 } };
console.log(`\n## Alert latency (ack to webhook, ${BURSTS} brute-force bursts, idle server)\n`);
console.log(`| p50 | p99 | max | target |\n|---|---|---|---|\n| ${result.ackToWebhookMs.p50} ms | ${result.ackToWebhookMs.p99} ms | ${result.ackToWebhookMs.max} ms | p50 < 1000 ms |`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/alert-latency-latest.json'), JSON.stringify(result, null, 2));
