// Syslog over UDP (RFC 5426): one datagram, one message. UDP cannot push back, so datagrams are
// gathered for a few milliseconds into one WAL entry, and when the queue is overloaded they are
// dropped and counted (vigil_events_dropped_total{reason="overload"}), never silently.
import dgram from 'node:dgram';
import type { Intake } from '../../queue/intake.js';
import type { Metrics } from '../../core/metrics.js';
import type { Logger } from '../../core/log.js';
import { splitHostPort } from '../listen.js';

export interface UdpListenerOptions {
  listen: string;
  tenant: string;
  maxFrameBytes: number;
}

const GATHER_MS = 5;
const GATHER_MAX = 5000;

export class SyslogUdpServer {
  private socket: dgram.Socket | null = null;
  private batch = new Map<string, { peer: string; truncated: boolean; records: Buffer[] }>(); // by peer and cut flag
  private count = 0;
  private timer: NodeJS.Timeout | null = null;
  readonly input = 'syslog-udp';

  constructor(
    private readonly o: UdpListenerOptions,
    private readonly intake: Intake,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async start(): Promise<number> {
    const { host, port } = splitHostPort(this.o.listen);
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 * 1024 * 1024 });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address));
    socket.on('error', (err) => this.log.error({ err, input: this.input }, 'UDP socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return socket.address().port;
  }

  private onMessage(msg: Buffer, peer: string): void {
    if (this.intake.overloaded()) {
      this.metrics.dropped.inc({ input: this.input, reason: 'overload' });
      return;
    }
    // Some senders end datagrams with a newline or NULs; the decoder strips them.
    const truncated = msg.length > this.o.maxFrameBytes;
    const data = truncated ? msg.subarray(0, this.o.maxFrameBytes) : msg;
    const key = truncated ? peer + ' cut' : peer;
    let slot = this.batch.get(key);
    if (!slot) this.batch.set(key, (slot = { peer, truncated, records: [] }));
    slot.records.push(Buffer.from(data)); // dgram may reuse its buffer
    if (++this.count >= GATHER_MAX) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), GATHER_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batch;
    this.batch = new Map();
    this.count = 0;
    const received = Date.now();
    for (const { peer, truncated, records } of batch.values()) {
      const meta = { tenant: this.o.tenant, input: this.input, codec: 'syslog' as const, peer, received };
      this.intake
        .submit(truncated ? { ...meta, truncated } : meta, records)
        .catch((err: unknown) => {
          this.metrics.dropped.inc({ input: this.input, reason: 'queue_error' }, records.length);
          this.log.error({ err, input: this.input }, 'could not queue UDP datagrams');
        });
    }
  }

  async stop(): Promise<void> {
    this.flush();
    await new Promise<void>((r) => (this.socket ? this.socket.close(() => r()) : r()));
  }
}
