// The forward protocol's optional handshake (spec v1, "Handshake Messages"), used when the listener has
// a shared_key: the server sends HELO with a fresh nonce, the client answers PING with
//   sha512_hex(shared_key_salt + client_hostname + nonce + shared_key)
// and the server answers PONG with its own digest over its hostname, or refuses and disconnects.
// Username/password authorization is not offered (HELO's `auth` is empty, as the spec allows).
// Salt and nonce are raw bytes that fluentd and Fluent Bit send as msgpack str: they are read and
// written here as bytes, never through UTF-8.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { encode } from '@msgpack/msgpack';

export interface Handshake {
  nonce: Buffer;
  sharedKey: string;
  hostname: string;
}

export function newHandshake(sharedKey: string, hostname: string): Handshake {
  return { nonce: randomBytes(16), sharedKey, hostname };
}

/** ["HELO", {nonce, auth: "", keepalive: true}], the nonce as a 16-byte str as fluentd sends it. */
export function helo(h: Handshake): Buffer {
  const key = (s: string) => Buffer.concat([Buffer.from([0xa0 | s.length]), Buffer.from(s, 'latin1')]);
  return Buffer.concat([
    Buffer.from([0x92]),
    key('HELO'),
    Buffer.from([0x83]),
    key('nonce'),
    Buffer.from([0xa0 | h.nonce.length]),
    h.nonce,
    key('auth'),
    Buffer.from([0xa0]),
    key('keepalive'),
    Buffer.from([0xc3]),
  ]);
}

export function digest(salt: Uint8Array, hostname: Uint8Array | string, nonce: Uint8Array, sharedKey: string): string {
  return createHash('sha512').update(salt).update(hostname).update(nonce).update(sharedKey).digest('hex');
}

export type PingResult = { ok: true; pong: Buffer } | { ok: false; pong: Buffer; reason: string };

const bytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? v : typeof v === 'string' ? Buffer.from(v, 'utf8') : null);

/**
 * Checks a PING, decoded with strings as raw bytes:
 * ["PING", client_hostname, shared_key_salt, shared_key_hexdigest, username, password].
 */
export function checkPing(h: Handshake, msg: unknown): PingResult {
  const refuse = (reason: string): PingResult => ({ ok: false, reason, pong: Buffer.from(encode(['PONG', false, reason, '', ''])) });
  if (!Array.isArray(msg) || msg.length !== 6) return refuse('expected a PING');
  const [type, host, salt, hex] = msg.map(bytes);
  if (!type || Buffer.from(type).toString('latin1') !== 'PING') return refuse('expected a PING');
  if (!host || !salt || !hex) return refuse('malformed PING');
  const expected = Buffer.from(digest(salt, host, h.nonce, h.sharedKey), 'latin1');
  const given = Buffer.from(hex);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('shared_key mismatch');
  return { ok: true, pong: Buffer.from(encode(['PONG', true, '', h.hostname, digest(salt, h.hostname, h.nonce, h.sharedKey)])) };
}
