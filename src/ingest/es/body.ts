// Request bodies as Elasticsearch clients send them: plain, or gzip/deflate when compression is on
// (Beats' compression_level, Logstash's http_compression, Fluent Bit's compress, Vector's compression),
// with Elasticsearch's errors for what cannot be read.
import { decompress } from '../decompress.js';
import { EsError, tooLarge } from './errors.js';

export async function decodeBody(body: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const r = await decompress(body, contentEncoding, limit);
  if (r.ok) return r.body;
  if (r.problem === 'too_large') throw tooLarge(limit, 'decompressed request body');
  if (r.problem === 'unsupported_encoding') throw new EsError(400, 'illegal_argument_exception', `unsupported Content-Encoding [${contentEncoding}]; Vigil accepts gzip and deflate`);
  throw new EsError(400, 'parse_exception', `request ${r.message}`);
}
