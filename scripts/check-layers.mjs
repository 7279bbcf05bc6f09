// Keeps the data flow one-way: each folder under src/ may import only from the folders listed for it.
// Run in CI; prints every offending import and exits 1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ALLOWED = {
  core: [],
  config: ['core'],
  queue: ['core'],
  wire: ['core'], //          wire formats shared by an input and an output (Loki push, OTLP)
  ql: ['core'], //           the query language: syntax only, no storage
  catalog: ['core', 'ql'], //  the requirements catalogue (data + loader)
  auth: ['core', 'config', 'queue'],
  tenants: ['core', 'config', 'auth'],
  http: ['core', 'config', 'auth'],
  ingest: ['core', 'config', 'queue', 'auth', 'http', 'wire'],
  process: ['core', 'queue', 'store', 'ql', 'catalog'],
  store: ['core'],
  query: ['core', 'store', 'ql', 'catalog'],
  monitor: ['core', 'queue', 'store', 'query'], // the silent-source watch
  detect: ['core', 'config', 'queue', 'store', 'ql', 'wire'], // Sigma rules, correlations, alerts, notifications
  forward: ['core', 'config', 'queue', 'store', 'ql', 'process', 'wire'], // re-forwarding to other systems
  api: ['core', 'config', 'auth', 'http', 'tenants', 'store', 'ql', 'catalog', 'query', 'detect'],
  ui: ['core'], //            the web UI's static files; it reads data through the API like any client
  cli: ['core', 'config', 'ql', 'catalog', 'query', 'detect', 'process', 'queue', 'main.js'],
};

const src = resolve('src');
const files = [];
(function walk(d) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
  }
})(src);

const layerOf = (p) => relative(src, p).split('/')[0];
const problems = [];
for (const f of files) {
  const from = layerOf(f);
  if (from === 'main.ts') continue; // the composition root may import everything
  const allowed = ALLOWED[from];
  if (!allowed) {
    problems.push(`${relative('.', f)}: folder src/${from} has no entry in scripts/check-layers.mjs`);
    continue;
  }
  const text = readFileSync(f, 'utf8');
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = layerOf(resolve(dirname(f), m[1]));
    if (target !== from && !allowed.includes(target)) problems.push(`${relative('.', f)} imports ${m[1]} (src/${from} -> src/${target} points upstream)`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`layers ok: ${files.length} files import only downstream`);
