// One load generator per input protocol for bench/inputs.bench.ts: each turns the same log lines into
// its protocol's requests ahead of time (the clock measures Vigil, not the encoding), then sends them
// with a few requests or connections in flight, retrying what the server pushes back with 429/503.
import net from 'node:net';
import { deflateSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { encodeProtobufPushSync } from '../src/wire/loki-push.js';
import { encodeLogsRequestProtobuf, type OtlpLogRecord } from '../src/wire/otlp-logs.js';

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

/**
 * Writes each request on one connection per IN_FLIGHT share and waits for its acknowledgement before the
 * next (as Fluent Bit and Beats do with acks on): `acked(buffer)` says whether the bytes so far hold it.
 */
async function requestAck(p: Prepared, port: number, host: string, acked: (got: Buffer, sent: Buffer) => boolean): Promise<void> {
  const per = chunks(p.bodies, Math.ceil(p.bodies.length / IN_FLIGHT));
  await Promise.all(
    per.map(async (bodies) => {
      const s = net.connect(port, host);
      await new Promise<void>((r, j) => s.once('connect', r).once('error', j));
      let got = Buffer.alloc(0);
      let wake: (() => void) | null = null;
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        wake?.();
      });
      for (const b of bodies) {
        got = Buffer.alloc(0);
        s.write(b);
        while (!acked(got, b)) await new Promise<void>((r) => (wake = r));
      }
      s.end();
    }),
  );
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
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
  {
    name: 'Fluent forward (chunk acks)',
    config: (ports, tenant) => `fluent_forward:\n  - { listen: 127.0.0.1:${ports.forward}, tenant: ${tenant} }`,
    prepare: (lines) =>
      prepared(
        chunks(lines, BATCH).map((c, n) => {
          const t = Math.floor(Date.now() / 1000);
          return Buffer.from(encode(['bench.auth', c.map((l) => [t, { log: l }]), { chunk: `c${n}`, size: c.length }]));
        }),
      ),
    // The ack is a msgpack map {"ack": chunk}: its bytes end the answer.
    send: (p, t) => requestAck(p, t.ports.forward, t.host, (got) => got.length > 0 && got.includes(Buffer.from('ack'))),
  },
  {
    name: 'Beats / Lumberjack v2',
    config: (ports, tenant) => `beats:\n  - { listen: 127.0.0.1:${ports.beats}, tenant: ${tenant} }`,
    prepare: (lines) =>
      prepared(
        chunks(lines, BATCH).map((c) => {
          const frames = c.map((l, i) => {
            const json = Buffer.from(JSON.stringify({ '@timestamp': isoOf(l, i), message: l, agent: { type: 'filebeat' } }));
            return Buffer.concat([Buffer.from('2J'), u32(i + 1), u32(json.length), json]);
          });
          const z = deflateSync(Buffer.concat(frames));
          return Buffer.concat([Buffer.from('2W'), u32(c.length), Buffer.from('2C'), u32(z.length), z]);
        }),
      ),
    // Acked when "2A" + the window's last sequence number arrives (keep-alive and partial acks carry less).
    send: (p, t) =>
      requestAck(p, t.ports.beats, t.host, (got, sent) => {
        const window = sent.readUInt32BE(2);
        for (let o = 0; o + 6 <= got.length; o += 6) if (got[o] === 0x32 && got[o + 1] === 0x41 && got.readUInt32BE(o + 2) === window) return true;
        return false;
      }),
  },
  {
    name: 'Loki push (protobuf+snappy)',
    prepare: (lines) =>
      prepared(
        chunks(lines, BATCH).map((c) => {
          const ns = BigInt(Date.now()) * 1_000_000n;
          return encodeProtobufPushSync([{ labels: { job: 'varlogs', filename: '/var/log/auth.log' }, entries: c.map((line, i) => ({ ns: ns + BigInt(i), line })) }]);
        }),
      ),
    send: (p, t) => postAll(p, `${t.url}/loki/api/v1/push`, { authorization: `Bearer ${t.token}`, 'content-type': 'application/x-protobuf' }),
  },
  {
    name: 'OTLP/HTTP logs (protobuf)',
    prepare: (lines) =>
      prepared(
        chunks(lines, BATCH).map((c) => {
          const ns = BigInt(Date.now()) * 1_000_000n;
          const str = (value: string) => ({ type: 'string' as const, value });
          const logRecords: OtlpLogRecord[] = c.map((line, i) => ({
            timeUnixNano: ns + BigInt(i),
            observedTimeUnixNano: ns + BigInt(i),
            severityNumber: 9,
            severityText: 'INFO',
            eventName: '',
            body: str(line),
            attributes: [{ key: 'log.file.path', value: str('/var/log/auth.log') }],
            droppedAttributesCount: 0,
            flags: 0,
            traceId: '',
            spanId: '',
          }));
          const resource = { attributes: [{ key: 'service.name', value: str('bench') }], droppedAttributesCount: 0 };
          const scope = { name: 'filelog', version: '', attributes: [], droppedAttributesCount: 0 };
          return Buffer.from(encodeLogsRequestProtobuf({ resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords, schemaUrl: '' }], schemaUrl: '' }] }));
        }),
      ),
    send: (p, t) => postAll(p, `${t.url}/v1/logs`, { authorization: `Bearer ${t.token}`, 'content-type': 'application/x-protobuf' }),
  },
];
