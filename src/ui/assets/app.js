// Vigil's web UI: search, coverage, alerts and sources over the /api/v1 endpoints, with the token the
// user signs in with. Plain browser JavaScript, no build step. Every value from the server is put on the
// page with textContent, never as HTML: log lines are attacker-controlled text.

const $ = (sel) => document.querySelector(sel);
const VIEWS = ['search', 'coverage', 'alerts', 'sources', 'outputs'];
const session = {
  get token() { return sessionStorage.getItem('vigil.token') ?? ''; },
  get tenant() { return sessionStorage.getItem('vigil.tenant') ?? ''; },
  set(token, tenant) { sessionStorage.setItem('vigil.token', token); sessionStorage.setItem('vigil.tenant', tenant); },
  clear() { sessionStorage.removeItem('vigil.token'); sessionStorage.removeItem('vigil.tenant'); },
};

/** GET an API path with the session's token (and tenant, for admin tokens); the JSON body or an Error naming the problem. */
async function api(path, params = {}) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  if (session.tenant) qs.set('tenant', session.tenant);
  const res = await fetch(`${path}?${qs}`, { headers: { authorization: `Bearer ${session.token}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    // Vigil's errors are {"error": {"code", "message", ...}} (docs/errors.md).
    const err = new Error(body.error?.message ?? `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

function showError(err) {
  const p = $('#error');
  if (!err) {
    p.hidden = true;
    p.textContent = '';
    return;
  }
  p.textContent = err instanceof Error ? err.message : String(err);
  p.hidden = false;
  if (err.status === 401) signOut();
}

/** A table cell (or any element) holding text only. */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, cls) {
  const tr = el('tr', undefined, cls);
  for (const c of cells) tr.append(c instanceof Node ? c : el('td', c));
  return tr;
}

/** A dotted ECS path of a document; arrays are joined. */
function field(doc, path) {
  let v = doc;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return '';
    v = k in v ? v[k] : undefined;
    if (v === undefined) return '';
  }
  if (Array.isArray(v)) return v.join(', ');
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function show(view) {
  for (const v of VIEWS) $(`#${v}-view`).hidden = v !== view;
  for (const b of document.querySelectorAll('#nav [data-view]')) b.classList.toggle('active', b.dataset.view === view);
  location.hash = view;
  showError(null);
  if (view === 'coverage') loadCoverage();
  if (view === 'alerts') loadAlerts();
  if (view === 'sources') loadSources();
  if (view === 'outputs') loadOutputs();
}

// ---------------------------------------------------------------- sign in

async function signIn(token, tenant) {
  session.set(token, tenant);
  try {
    const { tenants } = await api('/api/v1/tenants');
    const names = tenants.map((t) => t.name);
    // A read token implies its tenant; an admin token must name one it can read.
    if (!tenant && names.length !== 1) throw new Error('an admin token reads one tenant at a time: name it in Tenant');
    if (tenant && !names.includes(tenant)) throw new Error(`no tenant "${tenant}" for this token`);
    if (!tenant) session.set(token, names[0]);
    await api('/api/v1/search', { q: '', limit: 0, from: '-1m' });
  } catch (err) {
    session.clear();
    throw err.status === 403 ? new Error('this token may not read (an ingest token?); use a read or admin token') : err;
  }
}

async function signedIn() {
  // Outputs are platform-wide: the view is offered to the tokens the API lets read them (admin).
  const outputs = await api('/api/v1/outputs').then(() => true, () => false);
  document.querySelector('#nav [data-view=outputs]').hidden = !outputs;
  $('#login-view').hidden = true;
  $('#nav').hidden = false;
  $('#who').textContent = `tenant ${session.tenant}`;
  const view = location.hash.slice(1);
  show(VIEWS.includes(view) && (view !== 'outputs' || outputs) ? view : 'search');
}

function signOut() {
  session.clear();
  for (const v of VIEWS) $(`#${v}-view`).hidden = true;
  $('#nav').hidden = true;
  $('#login-view').hidden = false;
}

// ---------------------------------------------------------------- search

const HIT_FIELDS = ['@timestamp', 'host.name', 'event.dataset', 'event.action', 'user.name', 'source.ip', 'message'];

async function runSearch() {
  showError(null);
  const results = $('#results');
  const stats = $('#stats');
  const view = $('#search-view');
  view.setAttribute('aria-busy', 'true');
  $('#total').textContent = 'Searching…';
  try {
    const body = await api('/api/v1/search', { q: $('#q').value, from: $('#from').value, to: $('#to').value, limit: $('#limit').value });
    if (body.rows) {
      results.hidden = true;
      stats.hidden = false;
      stats.tHead.replaceChildren(row(body.columns.map((c) => el('th', c))));
      stats.tBodies[0].replaceChildren(...body.rows.map((r) => row(r.map((v) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : v)))));
      $('#total').textContent = `${body.rows.length} rows in ${body.took_ms} ms`;
      return;
    }
    stats.hidden = true;
    results.hidden = false;
    $('#total').textContent = `${body.total} events, ${body.hits.length} shown, in ${body.took_ms} ms`;
    results.tBodies[0].replaceChildren(
      ...body.hits.map((doc) => {
        const tr = row(HIT_FIELDS.map((f) => field(doc, f) || (f === 'message' ? field(doc, 'event.original') : '')), 'hit');
        tr.tabIndex = 0;
        tr.addEventListener('click', () => detail(doc));
        tr.addEventListener('keydown', (e) => e.key === 'Enter' && detail(doc));
        return tr;
      }),
    );
  } catch (err) {
    results.hidden = true;
    stats.hidden = true;
    $('#total').textContent = '';
    showError(err);
  } finally {
    view.setAttribute('aria-busy', 'false');
  }
}

function detail(doc) {
  const d = $('#detail');
  d.querySelector('pre').textContent = JSON.stringify(doc, null, 2);
  d.showModal();
}

// ---------------------------------------------------------------- coverage, alerts, sources

async function loadCoverage() {
  try {
    const c = await api('/api/v1/coverage', { tier: $('#tier').value, from: $('#cov-from').value });
    $('#summary').replaceChildren(
      ...Object.entries(c.summary).map(([status, n]) => {
        const card = el('div', undefined, `card ${status}`);
        card.append(el('strong', n), el('span', status.replace('_', ' ')));
        return card;
      }),
    );
    $('#coverage').tBodies[0].replaceChildren(
      ...c.requirements.map((r) => {
        const status = el('td', r.status.replace('_', ' '), `status ${r.status}`);
        const tr = row([r.id, r.title, status, r.events, (r.sources ?? []).map((s) => s.name).join(', '), (r.missing_fields ?? []).join(', ')]);
        tr.dataset.id = r.id;
        if (r.status === 'inherited' && r.inherited_from) tr.title = `inherited from ${r.inherited_from}`;
        return tr;
      }),
    );
  } catch (err) {
    showError(err);
  }
}

/** Fills a table's body with one row per item of an API list; a failure shows as the page's error. */
async function fillTable(table, path, params, list, toRow) {
  try {
    const body = await api(path, params);
    $(table).tBodies[0].replaceChildren(...body[list].map(toRow));
  } catch (err) {
    showError(err);
  }
}

const loadAlerts = () =>
  fillTable('#alerts', '/api/v1/alerts', { from: '-7d', limit: 500 }, 'alerts', (x) => {
    const tr = row([x.last_time, el('td', x.rule.level, `level ${x.rule.level}`), x.rule.title, x.count, Object.entries(x.group_by).map(([k, v]) => `${k}=${v}`).join(' '), x.attack.join(', ')], 'alert');
    tr.tabIndex = 0;
    tr.addEventListener('click', () => detail(x));
    return tr;
  });

const loadSources = () =>
  fillTable('#sources', '/api/v1/sources', {}, 'sources', (x) =>
    row([x.name, el('td', x.status, `status ${x.status}`), x.events, x.last_seen, `${x.expected_within_s} s (${x.expectation})`], 'source'),
  );

const loadOutputs = () =>
  fillTable('#outputs', '/api/v1/outputs', {}, 'outputs', (x) =>
    row(
      [x.name, x.type, el('td', x.state, `status ${x.state}`), x.sent, x.failed, x.retried, x.dropped, `${x.backlog_events} (${x.backlog_bytes} B)`, x.last_error ? `${x.last_error.at}: ${x.last_error.message}` : ''],
      'output',
    ),
  );

// ---------------------------------------------------------------- wiring

$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(null);
  try {
    await signIn($('#token').value.trim(), $('#tenant').value.trim());
    $('#token').value = '';
    await signedIn();
  } catch (err) {
    showError(err);
  }
});
$('#search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void runSearch();
});
$('#coverage-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void loadCoverage();
});
for (const b of document.querySelectorAll('#nav [data-view]')) b.addEventListener('click', () => show(b.dataset.view));
$('#logout').addEventListener('click', signOut);
$('#detail-close').addEventListener('click', () => $('#detail').close());

if (session.token) void signedIn();
