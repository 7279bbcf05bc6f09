// The web UI in a real browser: Debian's Chromium driven by playwright-core against the real server.
// Signs in with each kind of token, searches, opens an event, runs stats, and reads coverage, alerts
// and sources, all as a user would; checks that a hostile log line is shown as text and never runs, and
// that one tenant's reader never sees another's events. scripts/system-setup.sh installs chromium.
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startVigil, api, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { uniqueWord, reapWithProcess } from './util.js';

const CHROMIUM = '/usr/bin/chromium';

describe('web UI in Chromium', { timeout: 180_000 }, () => {
  let v: VigilProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let archive = '';
  let unreap: (() => void) | undefined;
  // A user of its own, so the sshd lines stay as sshd writes them and searches find only this run's.
  const user = uniqueWord('alice');
  const otherWord = uniqueWord('uiother');
  const xss = uniqueWord('uixss');

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/system-setup.sh (apt-get install chromium)`);
    // One output, so the admin's Outputs view has something to show: a file output to a temporary folder.
    archive = mkdtempSync(join(tmpdir(), 'vigil-ui-archive-'));
    v = await startVigil({ configPath: twoTenantConfig(`outputs:\n  - { name: archive, type: file, path: ${archive}, format: ndjson }\n`).path });
    unreap = reapWithProcess(v.child);
    const now = Date.now();
    const at = (i: number) => new Date(now - 60_000 + i * 1000).toISOString();
    // Ten failures for one account from one address complete the built-in brute-force correlation.
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => `<38>1 ${at(i)} bastion-1 sshd 4242 - - Failed password for ${user} from 203.0.113.9 port ${50000 + i} ssh2`),
      `<38>1 ${at(11)} bastion-1 sshd 4243 - - Accepted publickey for ${user} from 203.0.113.9 port 50100 ssh2: ED25519 SHA256:uiTestFingerprint`,
      `<14>1 ${at(12)} web-1 app 77 - - <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ${xss}`,
    ].join('\n');
    const r = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', lines, { 'content-type': 'text/plain' });
    assert.equal(r.status, 200, r.text);
    const g = await api(v, TOKENS.globex.ingest, 'POST', '/api/v1/events', `<14>1 ${at(0)} g-1 app 1 - - ${otherWord}`, { 'content-type': 'text/plain' });
    assert.equal(g.status, 200, g.text);
    await searchUntil(v, TOKENS.acme.read, { q: `user.name:${user}` }, (b) => b.total === 11);
    await searchUntil(v, TOKENS.globex.read, { q: otherWord }, (b) => b.total === 1);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterEach(() => {
    assert.deepEqual(pageErrors.splice(0), [], 'errors in the page');
  });

  after(async () => {
    await browser?.close();
    unreap?.();
    await v?.stop();
    if (archive) rmSync(archive, { recursive: true, force: true });
  });

  async function signIn(token: string, tenant = ''): Promise<void> {
    await page.goto(`${v.url}/ui/`);
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${v.url}/ui/`);
    await page.fill('#token', token);
    await page.fill('#tenant', tenant);
    await page.click('#login');
  }

  /** The text of each cell of each row matching `rows` (textContent: the same whether or not the row is laid out). */
  async function cells(rows: string): Promise<string[][]> {
    const out: string[][] = [];
    const n = await page.locator(rows).count();
    for (let i = 0; i < n; i++) out.push(await page.locator(rows).nth(i).locator('td').allTextContents());
    return out;
  }

  async function search(q: string): Promise<void> {
    await page.fill('#q', q);
    await page.fill('#from', '-1h');
    await page.fill('#to', 'now+1h');
    await page.evaluate("document.querySelector('#search-view').removeAttribute('aria-busy')");
    // The page marks the search view busy while a search runs (no script evaluation: the page's policy forbids it).
    await page.click('#run');
    await page.waitForSelector('#search-view[aria-busy="false"]');
  }

  test('a wrong token and an ingest token are refused with a message naming the problem', async () => {
    await signIn('not-a-token-0123456789');
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error')) ?? '', /token/i);
    assert.equal(await page.isVisible('#nav'), false);

    await signIn(TOKENS.acme.ingest);
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error')) ?? '', /may not read/);
    assert.equal(await page.isVisible('#nav'), false);
  });

  test('a read token searches its tenant: hits, an event in full, and a stats table', async () => {
    await signIn(TOKENS.acme.read);
    await page.waitForSelector('#nav:not([hidden])');
    assert.equal(await page.textContent('#who'), 'tenant acme');

    await search(`user.name:${user} and event.outcome:failure`);
    assert.equal(await page.locator('#results tr.hit').count(), 10);
    assert.match((await page.textContent('#total')) ?? '', /^10 events/);
    const first = (await cells('#results tr.hit'))[0]!.join('\t');
    assert.match(first, /bastion-1/);
    assert.match(first, /sshd/);
    assert.ok(first.includes(user), first);
    assert.match(first, /203\.0\.113\.9/);

    await page.locator('#results tr.hit').first().click();
    await page.waitForSelector('#detail[open]');
    const json = JSON.parse((await page.textContent('#detail pre')) ?? '{}');
    assert.equal(json.event.dataset, 'sshd');
    assert.equal(json.user.name, user);
    assert.ok(json.vigil.requirements.includes('B1.4'));
    await page.click('#detail-close');

    await search(`user.name:${user} | stats count() by event.outcome`);
    assert.equal(await page.isVisible('#stats'), true);
    const columns = await page.locator('#stats thead th').allInnerTexts();
    const [by, n] = [columns.indexOf('event.outcome'), columns.indexOf('count()')];
    assert.ok(by >= 0 && n >= 0, columns.join(','));
    const stats = await cells('#stats tbody tr');
    assert.deepEqual(Object.fromEntries(stats.map((r) => [r[by], r[n]])), { failure: '10', success: '1' });
  });

  test('a hostile log line is shown as text and never runs', async () => {
    await signIn(TOKENS.acme.read);
    await page.waitForSelector('#nav:not([hidden])');
    await search(xss);
    assert.equal(await page.locator('#results tr.hit').count(), 1);
    const text = (await cells('#results tr.hit'))[0]!.join('\t');
    assert.match(text, /<img src=x onerror="window\.__pwned=1"><script>/);
    assert.equal(await page.locator('#results img, #results script').count(), 0);
    await page.locator('#results tr.hit').click();
    await page.waitForSelector('#detail[open]');
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    await page.click('#detail-close');
  });

  test("one tenant's reader never sees another's events; an admin token names the tenant it reads", async () => {
    await signIn(TOKENS.acme.read);
    await page.waitForSelector('#nav:not([hidden])');
    await search(otherWord);
    assert.equal(await page.locator('#results tr.hit').count(), 0);
    assert.match((await page.textContent('#total')) ?? '', /^0 events/);

    await signIn(TOKENS.acme.admin);
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error')) ?? '', /name it in Tenant/);

    await signIn(TOKENS.acme.admin, 'globex');
    await page.waitForSelector('#nav:not([hidden])');
    assert.equal(await page.textContent('#who'), 'tenant globex');
    await search(otherWord);
    assert.equal(await page.locator('#results tr.hit').count(), 1);
  });

  test('the Outputs view is offered to admin tokens only, and shows what the outputs API says', async () => {
    await signIn(TOKENS.acme.read);
    await page.waitForSelector('#nav:not([hidden])');
    assert.equal(await page.isVisible('#nav [data-view=outputs]'), false);

    await signIn(TOKENS.acme.admin, 'acme');
    await page.waitForSelector('#nav:not([hidden])');
    await page.click('[data-view=outputs]');
    await page.waitForSelector('#outputs tr.output');
    const [row] = await cells('#outputs tr.output');
    const [want] = (await api(v, TOKENS.acme.admin, 'GET', '/api/v1/outputs')).json.outputs;
    assert.deepEqual(row!.slice(0, 2), ['archive', 'file']);
    assert.equal(want.name, 'archive');
    // The file output has taken the acme and globex events written so far (counts only grow).
    assert.ok(Number(row![3]) > 0 && Number(row![3]) <= want.sent, `${row![3]} sent in the view, ${want.sent} in the API`);
  });

  test('coverage, alerts and sources views show what the API says', async () => {
    await signIn(TOKENS.acme.read);
    await page.waitForSelector('#nav:not([hidden])');

    await page.click('[data-view=coverage]');
    await page.waitForSelector('#coverage tr[data-id="B2.2"]');
    const cov = (await api(v, TOKENS.acme.read, 'GET', '/api/v1/coverage?tier=all')).json;
    for (const id of ['B2.2', 'B3', 'B1.4']) {
      const want = cov.requirements.find((r: { id: string }) => r.id === id).status.replace('_', ' ');
      assert.equal(await page.textContent(`#coverage tr[data-id="${id}"] td.status`), want, id);
    }
    assert.equal(await page.textContent('#coverage tr[data-id="B3"] td.status'), 'missing');
    assert.equal(await page.locator('#coverage tbody tr').count(), cov.requirements.length);
    assert.equal(await page.textContent('#summary .card.met strong'), String(cov.summary.met));

    await page.click('[data-view=alerts]');
    // The brute-force alert commits with the batch that completes it; the view shows it once it exists.
    for (let i = 0; i < 50 && (await page.locator('#alerts tr.alert').count()) === 0; i++) {
      await page.waitForTimeout(200);
      await page.click('[data-view=alerts]');
    }
    const alerts = (await cells('#alerts tr.alert')).map((r) => r.join('\t'));
    const api_ = (await api(v, TOKENS.acme.read, 'GET', '/api/v1/alerts?from=-7d')).json.alerts as { rule: { title: string; level: string } }[];
    assert.equal(alerts.length, api_.length);
    // The brute-force correlation (ten failures, one account, one address) and B1.5's success after failures.
    const brute = alerts.find((a) => a.includes('\thigh\t') && a.includes(`user.name=${user}`) && a.includes('source.ip=203.0.113.9'));
    assert.ok(brute, alerts.join('\n'));

    await page.click('[data-view=sources]');
    await page.waitForSelector('#sources tr.source');
    const sources = (await cells('#sources tr.source')).map((r) => r.join('\t'));
    assert.ok(sources.some((s) => /^sshd@bastion-1\tactive/.test(s)), sources.join('\n'));
    assert.ok(!sources.some((s) => /g-1/.test(s)), 'no source of another tenant');

    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
    assert.equal(await page.evaluate("sessionStorage.getItem('vigil.token')"), null);
  });
});
