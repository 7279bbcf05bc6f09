// The benchmark's load generator, run as its own process so its CPU and memory are not the server's.
// It builds every byte it will send before the clock starts (the benchmark measures Vigil, not the
// generator), prints "READY", waits for "go" on stdin, sends, then prints "RESULT {json}".
//   node --import tsx bench/sender.ts '{"mode":"tcp",...}'
import net from 'node:net';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { Corpus, Pools } from './corpus.js';

export interface SenderConfig {
  mode: 'tcp' | 'http';
  events: number;
  seed: number;
  /** Stream number: each sender (and each phase) gets its own sequence from the seed. */
  stream: number;
  /** Event times are spread over [startMs, endMs]. */
  startMs: number;
  endMs: number;
  host: string;
  port: number;
  /** tcp: parallel connections (even ones use octet counting, odd ones LF framing). */
  connections?: number;
  /** http: requests in flight and lines per request. */
  concurrency?: number;
  batch?: number;
  token?: string;
  requestTimeoutMs?: number;
}

export interface SenderResult {
  mode: 'tcp' | 'http';
  events: number;
  bytes: number;
  genMs: number;
  /** From "go" to the last byte written (tcp) or the last 200 (http). */
  sendMs: number;
  /** http: wall time of each accepted request, ms. */
  latenciesMs: number[];
  /** http: 503/429 answers retried after a short back-off. */
  retries: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

const TCP_CHUNK = 256 * 1024;

function generate(c: SenderConfig): { parts: Buffer[][]; lines: number[][]; bytes: number } {
  const corpus = new Corpus(new Pools(c.seed), c.stream, c.mode === 'http' ? 'http' : 'syslog');
  const lanes = c.mode === 'tcp' ? Math.max(1, c.connections ?? 4) : 1;
  const parts: Buffer[][] = Array.from({ length: lanes }, () => []);
  const lines: number[][] = Array.from({ length: lanes }, () => []);
  const pending: string[][] = Array.from({ length: lanes }, () => []);
  const pendingBytes = new Array<number>(lanes).fill(0);
  let bytes = 0;
  const flush = (lane: number) => {
    if (!pending[lane]!.length) return;
    const buf = Buffer.from(c.mode === 'http' ? pending[lane]!.join('\n') + '\n' : pending[lane]!.join(''), 'utf8');
    parts[lane]!.push(buf);
    lines[lane]!.push(pending[lane]!.length);
    bytes += buf.length;
    pending[lane] = [];
    pendingBytes[lane] = 0;
  };
  const batch = c.batch ?? 5000;
  for (let i = 0; i < c.events; i++) {
    const line = corpus.line(corpus.timeOf(i, c.events, c.startMs, c.endMs));
    const lane = i % lanes;
    if (c.mode === 'http') {
      pending[0]!.push(line);
      if (pending[0]!.length >= batch) flush(0);
      continue;
    }
    // RFC 6587: octet counting ("LEN SP MSG") on even connections, LF-terminated frames on odd ones.
    const frame = lane % 2 === 0 ? `${Buffer.byteLength(line)} ${line}` : line + '\n';
    pending[lane]!.push(frame);
    pendingBytes[lane]! += frame.length;
    if (pendingBytes[lane]! >= TCP_CHUNK) flush(lane);
  }
  for (let l = 0; l < lanes; l++) flush(l);
  return { parts, lines, bytes };
}

async function sendTcp(c: SenderConfig, chunks: Buffer[]): Promise<void> {
  const s = net.connect({ host: c.host, port: c.port });
  const closed = new Promise<void>((resolve, reject) => {
    s.once('close', (hadError) => (hadError ? reject(new Error('tcp connection closed with an error')) : resolve()));
    s.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  for (const chunk of chunks) {
    // Respect TCP back-pressure (the server pauses reading while its queue is overloaded).
    if (!s.write(chunk)) await new Promise<void>((r) => s.once('drain', r));
  }
  s.end();
  await closed;
}

function post(c: SenderConfig, agent: http.Agent, body: Buffer): Promise<{ status: number; text: string; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: c.host,
        port: c.port,
        method: 'POST',
        path: '/api/v1/events',
        agent,
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'text/plain', 'content-length': body.length },
        timeout: c.requestTimeoutMs ?? 120_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request timed out after ${c.requestTimeoutMs ?? 120_000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function sendHttp(c: SenderConfig, batches: Buffer[], counts: number[], out: SenderResult): Promise<void> {
  const concurrency = Math.max(1, c.concurrency ?? 4);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const i = next++;
      let backoff = 25;
      for (;;) {
        const t0 = performance.now();
        const r = await post(c, agent, batches[i]!);
        if (r.status === 503 || r.status === 429) {
          // Overload is the server's back-pressure working: retry soon, but count it.
          out.retries++;
          await new Promise((res) => setTimeout(res, Math.min(backoff, (r.retryAfter || 1) * 1000)));
          backoff = Math.min(backoff * 2, 500);
          continue;
        }
        if (r.status !== 200) throw new Error(`POST /api/v1/events answered ${r.status}: ${r.text.slice(0, 300)}`);
        const accepted = (JSON.parse(r.text) as { accepted?: number }).accepted;
        if (accepted !== counts[i]) throw new Error(`batch ${i}: sent ${counts[i]} lines, server accepted ${accepted}`);
        out.latenciesMs.push(performance.now() - t0);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? '') as SenderConfig;
  const g0 = performance.now();
  const { parts, lines, bytes } = generate(c);
  const out: SenderResult = { mode: c.mode, events: c.events, bytes, genMs: performance.now() - g0, sendMs: 0, latenciesMs: [], retries: 0, cpuUserMs: 0, cpuSystemMs: 0 };
  process.stdout.write(`READY ${JSON.stringify({ events: c.events, bytes })}\n`);

  // Wait for the go signal; if the parent goes away, so do we.
  const rl = createInterface({ input: process.stdin });
  let going = false;
  await new Promise<void>((resolve) => {
    rl.on('line', (l) => {
      if (l.trim() === 'go') (going = true), resolve();
    });
    rl.on('close', () => going || process.exit(2));
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (c.mode === 'tcp') await Promise.all(parts.map((chunks) => sendTcp(c, chunks)));
  else await sendHttp(c, parts[0]!, lines[0]!, out);
  out.sendMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.cpuUserMs = cpu.user / 1000;
  out.cpuSystemMs = cpu.system / 1000;
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
  rl.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`sender failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
