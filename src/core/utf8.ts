// Cutting text to a byte limit, as every input and output that caps a record or a datagram must.

/** The prefix of `b` no longer than `max` bytes that does not split a UTF-8 character. */
export function cutUtf8(b: Buffer, max: number): Buffer {
  if (b.length <= max) return b;
  let end = Math.max(0, max);
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}
