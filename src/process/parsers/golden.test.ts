// The shared parser contract suite. For every parser folder with fixtures/:
//   fixtures/NAME.log            one text record per line (codec text: syslog headers are read)
//   fixtures/NAME.ndjson         one JSON record per line (codec json)
//   fixtures/NAME.json           one JSON record (the whole file; may be a container like CloudTrail's)
//   fixtures/NAME.ecs.json       the expected events, as an array, in order
// Each record goes through the whole pipeline with every parser registered, so detection is tested
// too: every event must come from this folder's parser (or from the parser named in NAME.parser when
// a fixture shows a hand-off), with status "parsed" unless the fixture name says partial/unparsed.
// UPDATE_GOLDEN=1 npm test rewrites every .ecs.json file; UPDATE_GOLDEN=sshd,sudo only those folders'.
// Review them as diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEntry } from '../pipeline.js';
import { ParserRegistry } from './registry.js';
import { PARSERS } from './registry.generated.js';
import type { Codec } from '../../queue/entry.js';
import type { EcsDoc } from '../../core/event.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const RECEIVED = new Date('2026-11-23T12:00:00.000Z');
const UPDATE = process.env.UPDATE_GOLDEN ?? '';
const updating = (folder: string) => UPDATE === '1' || UPDATE.split(',').includes(folder);

export function runFixture(path: string, registry: ParserRegistry, tenant = 'fixture'): EcsDoc[] {
  const text = readFileSync(path, 'utf8');
  let codec: Codec = 'text';
  let records: Buffer[];
  if (path.endsWith('.json')) {
    codec = 'json';
    records = [Buffer.from(JSON.stringify(JSON.parse(text)))];
  } else {
    codec = path.endsWith('.ndjson') ? 'json' : 'text';
    records = text.split('\n').filter((l) => l.trim() !== '').map((l) => Buffer.from(l));
  }
  const events = processEntry(
    { offset: 0, size: 0, entry: { meta: { tenant, input: 'fixture', codec, received: RECEIVED.getTime() }, records } },
    { registry },
  );
  return events.map((e) => {
    const d = e.doc as any;
    delete d.event.ingested; // the same for every fixture; noise in the goldens
    return d;
  });
}

const registry = new ParserRegistry();
const folders = readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'fixtures')));

test('every registered parser has fixtures', () => {
  const withFixtures = new Set(folders.map((f) => f.name));
  const missing = PARSERS.map((p) => p.id).filter((id) => id !== 'json' && !withFixtures.has(id));
  assert.deepEqual(missing, [], `parsers without fixtures: ${missing.join(', ')}`);
});

for (const folder of folders) {
  const dir = join(here, folder.name, 'fixtures');
  // Every golden needs its input beside it: a golden whose input is missing (not committed, say)
  // must fail rather than quietly test nothing.
  test(`${folder.name}: every .ecs.json has its input file`, () => {
    const names = readdirSync(dir);
    const orphans = names
      .filter((n) => n.endsWith('.ecs.json'))
      .map((n) => n.slice(0, -'.ecs.json'.length))
      .filter((base) => !['log', 'ndjson', 'json'].some((ext) => names.includes(`${base}.${ext}`)));
    assert.deepEqual(orphans, [], `goldens without input in ${folder.name}/fixtures`);
  });
  for (const name of readdirSync(dir).sort()) {
    const m = /^(.*)\.(log|ndjson|json)$/.exec(name);
    if (!m || name.endsWith('.ecs.json')) continue;
    const base = m[1]!;
    test(`${folder.name}: ${name}`, () => {
      const events = runFixture(join(dir, name), registry);
      assert.ok(events.length > 0, 'the fixture has records');
      const owner = existsSync(join(dir, `${base}.parser`)) ? readFileSync(join(dir, `${base}.parser`), 'utf8').trim() : folder.name;
      const expectStatus = /partial/.test(base) ? 'partial' : /unparsed/.test(base) ? 'unparsed' : 'parsed';
      events.forEach((e: any, i) => {
        assert.equal(e.vigil.parse.status, expectStatus, `record ${i + 1}: status (${e.vigil.parse.error ?? ''})`);
        if (expectStatus !== 'unparsed') assert.equal(e.vigil.parse.parser, owner, `record ${i + 1} was taken by ${e.vigil.parse.parser}`);
      });
      const golden = join(dir, `${base}.ecs.json`);
      if (updating(folder.name) || !existsSync(golden)) {
        if (!updating(folder.name)) assert.fail(`no ${base}.ecs.json: run UPDATE_GOLDEN=${folder.name} npm test and review it`);
        writeFileSync(golden, JSON.stringify(events, null, 2) + '\n');
        return;
      }
      assert.deepEqual(events, JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
}
