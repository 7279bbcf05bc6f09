// Content-Encoding for HEC bodies: identity or gzip (the only compression Splunk, Fluent Bit, Vector and
// the OpenTelemetry exporter send), with Splunk's answers for what cannot be read.
import { decompress } from '../decompress.js';
import { HecError } from './replies.js';

export async function decodeBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const r = await decompress(body, contentEncoding, maxBytes, { deflate: false });
  if (r.ok) return r.body;
  if (r.problem === 'too_large') throw new HecError('payload_too_large', { text: `Decompressed content too large (maximum is ${maxBytes})` });
  // Splunk has no code for an unknown encoding; the bytes cannot be read, so: invalid data format.
  throw new HecError('invalid_data_format');
}
