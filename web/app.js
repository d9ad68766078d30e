// dualuse web UI: plain ES module, no build step, no external requests.
// Talks to the JSON API of the same server with the user's API token
// (kept in sessionStorage, so it is gone when the tab closes).
// The classification and licensing-authority screens are in their own modules.
import { initClassify, showClassify, rerenderClassify } from './classify.js';
import { initAuthority, showAuthority, rerenderAuthority } from './authority.js';
import { initAssess, showAssess, rerenderAssess } from './assess.js';
import { initScreening, loadCatalogue, listCell, entityCell, rerenderScreening } from './screening.js';

const $ = (sel, root = document) => root.querySelector(sel);
const VIEWS = ['screen', 'assess', 'classify', 'review', 'lists', 'records', 'authority'];
const AUTHORITY_ROLES = ['authority', 'admin'];
let strings = {};
let lang = localStorage.getItem('dualuse.lang') || (navigator.language || 'en').slice(0, 2);
if (!['en', 'nl'].includes(lang)) lang = 'en';
let me = null;

// ---------------------------------------------------------------- i18n
function t(key, vars = {}) {
  let s = strings[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

async function setLanguage(code) {
  const res = await fetch(`/assets/i18n/${code}.json`);
  strings = await res.json();
  lang = code;
  localStorage.setItem('dualuse.lang', code);
  document.documentElement.lang = code;
  $('#lang').value = code;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAria));
  }
  document.title = `dualuse — ${t('title_' + currentView())}`;
  rerender();
}

// ----------------------------------------------------------------- api
class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem('dualuse.token') || ''}`, 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = data.error || {};
    if (res.status === 401 && path !== '/me') logout();
    throw new ApiError(res.status, e.code || 'error', e.message || res.statusText);
  }
  return data;
}

// A non-JSON answer (decision letter, CSV) as text.
async function apiText(method, path) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem('dualuse.token') || ''}`, 'Accept-Language': lang };
  const res = await fetch(path, { method, headers });
  const text = await res.text();
  if (!res.ok) {
    let e = {};
    try { e = JSON.parse(text).error || {}; } catch { /* not JSON */ }
    throw new ApiError(res.status, e.code || 'error', e.message || res.statusText);
  }
  return text;
}

function flash(message, info = false) {
  const el = $('#flash');
  el.textContent = message;
  el.classList.toggle('info', info);
  el.hidden = !message;
}

function showError(e) {
  const key = 'err_' + (e.code || 'error');
  const text = strings[key] ? `${t(key)} (${e.message})` : e.message;
  flash(text);
}

// ------------------------------------------------------------- helpers
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (s) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

// The matched name with the parts that align with the query marked: a part
// is marked when it equals a query part after folding case and accents, or
// when one is a prefix of the other (initials, truncations) of 3+ letters.
function highlight(matched, query) {
  const q = tokens(query);
  const parts = matched.split(/([^\p{L}\p{N}]+)/u);
  return parts.map((part) => {
    const f = fold(part);
    if (!f || /^[^\p{L}\p{N}]+$/u.test(part)) return part;
    const hit = q.some((x) => x === f || (Math.min(x.length, f.length) >= 3 && (x.startsWith(f) || f.startsWith(x))));
    return hit ? h('mark', {}, part) : part;
  });
}

function statusBadge(status) {
  const cls = { clear: 'b-ok', potential_match: 'b-warn', hit: 'b-bad', not_screened: 'b-warn' }[status] || 'b-warn';
  return h('span', { class: `badge ${cls}` }, t('status_' + status));
}

function verdictBadge(v) {
  const cls = { no_licence_required: 'b-ok', general_authorisation: 'b-ok', needs_classification: 'b-warn',
    notify_authority: 'b-warn', licence_required: 'b-bad', prohibited: 'b-bad' }[v] || 'b-warn';
  return h('span', { class: `badge ${cls}` }, t('verdict_' + v));
}

const fmtScore = (s) => (Math.round(s * 100) / 100).toFixed(2);

// -------------------------------------------------------------- routing
function currentView() {
  const v = location.hash.slice(1);
  if (v === 'authority' && me && !AUTHORITY_ROLES.includes(me.role)) return 'screen';
  return me ? (VIEWS.includes(v) ? v : 'screen') : 'login';
}

