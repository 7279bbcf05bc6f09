// For the TCP shipper protocols' tests: a raw client socket that keeps every byte the server sent, and
// says whether and when the server closed the connection.
import net from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Peer {
  data = Buffer.alloc(0);
  closed: Promise<void>;
  isClosed = false;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => (this.data = Buffer.concat([this.data, d])));
    socket.on('error', () => undefined);
    this.closed = new Promise((r) =>
      socket.on('close', () => {
        this.isClosed = true;
        r();
      }),
    );
  }
  static connect<P extends Peer>(this: new (s: net.Socket) => P, port: number): Promise<P> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new this(s)));
      s.once('error', reject);
    });
  }
  send(b: Buffer): void {
    this.socket.write(b);
  }
  async bytes(n: number, timeoutMs = 5000): Promise<Buffer> {
    const end = Date.now() + timeoutMs;
    while (this.data.length < n) {
      if (Date.now() > end) throw new Error(`waited for ${n} bytes, have ${this.data.length}: ${this.data.toString('hex')}`);
      await sleep(5);
    }
    return this.data;
  }
  async closedWithin(ms: number): Promise<boolean> {
    await Promise.race([this.closed, sleep(ms)]);
    return this.isClosed;
  }
  end(): void {
    this.socket.end();
  }
}
