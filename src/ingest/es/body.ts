// Request bodies as Elasticsearch clients send them: plain, or gzip/deflate when compression is on
// (Beats' compression_level, Logstash's http_compression, Fluent Bit's compress, Vector's compression).
// The decoded size is held to the same limit as a plain body, so a small gzip cannot expand without bound.
import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import { promisify } from 'node:util';
import { EsError, tooLarge } from './errors.js';

const gunzipAsync = promisify<InputType, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<InputType, ZlibOptions, Buffer>(inflate);

export async function decodeBody(body: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || body.length === 0) return body;
  const decode = encoding === 'gzip' || encoding === 'x-gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : null;
  if (!decode) throw new EsError(400, 'illegal_argument_exception', `unsupported Content-Encoding [${contentEncoding}]; Vigil accepts gzip and deflate`);
  try {
    return await decode(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limit, 'decompressed request body');
    throw new EsError(400, 'parse_exception', `request body is not valid ${encoding}: ${(err as Error).message}`);
  }
}
