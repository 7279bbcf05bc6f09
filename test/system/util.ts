// Shared helpers for the system tests: run external tools with bounded time, daemons run as children,
// unique search words, and "exactly n events, no duplicates" checks against a running Vigil.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import assert from 'node:assert/strict';
import { api, searchUntil } from '../helpers/server.js';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects on a non-zero exit, a signal, or after timeoutMs (killed). */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 10_000}ms\n${stderr}`));
    }, opts.timeoutMs ?? 10_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${cmd} (scripts/system-setup.sh installs it): ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n${stderr}`));
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** A search word no other test (or earlier run against the same data) can produce. */
export function uniqueWord(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until a search for `word` finds n events, waits a little longer, and checks it is still
 * exactly n with n distinct ids (nothing duplicated, nothing arriving late). Returns the hits.
 */
export async function exactly(v: { url: string }, token: string, word: string, n: number, timeoutMs = 20_000): Promise<any[]> {
  const params = { q: word, limit: String(Math.max(n * 2, 10)) };
  await searchUntil(v, token, params, (x) => x.total >= n, timeoutMs);
  await sleep(1500);
  const qs = new URLSearchParams({ from: '-30d', to: 'now+1d', ...params });
  const r = await api(v, token, 'GET', `/api/v1/search?${qs}`);
  assert.equal(r.status, 200, r.text);
  const summary = () => JSON.stringify(r.json.hits.map((h: any) => h.event?.original)).slice(0, 4000);
  assert.equal(r.json.total, n, `expected exactly ${n} events for "${word}", got ${r.json.total}: ${summary()}`);
  assert.equal(r.json.hits.length, n, summary());
  const ids = new Set(r.json.hits.map((h: any) => String(h._id)));
  assert.equal(ids.size, n, `duplicate ids among the hits for "${word}"`);
  return r.json.hits;
}

/** Asserts an ISO time stamp lies in [from - slackMs, to + slackMs]. */
export function assertTimeBetween(ts: unknown, from: number, to: number, slackMs: number, what = '@timestamp'): void {
  assert.equal(typeof ts, 'string', `${what} missing`);
  const t = Date.parse(ts as string);
  assert.ok(
    t >= from - slackMs && t <= to + slackMs,
    `${what} ${ts as string} is not between ${new Date(from - slackMs).toISOString()} and ${new Date(to + slackMs).toISOString()}`,
  );
}

/**
 * Kills `child` with SIGKILL if this test process goes away before the suite's `after` hook ran: on
 * a normal exit, and on SIGTERM/SIGINT/SIGHUP (the test runner SIGTERMs a file that overruns its
 * timeout, and `after` hooks do not run then). The signal is re-raised afterwards. Returns the undo.
 */
export function reapWithProcess(child: { kill(sig: NodeJS.Signals): boolean }): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  const onExit = () => child.kill('SIGKILL');
  const onSignal = (sig: NodeJS.Signals) => {
    child.kill('SIGKILL');
    undo();
    process.kill(process.pid, sig);
  };
  function undo() {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
  }
  process.once('exit', onExit);
  for (const s of signals) process.once(s, onSignal);
  return undo;
}

/** A daemon run in the foreground as this test's child (rsyslogd -n, syslog-ng -F). */
export interface Daemon {
  child: ChildProcess;
  /** Its stdout and stderr so far, together. */
  output(): string;
  running(): boolean;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  halt(): Promise<void>;
}

/** Starts a daemon as a child, collecting its output; it is killed with this process if a test overruns. */
export function spawnDaemon(cmd: string, args: string[], env: Record<string, string> = {}): Daemon {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit');
  const unreap = reapWithProcess(child);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => out,
    running,
    async halt() {
      unreap();
      if (!running()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * Polls `ready` every 50 ms until it gives a value; fails with the daemon's own output when the daemon
 * exits first or `timeoutMs` pass ("<name> did not <what> in 15s").
 */
export async function waitForDaemon<T>(d: Daemon, name: string, what: string, ready: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!d.running()) throw new Error(`${name} exited (${d.child.exitCode ?? d.child.signalCode}):\n${d.output()}`);
    const v = await ready();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${name} did not ${what} in ${Math.round(timeoutMs / 1000)}s:\n${d.output()}`);
    await sleep(50);
  }
}

/** The port rsyslog wrote to an input's listenPortFileName, or undefined while it has not. */
export function portInFile(file: string): number | undefined {
  const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** Writes lines to a TCP syslog listener (LF framing) over a single connection. */
export function sendLines(port: number, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(lines.map((l) => l + '\n').join('')));
    s.setTimeout(10_000, () => s.destroy(new Error(`timed out writing to port ${port}`)));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Nov  3 08:00:01": an RFC 3164 time stamp of the instant in UTC (no year, no zone). */
export function bsd(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
