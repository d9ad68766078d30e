// The exporter's case: the assessment request (dualuse.assessment/1, docs/spec.md
// section 2) with any number of items and parties, what the exporter knows,
// classification and due-diligence records (docs/assess-records.md); the
// determination; filing it with the licensing authority (POST
// /authority/filings, docs/authority.md) and where the filings stand
// (GET /authority/status).
import { listCell, entityCell, loadCatalogue } from './screening.js';

let ctx = null;
let seq = 0;
let lastRequest = null;
let lastDetermination = null;
let lastFiling = null;
let filings = null;

const ROLES = ['end_user', 'consignee', 'intermediate_consignee', 'purchaser', 'broker', 'agent'];
const SECTORS = ['', 'government_security', 'law_enforcement', 'intelligence', 'military',
  'telecom_operator', 'private', 'academic', 'other'];
const TYPES = ['organization', 'person', 'vessel'];
const CONCERNS = ['wmd', 'military_end_use', 'military_parts_illegally_exported',
  'internal_repression', 'public_security', 'human_rights'];
const KNOWLEDGE = ['informed', 'aware', 'suspects'];
const FILABLE = { licence_required: 'application', notify_authority: 'notification' };

export function initAssess(c) {
  ctx = c;
  const { $ } = ctx;
  $('#a-add-item').addEventListener('click', () => { const r = addItem(); r.querySelector('input').focus(); });
  $('#a-add-party').addEventListener('click', () => { const r = addParty(); r.querySelector('select').focus(); });
  $('#assess-form').addEventListener('submit', onAssess);
  $('#a-dd-file').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) $('#a-dd').value = await f.text();
  });
  $('#a-load').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (!f) return;
    try { fillForm(JSON.parse(await f.text())); ctx.flash(''); } catch (e) { ctx.flash(`${f.name}: ${e.message}`); }
    ev.target.value = '';
  });
  buildKnowledge();
  addItem();
  addParty();
}

export function showAssess() { loadFilings(); }

export function rerenderAssess() {
  // Labels built in JS follow the language; typed values stay.
  for (const el of document.querySelectorAll('#view-assess [data-t]')) el.textContent = ctx.t(el.dataset.t);
  renderDetermination();
  renderFilings();
}

// --------------------------------------------------------------- form
const T = (key) => ctx.h('span', { 'data-t': key }, ctx.t(key));

function field(label, control, cls) {
  return ctx.h('div', { class: cls }, ctx.h('label', { for: control.id }, T(label)), control);
}

function select(id, name, values, prefix, value) {
  return ctx.h('select', { id, name }, values.map((v) => {
    const key = v ? prefix + v : 'unspecified';
    return ctx.h('option', { value: v, selected: v === value, 'data-t': key }, ctx.t(key));
  }));
}

