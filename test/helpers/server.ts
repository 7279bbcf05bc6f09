// Starts the real `vigil serve` process for end-to-end tests: its own data dir, ports chosen by the OS
// (read back from its start-up line), and kill -9 for crash tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import http from 'node:http';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/main.ts');

export interface VigilProcess {
  child: ChildProcess;
  url: string;
  dataDir: string;
  configPath: string;
  syslog: Record<string, number>; // "tcp" | "udp" | "tls" -> port (first listener of each)
  adminToken: string;
  stderr: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

// A test file that times out is ended without its after() hooks: its servers must not outlive it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function tempDir(prefix = 'vigil-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a config file; `data_dir` defaults to a fresh temp dir, ports to 0 (any free port). */
export function writeConfig(yaml: string, dir = tempDir()): { path: string; dir: string } {
  const path = join(dir, 'vigil.yaml');
  writeFileSync(path, yaml);
  return { path, dir };
}

export async function startVigil(opts: { configPath?: string; dataDir?: string; env?: Record<string, string> } = {}): Promise<VigilProcess> {
  const dataDir = opts.dataDir ?? tempDir();
  const args = ['--import', 'tsx', CLI, 'serve', '--data-dir', dataDir];
  if (opts.configPath) args.push('--config', opts.configPath);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<string>((resolvePromise, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n') && out.includes('admin token')) resolvePromise(out);
    });
    child.once('exit', (code) => reject(new Error(`vigil exited with ${code} before it was ready:\n${err}`)));
    setTimeout(() => reject(new Error(`vigil did not start in 30s:\n${out}\n${err}`)), 30_000).unref();
  });
  const banner = await ready;
  const url = /listening on (http:\/\/\S+?),?\s/.exec(banner + ' ')?.[1];
  if (!url) throw new Error(`no URL in banner: ${banner}`);
  const syslog: Record<string, number> = {};
  for (const m of banner.matchAll(/syslog (tcp|udp|tls):(\d+)/g)) syslog[m[1]!] ??= Number(m[2]);
  const adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const exited = once(child, 'exit');
  return {
    child,
    url: url.replace(/,$/, ''),
    dataDir,
    configPath: opts.configPath ?? '',
    syslog,
    adminToken,
    stderr: () => err,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A clean stop drains the queue, so it takes a moment; one that never ends is a bug to show, not
      // a test to hang on.
      const timer = setTimeout(() => {
        console.error(`# vigil did not stop within 30 s of SIGTERM; its stderr:\n${err.slice(-4000)}`);
        child.kill('SIGKILL');
      }, 30_000);
      await exited;
      clearTimeout(timer);
      if (child.signalCode === 'SIGKILL') throw new Error(`vigil did not stop within 30 s of SIGTERM: ${err.slice(-2000)}`);
    },
  };
}

export async function api(
  v: { url: string },
  token: string | null,
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; headers: Headers; text: string }> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] ??= typeof body === 'string' ? 'text/plain' : 'application/json';
  }
  const res = await fetch(v.url + path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, headers: res.headers, text };
}

/** Polls a search until `predicate` holds (events become searchable asynchronously after the ack). */
export async function searchUntil(
  v: { url: string },
  token: string,
  params: Record<string, string>,
  predicate: (r: any) => boolean,
  timeoutMs = 15_000,
): Promise<any> {
  const qs = new URLSearchParams({ from: '-30d', to: 'now+1d', ...params });
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const r = await api(v, token, 'GET', `/api/v1/search?${qs}`);
    last = r.json;
    if (r.status === 200 && predicate(r.json)) return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`search ${JSON.stringify(params)} did not reach the expected state: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/**
 * POSTs headers declaring a body of `declaredLength` bytes but sends none, and reads the answer: a
 * server that refuses by Content-Length (413) answers at once. Sending the oversized body instead
 * races the server's close against the client's write.
 */
export function postDeclaringLength(v: { url: string }, token: string, path: string, declaredLength: number): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const u = new URL(v.url + path);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'content-length': declaredLength } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}
