// The `tls` keys every network sink shares (syslog over tls://, and https:// for the HTTP sinks), and
// turning them into Node's TLS options. ca/cert/key are file paths, or PEM text inline (a config can
// fill it from the environment with ${VAR}); files are read once when the output is built, so a
// missing file stops start-up instead of failing every send.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';

export const tlsSchema = z
  .object({
    /** CA certificates to trust instead of Node's bundled roots (a private PKI, a self-signed peer). */
    ca: z.string().min(1).optional(),
    /** A client certificate and its key, for peers that require mutual TLS. */
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    /** false accepts any certificate: for tests only, it gives up on knowing who the peer is. */
    reject_unauthorized: z.boolean().default(true),
    /** The name to check the certificate against (and send as SNI); default the URL's host. */
    server_name: z.string().min(1).optional(),
  })
  .strict()
  .refine((t) => !t.cert === !t.key, { message: 'cert and key go together (mutual TLS)' });

export type TlsSettings = z.output<typeof tlsSchema>;

function pem(value: string, key: string, output: string): string | Buffer {
  if (value.includes('-----BEGIN ')) return value;
  try {
    return readFileSync(value);
  } catch (err) {
    throw new Error(`output "${output}": tls.${key}: cannot read ${value} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Node's TLS options for these settings; throws naming the key when a file cannot be read. */
export function tlsConnectionOptions(t: TlsSettings | undefined, output: string): ConnectionOptions {
  if (!t) return {};
  return {
    rejectUnauthorized: t.reject_unauthorized,
    ...(t.ca ? { ca: pem(t.ca, 'ca', output) } : {}),
    ...(t.cert ? { cert: pem(t.cert, 'cert', output) } : {}),
    ...(t.key ? { key: pem(t.key, 'key', output) } : {}),
    ...(t.server_name ? { servername: t.server_name } : {}),
  };
}
