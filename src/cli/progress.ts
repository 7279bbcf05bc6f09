// A one-line progress bar on stderr: bytes done, events/s and time left. Redrawn at most 5x a second;
// when stderr is not a terminal, a plain line every 5 seconds instead.
export class Progress {
  private readonly start = Date.now();
  private lastDraw = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number | null,
  ) {}

  update(bytes: number, events: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < (this.tty ? 200 : 5000)) return;
    this.lastDraw = now;
    const secs = Math.max(0.001, (now - this.start) / 1000);
    const rate = events / secs;
    let line = `${this.label}: ${events.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s`;
    if (this.totalBytes) {
      const frac = Math.min(1, bytes / this.totalBytes);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = frac > 0 ? (secs / frac) * (1 - frac) : 0;
      line =
        `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ` +
        `${events.toLocaleString('en')} events ${Math.round(rate).toLocaleString('en')}/s ETA ${formatSecs(eta)}`;
    }
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(bytes: number, events: number): void {
    this.update(bytes, events, true);
    if (this.tty) process.stderr.write('\n');
  }
}

function formatSecs(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
