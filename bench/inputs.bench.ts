// Throughput per input: the real server (compiled, as `npm start` runs it) takes the same events
// through each protocol in turn. For each: the acknowledged rate (client start to last ack: the input's
// own cost plus the durable queue) and the rate until searchable (to the last event stored).
//   node --import tsx bench/inputs.bench.ts       (part of npm run bench; BENCH_INPUT_EVENTS=N)
// Writes bench/results/inputs-<stamp>.json and inputs-latest.json.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Corpus, Pools } from './corpus.js';
import { SENDERS, type Target } from './input-senders.js';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench/results');
const N = Number(process.env.BENCH_INPUT_EVENTS ?? 100_000);
const TOKEN = 'bench-ingest-0123456789abcdef';
const READ = 'bench-read-0123456789abcdef';

function log(msg: string): void {
  process.stderr.write(`[inputs ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(os.tmpdir(), 'vigil-inputs-'));
  const ports = { syslog: await freePort(), forward: await freePort(), beats: await freePort() };
  const config = join(work, 'vigil.yaml');
  const listeners = SENDERS.flatMap((s) => (s.config ? [s.config(ports, 'bench')] : [])).join('\n');
  writeFileSync(
    config,
    `http: { listen: 127.0.0.1:0 }
syslog:
  - { protocol: tcp, listen: 127.0.0.1:${ports.syslog}, tenant: bench }
${listeners}
tenants:
  - name: bench
    tokens:
      - { secret: "${TOKEN}", scope: ingest }
      - { secret: "${READ}", scope: read }
log: { level: warn }
`,
  );
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=512', join(ROOT, 'dist/cli/main.js'), 'serve', '--config', config, '--data-dir', join(work, 'data')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-10_000)));
  const banner = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('admin token')) res(out);
    });
    child.once('exit', (c) => rej(new Error(`server exited ${c}: ${err}`)));
  });
  const url = /listening on (http:\/\/[^\s,]+)/.exec(banner)![1]!;
  const target: Target = { url, host: '127.0.0.1', ports, token: TOKEN };

  const pools = new Pools(42);
  const now = Date.now();
  const results: { input: string; events: number; bytes: number; ackedPerSec: number; searchablePerSec: number; ackMs: number; searchableMs: number }[] = [];
  let stored = 0;
  for (const [i, sender] of SENDERS.entries()) {
    const corpus = new Corpus(pools, 100 + i, 'syslog');
    const lines = Array.from({ length: N }, (_, k) => corpus.line(now - 3_600_000 + (k * 3_600_000) / N));
    const prepared = sender.prepare(lines);
    const t0 = performance.now();
    await sender.send(prepared, target);
    const ackMs = performance.now() - t0;
    stored += N;
    // Searchable: every event of every input so far is counted.
    for (;;) {
      const r = await fetch(`${url}/api/v1/search?${new URLSearchParams({ q: '* | stats count()', from: '-7d', to: 'now+1d' })}`, { headers: { authorization: `Bearer ${READ}` } });
      const j = (await r.json()) as { rows?: number[][] };
      if ((j.rows?.[0]?.[0] ?? 0) >= stored) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const searchableMs = performance.now() - t0;
    results.push({ input: sender.name, events: N, bytes: prepared.bytes, ackedPerSec: Math.round(N / (ackMs / 1000)), searchablePerSec: Math.round(N / (searchableMs / 1000)), ackMs: Math.round(ackMs), searchableMs: Math.round(searchableMs) });
    log(`${sender.name}: ${results.at(-1)!.ackedPerSec} ev/s acked, ${results.at(-1)!.searchablePerSec} ev/s searchable`);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true });

  const rows = results.map((r) => `| ${r.input.padEnd(28)} | ${r.ackedPerSec.toLocaleString('en-US').padStart(9)} | ${r.searchablePerSec.toLocaleString('en-US').padStart(10)} | ${(r.bytes / r.events).toFixed(0).padStart(8)} |`);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  console.log(`\nVigil throughput per input: ${N.toLocaleString('en-US')} events each, ${os.cpus().length} CPUs, commit ${commit}\n`);
  console.log('| input                        | acked ev/s | searchable ev/s | B/event |');
  console.log('|------------------------------|-----------:|-----------:|---------:|');
  for (const r of rows) console.log(r);
  mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify({ kind: 'inputs', commit, events: N, cpus: os.cpus().length, results }, null, 2);
  writeFileSync(join(RESULTS, `inputs-${stamp}.json`), json);
  writeFileSync(join(RESULTS, 'inputs-latest.json'), json);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
