// The web UI: three static files under /ui/ that call the same /api/v1 endpoints as the CLI, with the
// token the user pastes in. The files hold no data, so they are served without a token (as a login page
// must be); every request they make for data carries the token and is authorised like any other.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

// Log lines are attacker-controlled text: the page renders them with textContent only, and the policy
// forbids inline script and any other origin, so a line can never run as code.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The assets' folder: beside this module (src/ui under tsx, dist/ui once built; the build copies them). */
function assetsDir(): string {
  const dir = fileURLToPath(new URL('./assets/', import.meta.url));
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`web UI assets missing in ${dir} (run npm run build)`);
  return dir;
}

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  const dir = assetsDir();
  // Read once: three small files, and no path from a request ever reaches the file system.
  const files = new Map(Object.keys(TYPES).map((name) => [name, readFileSync(join(dir, name))]));
  const send = (reply: FastifyReply, name: string) =>
    reply
      .header('content-type', TYPES[name]!)
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(files.get(name));
  const config = { public: true };
  app.get('/ui', { config }, async (_req, reply) => reply.redirect('/ui/'));
  app.get('/ui/', { config }, async (_req, reply) => send(reply, 'index.html'));
  for (const name of ['app.js', 'app.css']) app.get(`/ui/${name}`, { config }, async (_req, reply) => send(reply, name));
}