function route(focus = true) {
  const view = currentView();
  for (const sec of document.querySelectorAll('.view')) sec.hidden = sec.id !== `view-${view}`;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `dualuse — ${t('title_' + view)}`;
  if (focus) $(`#h-${view}`)?.focus();
  if (view === 'review') loadReview();
  if (view === 'lists') loadLists();
  if (view === 'records') loadRecords();
  if (view === 'assess') showAssess();
  if (view === 'classify') showClassify();
  if (view === 'authority') showAuthority();
}

const rerenders = {};
function rerender() { for (const f of Object.values(rerenders)) f(); }

// ---------------------------------------------------------------- login
async function login(token) {
  sessionStorage.setItem('dualuse.token', token);
  try {
    me = await api('GET', '/me');
  } catch (e) {
    sessionStorage.removeItem('dualuse.token');
    me = null;
    showError(e);
    return;
  }
  flash('');
  $('#who').textContent = t('signed_in_as', { name: me.name, role: t('role_' + me.role) });
  $('#nav').hidden = false;
  $('#nav-authority').hidden = !AUTHORITY_ROLES.includes(me.role);
  $('#logout').hidden = false;
  route();
}

function logout() {
  sessionStorage.removeItem('dualuse.token');
  me = null;
  $('#who').textContent = '';
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  location.hash = '';
  route();
}

// --------------------------------------------------------------- screen
function renderScreen(r) {
  const out = $('#screen-result');
  out.replaceChildren();
  if (!r) return;
  const rows = r.matches.map((m) => h('tr', {},
    h('td', {}, h('strong', {}, m.name), h('div', { class: 'help' }, `${m.entity_id} · ${m.schema}`), listCell(m), entityCell(m)),
    h('td', {}, highlight(m.matched_name || m.name, r.query)),
    h('td', {}, h('meter', { min: 0, max: 1, value: m.score, 'aria-label': t('score') }), ' ', fmtScore(m.score),
      m.match ? h('div', {}, h('span', { class: 'badge b-bad' }, t('match'))) : null),
    h('td', {}, h('ul', { class: 'explain' }, (m.explanation || []).map((x) => h('li', {}, x))),
      m.programs?.length ? h('div', { class: 'help' }, `${t('programs')}: ${m.programs.join(', ')}`) : null)));
  out.append(h('div', { class: 'card', id: 'screen-summary' },
    h('p', {}, h('strong', {}, r.query), ' ', statusBadge(r.status), ' ',
      h('span', { class: 'help' }, t('record_n', { id: r.record_id }))),
    r.matches.length === 0 ? h('p', {}, t('no_matches')) :
      h('table', {}, h('caption', { class: 'visually-hidden' }, t('matches')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('listed_entity')), h('th', { scope: 'col' }, t('matched_name')),
          h('th', { scope: 'col' }, t('score')), h('th', { scope: 'col' }, t('explanation')))),
        h('tbody', {}, rows)),
    h('p', { class: 'help' }, t('list_versions') + ': ' +
      Object.entries(r.list_versions || {}).map(([k, v]) => `${k} ${v}`).join(', '))));
}

let lastScreen = null;
rerenders.screen = () => renderScreen(lastScreen);

async function onScreen(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { name: f.get('name').trim() };
  for (const k of ['schema', 'country', 'birth_date']) if (f.get(k)) body[k] = f.get(k).trim();
  if (f.get('aliases')) body.aliases = f.get('aliases');
  try {
    await loadCatalogue();
    lastScreen = await api('POST', '/screen', body);
    flash('');
    renderScreen(lastScreen);
  } catch (e) { showError(e); }
}

// --------------------------------------------------------------- review
let reviewItems = [];
rerenders.review = () => renderReview();

async function loadReview() {
  try {
    reviewItems = (await api('GET', `/review?state=${encodeURIComponent($('#r-state').value)}`)).items;
    renderReview();
  } catch (e) { showError(e); }
}

