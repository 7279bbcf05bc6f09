// Vigil's own structured logs: JSON lines on stderr (pino), so stdout stays free for CLI output.
import { pino, destination, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'vigil' } }, destination(2));
}
