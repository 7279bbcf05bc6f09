// One load generator per input protocol for bench/inputs.bench.ts: each turns the same log lines into
// its protocol's requests ahead of time (the clock measures Vigil, not the encoding), then sends them
// with a few requests or connections in flight, retrying what the server pushes back with 429/503.
import net from 'node:net';

export interface Target {
  url: string;
  host: string;
  ports: { syslog: number; forward: number; beats: number };
  token: string;
}

export interface Prepared {
  bytes: number;
  bodies: Buffer[];
}

export interface InputSender {
  name: string;
  /** Extra config (a listener) this input needs, given free ports. */
  config?: (ports: Target['ports'], tenant: string) => string;
  prepare(lines: string[]): Prepared;
  send(p: Prepared, t: Target): Promise<void>;
}

const BATCH = 5000;
const IN_FLIGHT = 4;

function chunks<T>(a: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
  return out;
}

function prepared(bodies: Buffer[]): Prepared {
  return { bodies, bytes: bodies.reduce((n, b) => n + b.length, 0) };
}

/** POSTs every body, IN_FLIGHT at a time; a 429/503 is retried after its Retry-After (or 100 ms). */
async function postAll(p: Prepared, url: string, headers: Record<string, string>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < p.bodies.length) {
      const body = p.bodies[next++]!;
      for (;;) {
        const r = await fetch(url, { method: 'POST', headers, body });
        await r.arrayBuffer();
        if (r.ok) break;
        if (r.status !== 429 && r.status !== 503) throw new Error(`${url}: HTTP ${r.status}`);
        await new Promise((res) => setTimeout(res, Math.min(1000, Number(r.headers.get('retry-after') ?? 0.1) * 1000)));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const isoOf = (_line: string, i: number) => new Date(Date.now() - 3_600_000 + i).toISOString();

export const SENDERS: InputSender[] = [
  {
    name: 'syslog TCP (octet-counted)',
    prepare: (lines) =>
      prepared(chunks(lines, BATCH).map((c) => Buffer.concat(c.map((l) => Buffer.from(`${Buffer.byteLength(l)} ${l}`))))),
    async send(p, t) {
      // IN_FLIGHT connections; the server's flow control paces them.
      const per = chunks(p.bodies, Math.ceil(p.bodies.length / IN_FLIGHT));
      await Promise.all(
        per.map(
          (bodies) =>
            new Promise<void>((resolve, reject) => {
              const s = net.connect(t.ports.syslog, t.host, async () => {
                for (const b of bodies) if (!s.write(b)) await new Promise((r) => s.once('drain', r));
                s.end();
              });
              s.on('error', reject);
              s.on('close', () => resolve());
            }),
        ),
      );
    },
  },
  {
    name: 'HTTP /api/v1/events (text)',
    prepare: (lines) => prepared(chunks(lines, BATCH).map((c) => Buffer.from(c.join('\n')))),
    send: (p, t) => postAll(p, `${t.url}/api/v1/events`, { authorization: `Bearer ${t.token}`, 'content-type': 'text/plain' }),
  },
  {
    name: 'Splunk HEC event',
    prepare: (lines) => prepared(chunks(lines, BATCH).map((c) => Buffer.from(c.map((l) => JSON.stringify({ event: l, sourcetype: 'syslog' })).join('')))),
    send: (p, t) => postAll(p, `${t.url}/services/collector/event`, { authorization: `Splunk ${t.token}` }),
  },
  {
    name: 'Elasticsearch _bulk',
    prepare: (lines) =>
      prepared(
        chunks(lines, BATCH).map((c) =>
          Buffer.from(c.map((l, i) => `{"create":{"_index":"logs-bench"}}\n${JSON.stringify({ '@timestamp': isoOf(l, i), message: l })}\n`).join('')),
        ),
      ),
    send: (p, t) => postAll(p, `${t.url}/_bulk`, { authorization: `Bearer ${t.token}`, 'content-type': 'application/x-ndjson' }),
  },
];