function renderReview() {
  const out = $('#review-list');
  out.replaceChildren();
  if (!reviewItems.length) { out.append(h('p', {}, t('queue_empty'))); return; }
  const canDecide = me && (me.role === 'reviewer' || me.role === 'admin');
  for (const it of reviewItems) {
    const reasonId = `reason-${it.id}`;
    const box = h('article', { class: 'review-item', 'aria-labelledby': `ri-${it.id}` },
      h('h2', { id: `ri-${it.id}`, class: 'subject' }, it.subject || `${t('alert')} ${it.id}`),
      h('p', {}, h('span', { class: 'badge ' + (it.kind === 'hit' ? 'b-bad' : 'b-warn') }, t('kind_' + it.kind)), ' ',
        it.entity_name ? `${it.entity_name} (${it.list} ${it.entity_id}) · ${t('score')} ${fmtScore(it.score)} · ` : '',
        `${t('record_n', { id: it.record_id })} · ${it.created_at}`),
      it.details?.explanation ? h('ul', { class: 'explain' }, it.details.explanation.map((x) => h('li', {}, x))) : null,
      it.state !== 'open'
        ? h('p', {}, h('span', { class: 'badge b-ok' }, t('st_' + it.state)), ` ${it.decided_by}, ${it.decided_at}: ${it.reason}`)
        : canDecide ? h('form', { class: 'decide', onsubmit: (ev) => ev.preventDefault() },
          h('label', { for: reasonId }, t('reason')),
          h('textarea', { id: reasonId, required: true }),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'danger', onclick: () => decide(it.id, 'confirmed', reasonId) }, t('confirm_match')),
            h('button', { type: 'button', class: 'secondary', onclick: () => decide(it.id, 'dismissed', reasonId) }, t('dismiss'))))
          : h('p', { class: 'help' }, t('reviewer_only')));
    out.append(box);
  }
}

async function decide(id, decision, reasonId) {
  const reason = $(`#${reasonId}`).value.trim();
  if (!reason) { flash(t('reason_required')); $(`#${reasonId}`).focus(); return; }
  try {
    await api('POST', `/review/${id}/decision`, { decision, reason });
    await loadReview();
    flash(t('decided', { id, decision: t('st_' + decision) }), true);
    $('#review-list textarea')?.focus();
  } catch (e) { showError(e); }
}

// ---------------------------------------------------------------- lists
let listsData = null;
rerenders.lists = () => renderLists();

async function loadLists() {
  try { listsData = await api('GET', '/lists'); renderLists(); } catch (e) { listsData = null; renderLists(); showError(e); }
}

function renderLists() {
  const out = $('#lists-table');
  out.replaceChildren();
  if (!listsData) return;
  const stale = listsData.lists.filter((l) => l.stale);
  if (stale.length) out.append(h('p', { class: 'badge b-warn', role: 'status' }, t('stale_warning', { n: stale.length })));
  out.append(h('table', {},
    h('thead', {}, h('tr', {}, ['list', 'version', 'age', 'entities', 'imported', 'freshness'].map((k) => h('th', { scope: 'col' }, t('col_' + k))))),
    h('tbody', {}, listsData.lists.map((l) => h('tr', {},
      h('td', {}, h('strong', {}, l.id), l.name ? h('div', { class: 'help' }, l.name) : null),
      h('td', {}, l.version),
      h('td', {}, l.age_days === null ? '—' : t('days', { n: l.age_days })),
      h('td', {}, l.entity_count ?? '—'),
      h('td', {}, l.imported_at || '—'),
      h('td', {}, l.stale ? h('span', { class: 'badge b-warn' }, t('stale', { n: l.stale_after_days }))
        : h('span', { class: 'badge b-ok' }, t('fresh'))))))));
}

// -------------------------------------------------------------- records
let recordsData = [];
let recordDetail = null;
rerenders.records = () => { renderRecords(); renderRecordDetail(); };

async function loadRecords() {
  const f = new FormData($('#records-form'));
  const qs = new URLSearchParams();
  for (const k of ['q', 'kind', 'actor']) if (f.get(k)) qs.set(k, f.get(k));
  try { recordsData = (await api('GET', `/records?${qs}`)).records; renderRecords(); } catch (e) { showError(e); }
}