function addItem(x = {}) {
  const { h, $ } = ctx;
  const n = ++seq;
  const count = document.querySelectorAll('#a-items .item-row').length;
  const entries = x.control_entries === undefined ? '' : x.control_entries.join(', ');
  const records = [].concat(x.classification_record ?? []).filter((r) => typeof r === 'string');
  const cyber = x.cyber_surveillance === true ? 'yes' : x.cyber_surveillance === false ? 'no' : '';
  const row = h('fieldset', { class: 'item-row grid', 'data-row': n },
    h('legend', {}, T('item'), ` ${count + 1}`),
    field('item_id', h('input', { id: `it-id-${n}`, name: 'id', value: x.id ?? String(count + 1), autocomplete: 'off' })),
    field('description', h('input', { id: `it-desc-${n}`, name: 'description', value: x.description ?? '', autocomplete: 'off' }), 'wide'),
    field('kind', select(`it-kind-${n}`, 'kind', ['goods', 'software', 'technology'], '', x.kind ?? 'goods')),
    field('entries', h('input', { id: `it-entries-${n}`, name: 'control_entries', value: entries, placeholder: '5A001.j', autocomplete: 'off' })),
    h('div', { class: 'check' }, h('input', { id: `it-notlisted-${n}`, name: 'not_listed', type: 'checkbox',
      checked: Array.isArray(x.control_entries) && x.control_entries.length === 0 }),
      h('label', { for: `it-notlisted-${n}` }, T('not_listed_check'))),
    field('cyber', select(`it-cyber-${n}`, 'cyber', ['', 'yes', 'no'], 'cy_', cyber)),
    field('quantity', h('input', { id: `it-q-${n}`, name: 'quantity', type: 'number', min: 0, step: 'any', value: x.quantity ?? '' })),
    field('value_eur', h('input', { id: `it-v-${n}`, name: 'value_eur', type: 'number', min: 0, step: 'any', value: x.value_eur ?? '' })),
    field('cn_code', h('input', { id: `it-cn-${n}`, name: 'cn_code', value: x.cn_code ?? '', autocomplete: 'off' })),
    field('class_records', h('input', { id: `it-cr-${n}`, name: 'classification_record', value: records.join(', '), placeholder: 'CR-…', autocomplete: 'off' }), 'wide'),
    h('div', { class: 'wide' }, h('button', { type: 'button', class: 'secondary', onclick: () => removeRow(row, '#a-add-item') }, T('remove_item'))));
  $('#a-items').append(row);
  return row;
}

function addParty(p = {}) {
  const { h, $ } = ctx;
  const n = ++seq;
  const count = document.querySelectorAll('#a-parties .party-row').length;
  const aliases = Array.isArray(p.aliases) ? p.aliases.join('; ') : p.aliases ?? '';
  const row = h('fieldset', { class: 'party-row grid', 'data-row': n },
    h('legend', {}, T('party_n'), ` ${count + 1}`),
    field('role', select(`pt-role-${n}`, 'role', ROLES, 'role_p_', p.role ?? 'end_user')),
    field('name', h('input', { id: `pt-name-${n}`, name: 'name', value: p.name ?? '', autocomplete: 'off' }), 'wide'),
    field('country', h('input', { id: `pt-country-${n}`, name: 'country', maxlength: 2, value: p.country ?? '', autocomplete: 'off' })),
    field('schema', select(`pt-type-${n}`, 'type', TYPES, 'type_', p.type ?? 'organization')),
    field('sector', select(`pt-sector-${n}`, 'sector', SECTORS, 'sector_', p.sector ?? '')),
    field('birth_date', h('input', { id: `pt-birth-${n}`, name: 'birth_date', value: p.birth_date ?? '', placeholder: 'YYYY-MM-DD', autocomplete: 'off' })),
    field('aliases', h('input', { id: `pt-aliases-${n}`, name: 'aliases', value: aliases, autocomplete: 'off' })),
    h('div', { class: 'wide' }, h('button', { type: 'button', class: 'secondary', onclick: () => removeRow(row, '#a-add-party') }, T('remove_party'))));
  $('#a-parties').append(row);
  return row;
}

function removeRow(row, focusAfter) {
  row.remove();
  ctx.$(focusAfter).focus();
}

function buildKnowledge() {
  const { h, $ } = ctx;
  $('#a-knowledge tbody').append(...CONCERNS.map((c) => h('tr', {},
    h('th', { scope: 'row', id: `kc-${c}` }, T('kc_' + c)),
    KNOWLEDGE.map((k) => h('td', {}, h('input', { type: 'checkbox', id: `k-${k}-${c}`, name: k, value: c,
      'aria-labelledby': `kc-${c} kh-${k}` }))))));
  const heads = document.querySelectorAll('#a-knowledge thead th');
  KNOWLEDGE.forEach((k, i) => heads[i + 1].setAttribute('id', `kh-${k}`));
}

// Input the form cannot send as it stands: the message and the field to fix.
class FormError extends Error {
  constructor(message, field) { super(message); this.field = field; }
}

const val = (root, name) => root.querySelector(`[name="${name}"]`).value.trim();
const num = (s) => (s === '' ? undefined : Number(s));

