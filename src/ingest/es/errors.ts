// Errors in Elasticsearch's own shape: shippers read `error.type` and the HTTP status, not Vigil's catalogue.
//   {"error":{"root_cause":[{"type":T,"reason":R}],"type":T,"reason":R},"status":N}
import type { FastifyError } from 'fastify';
import { VigilError } from '../../core/errors.js';

export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    /** Extra fields of the error object (Elasticsearch puts `header`, `index`, `resource.id` … there). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
    this.name = 'EsError';
  }

  toJSON(): Record<string, unknown> {
    const cause = { type: this.type, reason: this.reason, ...this.extra };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

export const badRequest = (reason: string): EsError => new EsError(400, 'illegal_argument_exception', reason);

/** A request that named no credentials at all, or ones that match no token. */
export function unauthenticated(path: string, missing: boolean): EsError {
  const reason = missing
    ? `missing authentication credentials for REST request [${path}]`
    : `unable to authenticate with provided credentials for REST request [${path}]`;
  return new EsError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': WWW_AUTHENTICATE } });
}

/** What Elasticsearch offers in WWW-Authenticate: Basic and ApiKey (Bearer is Vigil's own scheme). */
export const WWW_AUTHENTICATE = ['Basic realm="vigil" charset="UTF-8"', 'ApiKey', 'Bearer realm="vigil"'];

/**
 * Any error raised on the Elasticsearch surface, in Elasticsearch's shape. Vigil's own errors come from
 * the shared auth hook and from tenant resolution; Fastify's from body parsing.
 */
export function toEsError(err: unknown, path: string, missingCredentials: boolean, bodyLimit: number): EsError {
  if (err instanceof EsError) return err;
  if (err instanceof VigilError) {
    switch (err.code) {
      case 'unauthorized':
        return unauthenticated(path, missingCredentials);
      case 'forbidden':
        return new EsError(403, 'security_exception', `action is unauthorized: ${err.message}`);
      case 'not_found':
        return new EsError(404, 'resource_not_found_exception', err.message);
      case 'payload_too_large':
      case 'line_too_long':
        return tooLarge(bodyLimit);
      case 'overloaded':
        return rejected(err.message);
      case 'internal':
        return internal();
      default:
        return err.status >= 500 ? internal() : badRequest(err.message);
    }
  }
  const code = (err as FastifyError | undefined)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(bodyLimit);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new EsError(406, 'media_type_header_exception', 'Invalid media-type value on header [Content-Type]');
  const status = (err as FastifyError | undefined)?.statusCode;
  if (status && status >= 400 && status < 500) return badRequest((err as Error).message);
  return internal();
}

export const tooLarge = (limit: number, what = 'request body'): EsError =>
  new EsError(413, 'content_too_long_exception', `${what} is larger than Vigil's limit of ${limit} bytes (http.body_limit_bytes)`);

export const rejected = (why: string): EsError =>
  new EsError(429, 'es_rejected_execution_exception', `rejected execution of bulk request: ${why}`);

const internal = (): EsError => new EsError(500, 'exception', 'internal error');
