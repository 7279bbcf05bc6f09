// The gRPC code in the google.rpc.Status body of each OTLP/HTTP error answer. OTLP clients act on the
// HTTP status (they retry 429, 502, 503 and 504); the code says the same thing for the logs they write.
import type { ErrorCode } from '../../core/errors.js';
import { RPC_CODE } from '../../wire/otlp-logs.js';

const CODES: Readonly<Partial<Record<ErrorCode, number>>> = {
  bad_request: RPC_CODE.INVALID_ARGUMENT,
  payload_too_large: RPC_CODE.INVALID_ARGUMENT,
  line_too_long: RPC_CODE.INVALID_ARGUMENT,
  unsupported_media_type: RPC_CODE.INVALID_ARGUMENT,
  unauthorized: RPC_CODE.UNAUTHENTICATED,
  forbidden: RPC_CODE.PERMISSION_DENIED,
  not_found: RPC_CODE.NOT_FOUND,
  overloaded: RPC_CODE.UNAVAILABLE,
};

export function rpcCode(code: ErrorCode): number {
  return CODES[code] ?? RPC_CODE.INTERNAL;
}