function renderRecords() {
  const out = $('#records-list');
  out.replaceChildren();
  if (!recordsData.length) { out.append(h('p', {}, t('no_records'))); return; }
  out.append(h('table', {},
    h('thead', {}, h('tr', {}, ['id', 'time', 'actor', 'kind', 'subject'].map((k) => h('th', { scope: 'col' }, t('col_' + k))))),
    h('tbody', {}, recordsData.map((r) => h('tr', {},
      h('td', {}, h('a', { href: `#records`, onclick: (ev) => { ev.preventDefault(); openRecord(r.id); } }, `#${r.id}`)),
      h('td', {}, r.recorded_at), h('td', {}, `${r.actor} (${r.role ?? ''})`), h('td', {}, r.kind), h('td', {}, r.subject || r.path || ''))))));
}

async function openRecord(id) {
  try { recordDetail = { record: await api('GET', `/records/${id}`) }; renderRecordDetail(); $('#rec-detail-h')?.focus(); } catch (e) { showError(e); }
}

async function replay(id) {
  try {
    recordDetail.replay = await api('POST', `/records/${id}/replay`);
    renderRecordDetail();
    $('#replay-result')?.focus();
  } catch (e) { showError(e); }
}

function renderRecordDetail() {
  const out = $('#record-detail');
  out.replaceChildren();
  if (!recordDetail) return;
  const r = recordDetail.record;
  const replayable = ['screening', 'match', 'assessment'].includes(r.kind);
  out.append(h('div', { class: 'card' },
    h('h2', { id: 'rec-detail-h', tabindex: '-1' }, t('record_n', { id: r.id }), ' — ', r.kind),
    h('p', { class: 'help' }, `${r.recorded_at} · ${r.actor} · ${r.path ?? ''} · sha256 ${r.hash}`),
    replayable ? h('button', { type: 'button', onclick: () => replay(r.id) }, t('replay')) : null,
    recordDetail.replay ? h('p', { id: 'replay-result', tabindex: '-1', role: 'status' },
      recordDetail.replay.same ? h('span', { class: 'badge b-ok' }, t('replay_same')) : h('span', { class: 'badge b-warn' }, t('replay_differs'))) : null,
    h('h3', {}, t('inputs')), h('pre', {}, JSON.stringify(r.inputs, null, 2)),
    h('h3', {}, t('outputs')), h('pre', {}, JSON.stringify(r.outputs, null, 2)),
    recordDetail.replay && !recordDetail.replay.same ? [h('h3', {}, t('replay_now')), h('pre', {}, JSON.stringify(recordDetail.replay.replay, null, 2))] : null));
}

// ------------------------------------------------------------ keyboard
function onKey(ev) {
  const tag = (ev.target.tagName || '').toLowerCase();
  if (['input', 'textarea', 'select'].includes(tag) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === '?') { $('#help').showModal(); ev.preventDefault(); return; }
  if (!me) return;
  if (ev.key === '/') {
    const first = $(`#view-${currentView()} input, #view-${currentView()} select`);
    if (first) { first.focus(); ev.preventDefault(); }
    return;
  }
  const link = document.querySelector(`#nav a[data-key="${ev.key}"]:not([hidden])`);
  if (link) { location.hash = link.getAttribute('href'); ev.preventDefault(); }
}

// ----------------------------------------------------------------- init
async function init() {
  $('#lang').addEventListener('change', (ev) => setLanguage(ev.target.value));
  $('#login-form').addEventListener('submit', (ev) => { ev.preventDefault(); login($('#token').value.trim()); $('#token').value = ''; });
  $('#logout').addEventListener('click', logout);
  $('#screen-form').addEventListener('submit', onScreen);
  $('#r-state').addEventListener('change', loadReview);
  $('#records-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadRecords(); });
  const ctx = { $, h, t, api, apiText, flash, showError, statusBadge, verdictBadge, me: () => me };
  initClassify(ctx);
  initAssess(ctx);
  initScreening(ctx);
  rerenders.batch = rerenderScreening;
  rerenders.assess = rerenderAssess;
  initAuthority(ctx);
  rerenders.classify = rerenderClassify;
  rerenders.authority = rerenderAuthority;
  window.addEventListener('hashchange', () => route());
  document.addEventListener('keydown', onKey);
  await setLanguage(lang);
  if (sessionStorage.getItem('dualuse.token')) await login(sessionStorage.getItem('dualuse.token'));
  else route(false);
  document.body.dataset.ready = 'true';
}

init();