// The request as the form states it; fields left empty are omitted, so the
// server applies the contract's defaults (date: today).
export function requestFromForm() {
  const { $ } = ctx;
  const form = $('#assess-form');
  const f = new FormData(form);
  const req = { schema: 'dualuse.assessment/1' };
  if (f.get('reference').trim()) req.reference = f.get('reference').trim();
  if (f.get('date')) req.date = f.get('date');
  req.activity = f.get('activity');
  req.exporter = { name: f.get('exporter_name').trim(), country: f.get('exporter_country').trim().toUpperCase() };
  if (f.get('has_icp')) req.exporter.has_icp = true;
  req.destination = f.get('destination').trim().toUpperCase();
  if (f.get('origin').trim()) req.origin = f.get('origin').trim().toUpperCase();
  req.items = [...document.querySelectorAll('#a-items .item-row')].map((r) => {
    const item = { id: val(r, 'id'), description: val(r, 'description'), kind: val(r, 'kind') };
    // Entries given: those. None given: [] ("assessed as not listed") only
    // when the exporter says so; otherwise omitted (not yet classified), so
    // that an empty field never reads as "not listed".
    const entries = val(r, 'control_entries').split(',').map((s) => s.trim()).filter(Boolean);
    const notListed = r.querySelector('[name="not_listed"]');
    if (entries.length && notListed.checked) {
      throw new FormError(ctx.t('entries_and_not_listed', { item: item.id }), notListed);
    }
    if (entries.length || notListed.checked) item.control_entries = entries;
    const cy = val(r, 'cyber');
    if (cy) item.cyber_surveillance = cy === 'yes';
    for (const k of ['quantity', 'value_eur']) if (num(val(r, k)) !== undefined) item[k] = num(val(r, k));
    if (val(r, 'cn_code')) item.cn_code = val(r, 'cn_code');
    const cr = val(r, 'classification_record').split(',').map((s) => s.trim()).filter(Boolean);
    if (cr.length) item.classification_record = cr.length === 1 ? cr[0] : cr;
    return item;
  });
  req.parties = [...document.querySelectorAll('#a-parties .party-row')].filter((r) => val(r, 'name')).map((r) => {
    const p = { role: val(r, 'role'), name: val(r, 'name'), country: (val(r, 'country') || req.destination).toUpperCase(), type: val(r, 'type') };
    if (val(r, 'sector')) p.sector = val(r, 'sector');
    if (val(r, 'birth_date')) p.birth_date = val(r, 'birth_date');
    if (val(r, 'aliases')) p.aliases = val(r, 'aliases').split(';').map((s) => s.trim()).filter(Boolean);
    return p;
  });
  if (f.get('end_use').trim()) req.end_use = { description: f.get('end_use').trim() };
  req.knowledge = Object.fromEntries(KNOWLEDGE.map((k) => [k, f.getAll(k)]));
  const dd = f.get('due_diligence').trim();
  if (dd) {
    try { req.due_diligence = JSON.parse(dd); } catch (e) { throw new FormError(`${ctx.t('dd_json')}: ${e.message}`, $('#a-dd')); }
  }
  return req;
}

// Fills the form from a request (a file the exporter already has).
function fillForm(r) {
  const { $ } = ctx;
  const set = (sel, v) => { $(sel).value = v ?? ''; };
  set('#a-ref', r.reference); set('#a-date', r.date); set('#a-activity', r.activity || 'export');
  set('#a-dest', r.destination); set('#a-origin', r.origin);
  set('#a-exp-name', r.exporter?.name); set('#a-exp-country', r.exporter?.country || 'NL');
  $('#a-icp').checked = !!r.exporter?.has_icp;
  $('#a-items').replaceChildren(); $('#a-parties').replaceChildren();
  for (const it of r.items || []) addItem(it);
  for (const p of r.parties || []) addParty(p);
  if (!(r.items || []).length) addItem();
  if (!(r.parties || []).length) addParty();
  set('#a-end-use', r.end_use?.description);
  for (const k of KNOWLEDGE) for (const c of CONCERNS) $(`#k-${k}-${c}`).checked = (r.knowledge?.[k] || []).includes(c);
  set('#a-dd', r.due_diligence && typeof r.due_diligence === 'object' ? JSON.stringify(r.due_diligence, null, 2) : '');
}

