// Content-Encoding for every HTTP shipper input: identity, gzip or deflate, undone off the event loop
// with the decoded size bounded, so a small gzip bomb is refused instead of filling memory. Each input
// maps the outcome to its own protocol's answer (Splunk's codes, Elasticsearch's errors, OTLP's status).
import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify<InputType, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<InputType, ZlibOptions, Buffer>(inflate);

export type Decoded =
  | { ok: true; body: Buffer }
  | { ok: false; problem: 'unsupported_encoding' | 'too_large' | 'corrupt'; encoding: string; message: string };

/** Undoes `contentEncoding` (gzip, x-gzip and, unless `deflate` is false, deflate). */
export async function decompress(body: Buffer, contentEncoding: string | undefined, maxBytes: number, opts: { deflate?: boolean } = {}): Promise<Decoded> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || body.length === 0) return { ok: true, body };
  const decode = encoding === 'gzip' || encoding === 'x-gzip' ? gunzipAsync : encoding === 'deflate' && opts.deflate !== false ? inflateAsync : null;
  if (!decode) return { ok: false, problem: 'unsupported_encoding', encoding, message: `unsupported Content-Encoding "${contentEncoding}"` };
  try {
    return { ok: true, body: await decode(body, { maxOutputLength: maxBytes }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, problem: 'too_large', encoding, message: `decompressed body over ${maxBytes} bytes` };
    return { ok: false, problem: 'corrupt', encoding, message: `body is not valid ${encoding}: ${(err as Error).message}` };
  }
}
