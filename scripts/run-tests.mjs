// Runs the test suites with Node's own runner (its closing summary is what CI reads).
//   unit:   every src/**/*.test.ts and test/**/*.test.ts except *.system.test.ts
//   system: every *.system.test.ts (needs the Debian packages that scripts/system-setup.sh installs)
//   corpus: test/corpus/*.test.ts against ../shared/corpus (VIGIL_CORPUS)
// Extra arguments are file filters: `node scripts/run-tests.mjs unit wal` runs files whose path contains "wal".
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [suite = 'unit', ...filters] = process.argv.slice(2);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const all = [...walk('src'), ...walk('test')].sort();
const pick = {
  unit: (f) => !f.endsWith('.system.test.ts') && !f.startsWith('test/corpus'),
  system: (f) => f.endsWith('.system.test.ts'),
  corpus: (f) => f.startsWith('test/corpus'),
}[suite];
if (!pick) {
  console.error(`unknown suite "${suite}" (unit, system, corpus)`);
  process.exit(2);
}
const files = all.filter(pick).filter((f) => filters.every((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files for suite "${suite}"`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