async function onAssess(ev) {
  ev.preventDefault();
  const { $, t, api, flash, showError } = ctx;
  const form = $('#assess-form');
  const missing = [...form.querySelectorAll('[required]')].find((el) => !el.value.trim());
  if (missing) { flash(t('field_required', { field: missing.labels[0].textContent })); missing.focus(); return; }
  let req;
  try { req = requestFromForm(); } catch (e) {
    if (!(e instanceof FormError)) throw e;
    flash(e.message);
    e.field.focus();
    return;
  }
  try {
    await loadCatalogue();
    lastDetermination = await api('POST', '/assess', req);
    lastRequest = req;
    lastFiling = null;
    flash('');
    renderDetermination();
    $('#determination h2')?.focus();
  } catch (e) { showError(e); }
}

// ------------------------------------------------------- determination
function renderDetermination() {
  const { $, h, t } = ctx;
  const out = $('#assess-result');
  out.replaceChildren();
  const d = lastDetermination;
  if (!d) return;
  const findings = (d.findings || []).map((f) => h('div', { class: `finding eff-${f.effect}`, 'data-rule': f.rule },
    h('div', {}, h('span', { class: 'basis' }, f.basis), ' — ',
      h('span', { class: 'badge ' + (f.effect === 'information' ? 'b-ok' : f.effect === 'red_flag' ? 'b-bad' : 'b-warn') }, t('effect_' + f.effect))),
    h('div', {}, f.summary),
    h('div', { class: 'help' }, [f.rule, f.item !== undefined ? `${t('item')} ${f.item}` : null,
      f.party !== undefined ? `${t('party')} ${f.party + 1} (${d.screening?.[f.party]?.role ? t('role_p_' + d.screening[f.party].role) : ''})` : null].filter(Boolean).join(' · '))));
  const kind = FILABLE[d.verdict];
  out.append(h('div', { class: 'card', id: 'determination', 'data-verdict': d.verdict },
    h('h2', { tabindex: '-1' }, t('determination'), ' ', ctx.verdictBadge(d.verdict)),
    h('p', { class: 'help' }, `${t('regime')}: ${d.regime} · ${t('as_of')}: ${d.as_of} · ${t('record_n', { id: d.record_id })}`),
    d.review_required ? h('div', { id: 'review-reasons' }, h('span', { class: 'badge b-warn' }, t('review_required')),
      h('ul', {}, (d.review_reasons || []).map((r) => h('li', {}, r)))) : null,
    h('h3', {}, t('findings')), findings.length ? findings : h('p', {}, t('no_findings')),
    (d.authorisations || []).length ? [h('h3', {}, t('authorisations')),
      h('ul', {}, d.authorisations.map((a) => h('li', {}, `${a.id}: ${a.applicable ? t('applicable') : t('not_applicable')} — ${a.reason}`)))] : null,
    (d.screening || []).length ? [h('h3', {}, t('screening')),
      h('ul', {}, d.screening.map((s) => h('li', { 'data-party': s.party }, `${t('party')} ${s.party + 1} — ${t('role_p_' + s.role)}: `, ctx.statusBadge(s.status),
        (s.matches || []).length ? h('ul', { class: 'screen-matches' }, s.matches.map((m) => h('li', {},
          h('strong', {}, m.name), ` · ${(Math.round(m.score * 100) / 100).toFixed(2)}`, listCell(m), entityCell(m)))) : null)))] : null,
    (d.obligations || []).length ? [h('h3', {}, t('obligations')), h('ul', {}, d.obligations.map((o) => h('li', {}, o)))] : null,
    d.notification ? h('section', { id: 'notification', 'aria-labelledby': 'notification-h' },
      h('h3', { id: 'notification-h' }, t('notification_title')),
      h('dl', { class: 'facts' },
        [['au_notif_basis', d.notification.basis], ['au_notif_to', d.notification.to], ['au_notif_subject', d.notification.subject],
          ['au_notif_statement', d.notification.statement], ['au_notif_record', `${d.notification.record_id || d.notification.reference || ''} · sha256 ${d.notification.record_sha256 || ''}`]]
          .filter(([, v]) => v).map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]))) : null,
    (d.caveats || []).length ? [h('h3', {}, t('caveats')), h('ul', {}, d.caveats.map((o) => h('li', {}, o)))] : null,
    kind ? h('div', { class: 'file-box', id: 'file-box' },
      h('h3', {}, t('file_' + kind)),
      h('p', { class: 'help' }, t('file_help_' + kind, { authority: d.competent_authority || '' })),
      lastFiling ? h('p', { id: 'filed', role: 'status', tabindex: '-1' }, h('span', { class: 'badge b-ok' }, t('filed_as', { id: lastFiling.id })))
        : me().role === 'officer' ? h('button', { type: 'button', id: 'file-btn', onclick: onFile }, t('file_' + kind))
          : h('p', { class: 'help' }, t('file_officer_only'))) : null));
}

