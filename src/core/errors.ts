// The error catalogue: every error Vigil returns to a client has a stable code, an HTTP status and a message.
// docs/errors.md lists the codes; a test keeps the two in step.

export const ERROR_CODES = {
  bad_request: 400,
  query_syntax: 400,
  bad_time: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  line_too_long: 413,
  unsupported_media_type: 415,
  overloaded: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'VigilError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
  toJSON(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...(this.details ?? {}) } };
  }
}
