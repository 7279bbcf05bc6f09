// The body of POST /services/collector/raw: one event per line, as Splunk breaks raw data by default.
// LF ends a line (a CR before it is dropped); blank lines are no events. Bytes are kept as sent: the
// pipeline decodes them (UTF-8, or latin1 kept reversibly).
const LF = 0x0a;
const CR = 0x0d;

function blank(b: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

export function rawLines(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.length;
    const stop = end > start && body[end - 1] === CR ? end - 1 : end;
    if (!blank(body, start, stop)) out.push(body.subarray(start, stop));
    start = end + 1;
  }
  return out;
}
