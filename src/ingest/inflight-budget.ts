// The bytes of request bodies an HTTP input holds in memory at once, across all its requests: a
// request reserves its declared size (at most the body limit) before its body is read, and gives it
// back when its connection closes, so many concurrent senders cannot exhaust memory.
import type { FastifyRequest } from 'fastify';

/** The default budget: four maximal bodies, and at least 256 MiB. */
export function defaultInflightBytes(bodyLimit: number): number {
  return Math.max(bodyLimit * 4, 256 * 1024 * 1024);
}

export class InflightBudget {
  private used = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly bodyLimit: number,
  ) {}

  /** Reserves the request's declared body size until its connection closes; false when over budget. */
  reserve(req: FastifyRequest): boolean {
    const declared = Number(req.headers['content-length'] ?? this.bodyLimit);
    const cost = Math.min(Number.isFinite(declared) ? declared : this.bodyLimit, this.bodyLimit);
    if (this.used + cost > this.maxBytes) return false;
    this.hold(req, cost);
    return true;
  }

  /** Counts bytes already in memory (a decompressed body) until the connection closes, without refusing. */
  hold(req: FastifyRequest, bytes: number): void {
    this.used += bytes;
    req.raw.once('close', () => (this.used -= bytes));
  }
}