const me = () => ctx.me() || {};

async function onFile() {
  const { $, api, showError, flash, t } = ctx;
  const d = lastDetermination;
  const filing = { schema: 'dualuse.authority-filing/1', request: lastRequest, determination: d,
    filed_on: new Date().toISOString().slice(0, 10) };
  try {
    lastFiling = await api('POST', '/authority/filings', filing);
    flash(t('filed_flash', { id: lastFiling.id }), true);
    renderDetermination();
    $('#filed')?.focus();
    await loadFilings();
  } catch (e) { showError(e); }
}

// --------------------------------------------------------- filing status
async function loadFilings() {
  const role = me().role;
  if (!['officer', 'authority', 'admin'].includes(role)) { filings = null; renderFilings(); return; }
  try { filings = (await ctx.api('GET', '/authority/status')).filings; } catch (e) {
    filings = null;
    if (e.status !== 503) ctx.showError(e);
  }
  renderFilings();
}

const STATE_BADGE = { filed: 'b-warn', assessed: 'b-warn', decided: 'b-ok' };

function renderFilings() {
  const { $, h, t } = ctx;
  const out = $('#filings-list');
  out.replaceChildren();
  $('#filings').hidden = filings === null;
  if (!filings) return;
  if (!filings.length) { out.append(h('p', {}, t('no_filings'))); return; }
  out.append(h('table', {},
    h('caption', { class: 'visually-hidden' }, t('my_filings')),
    h('thead', {}, h('tr', {}, ['f_id', 'f_kind', 'reference', 'au_filed_on', 'destination', 'au_status', 'au_decision', 'au_licence']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, filings.map((f) => h('tr', { 'data-filing': f.id, 'data-state': f.state },
      h('td', {}, f.id), h('td', {}, t('au_kind_' + f.kind)), h('td', {}, f.reference || '—'), h('td', {}, f.filed_on),
      h('td', {}, f.destination), h('td', {}, h('span', { class: `badge ${STATE_BADGE[f.state]}` }, t('fs_' + f.state))),
      h('td', {}, f.decision ? `${t('au_d_' + f.decision.kind)} (${f.decision.id}, ${f.decision.date})` : '—'),
      h('td', {}, f.licence ? `${f.licence.id}, ${validityText(f.licence.validity)}` : '—'))))));
}

// One convention for a validity period everywhere: the last day on which the
// licence is valid, inclusive, as the decision letter states it (the data
// keep `until` exclusive).
export function lastValidDay(until) {
  if (!until) return null;
  const d = new Date(`${until}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function validityText(v) {
  const last = lastValidDay(v.until);
  return last ? ctx.t('valid_from_to', { from: v.from, to: last }) : ctx.t('valid_from_open', { from: v.from });
}
