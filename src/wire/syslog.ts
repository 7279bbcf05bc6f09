// The pieces of RFC 5424 and RFC 6587 that every syslog Vigil sends shares (re-forwarded events and
// alert notifications): its structured-data id, SD-PARAM escaping, and octet-counting framing.

/**
 * Vigil's SD-ID. 32473 is the enterprise number RFC 5612 reserves for documentation: a registered
 * number would replace it here, for every message Vigil sends.
 */
export const SD_ID = 'vigil@32473';

/** An SD-PARAM value: `"`, `\` and `]` are escaped with a backslash (RFC 5424 section 6.3.3). */
export function sdEscape(v: string): string {
  return v.replace(/["\\\]]/g, (c) => '\\' + c);
}

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export function octetCounted(msg: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${msg.length} `, 'ascii'), msg]);
}
