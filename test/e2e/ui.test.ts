// The web UI's static files as the real server serves them: public (a sign-in page must be), with a
// policy that forbids inline script and other origins, and nothing else reachable under /ui/. The data
// the page shows comes from /api/v1, which still needs a token (isolation.test.ts).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, api, ROOT, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig } from '../helpers/tenants.js';

describe('web UI files', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => {
    await v?.stop();
  });

  test('/ui/ serves the page, its script and its style sheet, byte for byte, with their types', async () => {
    for (const [path, file, type] of [
      ['/ui/', 'index.html', 'text/html'],
      ['/ui/app.js', 'app.js', 'text/javascript'],
      ['/ui/app.css', 'app.css', 'text/css'],
    ] as const) {
      const r = await api(v, null, 'GET', path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
      assert.equal(r.text, readFileSync(join(ROOT, 'src/ui/assets', file), 'utf8'), path);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('/ui redirects to /ui/', async () => {
    const res = await fetch(v.url + '/ui', { redirect: 'manual' });
    assert.ok(res.status === 301 || res.status === 302, String(res.status));
    assert.equal(res.headers.get('location'), '/ui/');
  });

  test('nothing else under /ui/ is served, and the page carries no inline script', async () => {
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/routes.ts', '/ui/assets/app.js', '/ui/nope.js']) {
      const r = await api(v, null, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.doesNotMatch(r.text, /"name": "vigil"/);
    }
    const page = await api(v, null, 'GET', '/ui/');
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/, 'a script element without src');
    assert.doesNotMatch(page.text, /\son[a-z]+=/i, 'an inline event handler');
  });
});
