// Content-Encoding for HEC bodies: identity or gzip (the only compression Splunk, Fluent Bit, Vector and
// the OpenTelemetry exporter send). The decompressed size is bounded, so a small gzip bomb is refused
// with 413 instead of filling memory; zlib runs off the event loop.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { HecError } from './replies.js';

const gunzipAsync = promisify(gunzip);

export async function decodeBody(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    // Splunk has no code for an unknown encoding; the bytes cannot be read, so: invalid data format.
    throw new HecError('invalid_data_format');
  }
  if (body.length === 0) return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HecError('payload_too_large', { text: `Decompressed content too large (maximum is ${maxBytes})`, cause: err });
    }
    throw new HecError('invalid_data_format', { cause: err });
  }
}
