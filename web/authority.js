// Licensing-authority screens (roles authority and admin):
// cases, the case file, the criteria checklist (GET /criteria), the decision
// form and letter, licences with what is left, denials (export/import) and
// the Art 26 report. Every figure comes from the /authority/ API.
import { validityText } from './assess.js';

let ctx;
const st = { tab: 'cases', filings: null, kase: null, criteria: null, licences: null, licenceFilter: {}, denials: null, report: null, letters: {} };
const LICENCE_STATUSES = ['active', 'exhausted', 'expired', 'not_yet_valid'];
const TABS = ['cases', 'licences', 'denials', 'report'];
const FINDINGS = ['no_concern', 'concern', 'clear_risk', 'not_applicable'];
const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (d) => {
  if (!d) return null;
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
};

export function initAuthority(c) {
  ctx = c;
}

export async function showAuthority() {
  render();
  await loadTab();
}

export function rerenderAuthority() { render(); }

async function loadTab() {
  try {
    if (st.tab === 'cases') st.filings = (await ctx.api('GET', '/authority/filings')).filings;
    if (st.tab === 'licences') await loadLicences();
    if (st.tab === 'denials') st.denials = await ctx.api('GET', '/authority/denials');
    if (st.tab === 'report' && !st.report) await loadReport(new Date().getFullYear());
    render();
  } catch (e) { ctx.showError(e); }
}

function setTab(tab) {
  st.tab = tab;
  ctx.flash('');
  st.kase = tab === 'cases' ? st.kase : null;
  loadTab().then(() => ctx.$(`#au-tab-${tab}`)?.focus());
}

function render() {
  const { h, t } = ctx;
  const out = ctx.$('#authority-body');
  if (!out) return;
  out.replaceChildren(
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('au_sections') }, TABS.map((k) =>
      h('button', { type: 'button', role: 'tab', id: `au-tab-${k}`, 'aria-selected': String(st.tab === k),
        'aria-controls': 'au-panel', class: st.tab === k ? '' : 'secondary', onclick: () => setTab(k) }, t('au_tab_' + k)))),
    h('div', { id: 'au-panel', role: 'tabpanel', 'aria-labelledby': `au-tab-${st.tab}` },
      st.tab === 'cases' ? (st.kase ? caseFile() : caseList()) : null,
      st.tab === 'licences' ? licences() : null,
      st.tab === 'denials' ? denials() : null,
      st.tab === 'report' ? report() : null));
}

const kv = (pairs) => ctx.h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
  .map(([k, v]) => [ctx.h('dt', {}, k), ctx.h('dd', {}, v)]));
const table = (cols, rows, caption) => ctx.h('table', {}, caption ? ctx.h('caption', {}, caption) : null,
  ctx.h('thead', {}, ctx.h('tr', {}, cols.map((c) => ctx.h('th', { scope: 'col' }, c)))),
  ctx.h('tbody', {}, rows.map((r) => ctx.h('tr', {}, r.map((c) => ctx.h('td', {}, c))))));

// ----------------------------------------------------------------- cases
function caseList() {
  const { h, t } = ctx;
  if (!st.filings) return null;
  if (!st.filings.length) return h('p', {}, t('au_no_cases'));
  return table([t('au_case'), t('kind'), t('au_filed_on'), t('exporter'), t('destination'), t('au_verdict')],
    st.filings.map((f) => [
      h('button', { type: 'button', class: 'linklike', 'data-case': f.id, onclick: () => openCase(f.id) }, f.id),
      t('au_kind_' + f.kind), f.filed_on, f.exporter.name, f.destination, t('verdict_' + f.verdict)]), t('au_cases'));
}

async function openCase(id) {
  try {
    const [kase, criteria] = await Promise.all([ctx.api('GET', `/authority/filings/${encodeURIComponent(id)}`),
      st.criteria ? st.criteria : ctx.api('GET', '/criteria').then((r) => r.criteria)]);
    st.kase = kase;
    st.criteria = criteria;
    ctx.flash('');
    render();
    ctx.$('#au-case-h')?.focus();
  } catch (e) { ctx.showError(e); }
}

const reloadCase = () => openCase(st.kase.application.id);

function caseFile() {
  const { h, t } = ctx;
  const c = st.kase;
  const a = c.application;
  return h('article', { 'aria-labelledby': 'au-case-h' },
    h('button', { type: 'button', class: 'secondary', onclick: () => { st.kase = null; loadTab(); } }, t('au_back_cases')),
    h('h2', { id: 'au-case-h', tabindex: '-1' }, `${t('au_kind_' + a.kind)} ${a.id}`),
    h('div', { class: 'card' }, kv([[t('exporter'), `${a.exporter.name} (${a.exporter.country})${a.exporter.has_icp ? ' · ICP' : ''}`],
      [t('destination'), a.destination], [t('activity'), a.activity], [t('reference'), a.reference],
      [t('au_filed_on'), `${a.filed_on} · ${a.filed_by}`], [t('au_verdict'), t('verdict_' + a.verdict)],
      [t('au_requested'), a.requested_licence_type], [t('au_end_use'), a.end_use?.description ?? (typeof a.end_use === 'string' ? a.end_use : '')]])),
    h('h3', {}, t('au_items')),
    table([t('item'), t('description'), t('c_entries'), t('au_cyber'), t('au_quantity'), t('au_value'), t('au_class_record')],
      a.items.map((i) => [i.id, i.description, (i.control_entries || []).join(', ') || t('au_not_listed'),
        i.cyber_surveillance ? t('yes') : t('no'), i.quantity ?? '—', i.value_eur ?? '—',
        i.classification_record ? classRecordLink(i.classification_record) : '—'])),
    h('h3', {}, t('au_parties')),
    table([t('au_role'), t('name'), t('country'), t('au_screening'), t('au_review')],
      a.parties.map((p) => [t('role_p_' + p.role), p.name, p.country, [p.screening_status ? ctx.statusBadge(p.screening_status) : '—',
        p.screening_matches?.length ? h('div', { class: 'help' }, p.screening_matches.join(', ')) : null], p.review_decision || '—'])),
    h('h3', {}, t('au_destination_facts')),
    a.destination_facts?.length ? h('ul', {}, a.destination_facts.map((g) => h('li', {}, h('strong', {}, g.basis), ` — ${g.summary} (${g.effect})`))) : h('p', {}, '—'),
    a.grounds?.length ? [h('h3', {}, t('au_grounds')), h('ul', {}, a.grounds.map((g) => h('li', {}, h('strong', {}, g.basis), ` — ${g.summary}`)))] : null,
    h('h3', {}, t('au_due_diligence')),
    a.due_diligence?.length ? h('dl', { class: 'facts' }, a.due_diligence.map((d) => [h('dt', {}, d.question), h('dd', {}, d.answer)]))
      : a.notification ? null : h('p', {}, '—'),
    a.notification ? notification(a.notification) : null,
    priorDenials(c),
    checklist(c),
    decision(c));
}

// The exporter's notification carried by its determination
// (dualuse.notification/1, Art 5(2) / 4(2)): what it notified, under which
// article, and the due-diligence record (id, SHA-256 checked at filing).
function notification(n) {
  const { h, t } = ctx;
  const present = (n.record?.red_flags || []).filter((f) => f.present);
  return h('section', { 'aria-labelledby': 'au-notif-h', id: 'au-notification', class: 'card' },
    h('h3', { id: 'au-notif-h' }, t('au_notification')),
    kv([[t('au_notif_basis'), h('strong', {}, n.basis)], [t('au_notif_from'), n.from], [t('au_notif_to'), n.to],
      [t('date'), n.date], [t('au_notif_subject'), n.subject], [t('au_notif_statement'), n.statement],
      [t('au_notif_conclusion'), `${n.conclusion}${n.concerns?.length ? ` (${n.concerns.join(', ')})` : ''}`],
      [t('au_reasoning'), n.reasoning],
      [t('au_notif_red_flags'), present.length ? h('ul', {}, present.map((f) => h('li', {}, `${f.code}: ${f.details}`))) : '—'],
      [t('au_notif_record'), n.record_id], ['SHA-256', h('code', { class: 'hash' }, n.record_sha256)]]));
}

function classRecordLink(id) {
  const { h } = ctx;
  const slot = h('span', {});
  if (!/^CR-[0-9a-f]{16}$/.test(id)) return id;
  slot.append(h('button', { type: 'button', class: 'linklike', onclick: async () => {
    try {
      const r = await ctx.api('GET', `/classify/records/${id}`);
      slot.replaceChildren(h('strong', {}, id), ': ', `${r.record.outcome} ${r.record.entries.join(', ')} (${r.record.tree.id}, ${r.actor})`);
    } catch (e) { ctx.showError(e); }
  } }, id));
  return slot;
}

function priorDenials(c) {
  const { h, t } = ctx;
  const parts = [h('h3', {}, t('au_prior_denials'))];
  if (!c.prior_denials.length) return [...parts, h('p', {}, t('au_no_prior'))];
  parts.push(table([t('au_denial'), t('au_issuing'), t('au_families'), t('au_end_user')],
    c.prior_denials.map((d) => [d.denial_id, d.issuing_authority, (d.shared_entry_families || []).join(', '), d.end_user])));
  if (c.unconsulted_denials.length) {
    parts.push(h('div', { class: 'card warn', role: 'note', id: 'au-consult-required' },
      h('p', {}, h('strong', {}, t('au_consult_required')), ' ', t('au_consult_text', { ids: c.unconsulted_denials.join(', ') })),
      h('form', { class: 'grid', id: 'au-consult', onsubmit: consult },
        h('div', {}, h('label', { for: 'au-c-denial' }, t('au_denial')),
          h('select', { id: 'au-c-denial' }, c.unconsulted_denials.map((d) => h('option', { value: d }, d)))),
        h('div', {}, h('label', { for: 'au-c-auth' }, t('au_consulted')), h('input', { id: 'au-c-auth', required: true, autocomplete: 'off' })),
        h('div', {}, h('label', { for: 'au-c-date' }, t('date')), h('input', { id: 'au-c-date', type: 'date', value: today(), required: true })),
        h('div', { class: 'wide' }, h('label', { for: 'au-c-outcome' }, t('au_outcome')), h('textarea', { id: 'au-c-outcome', required: true })),
        h('div', { class: 'wide' }, h('button', { type: 'submit' }, t('au_record_consultation'))))));
  }
  if (c.consultations.length) {
    parts.push(h('ul', {}, c.consultations.map((x) => h('li', {}, `${x.id}: ${x.denial_id} — ${x.consulted_authority}, ${x.date}: ${x.outcome}`))));
  }
  return parts;
}

async function consult(ev) {
  ev.preventDefault();
  const $ = ctx.$;
  try {
    await ctx.api('POST', '/authority/consultations', { application_id: st.kase.application.id,
      denial_id: $('#au-c-denial').value, consulted_authority: $('#au-c-auth').value.trim(),
      date: $('#au-c-date').value, outcome: $('#au-c-outcome').value.trim() });
    await reloadCase();
    ctx.flash(ctx.t('au_saved'), true);
  } catch (e) { ctx.showError(e); }
}

// ------------------------------------------------------------ checklist
function checklist(c) {
  const { h, t } = ctx;
  const prior = {};
  for (const x of c.assessment?.answers || []) prior[x.criterion] = x;
  const groups = [];
  for (const cr of st.criteria || []) {
    let g = groups.find((x) => x.name === cr.group);
    if (!g) groups.push(g = { name: cr.group, list: [] });
    g.list.push(cr);
  }
  // Every criterion starts unassessed and must be answered before the
  // assessment is saved; the checklist may be assessed again until the
  // filing is decided, and is locked from then on.
  const done = !!c.decision;
  return h('section', { 'aria-labelledby': 'au-check-h' },
    h('h3', { id: 'au-check-h' }, t('au_checklist')),
    c.assessment ? h('p', { class: 'help', role: 'status', id: 'au-assessed' }, t('au_assessed', { who: c.assessment.officer, date: c.assessment.date }),
      done ? ` ${t('au_locked')}` : '') : null,
    h('form', { id: 'au-checklist', onsubmit: saveChecklist, novalidate: true },
      groups.map((g) => h('fieldset', { class: 'criteria' }, h('legend', {}, g.name),
        g.list.map((cr, i) => {
          const key = cr.id.replace(/[^A-Za-z0-9]/g, '-');
          return h('div', { class: 'criterion', 'data-criterion': cr.id },
            h('h4', { id: `cr-h-${key}` }, cr.title, ' ', h('span', { class: 'help' }, `[${cr.verification}]`),
              cr.on_clear_risk === 'deny' ? h('span', { class: 'badge b-warn' }, t('au_deny_on_risk')) : null),
            h('details', {}, h('summary', {}, t('au_text_source')), h('p', {}, cr.text), h('p', { class: 'help' }, cr.source)),
            h('div', { class: 'grid' },
              h('div', {}, h('label', { for: `cr-f-${key}` }, t('au_finding')),
                h('select', { id: `cr-f-${key}`, name: 'finding', 'aria-describedby': `cr-h-${key}`, disabled: done, required: true },
                  h('option', { value: '', selected: !prior[cr.id] }, t('au_f_unassessed')),
                  FINDINGS.map((f) => h('option', { value: f, selected: prior[cr.id]?.finding === f }, t('au_f_' + f))))),
              h('div', { class: 'wide' }, h('label', { for: `cr-r-${key}` }, t('au_reasoning')),
                h('textarea', { id: `cr-r-${key}`, name: 'reasoning', required: true, readonly: done, 'aria-describedby': `cr-h-${key}` },
                  prior[cr.id]?.reasoning || ''))));
        }))),
      done ? null : h('div', { class: 'actions' },
        h('label', { for: 'au-check-date', class: 'inline' }, t('date')),
        h('input', { id: 'au-check-date', type: 'date', value: today(), required: true, class: 'short' }),
        h('button', { type: 'submit', id: 'au-check-save' }, t('au_save_checklist')))));
}

async function saveChecklist(ev) {
  ev.preventDefault();
  for (const el of ev.target.querySelectorAll('.criterion')) {
    const sel = el.querySelector('select');
    const ta = el.querySelector('textarea');
    const missing = !sel.value ? sel : !ta.value.trim() ? ta : null;
    if (missing) {
      ctx.flash(ctx.t('au_unanswered', { title: el.querySelector('h4').firstChild.textContent }));
      missing.focus();
      return;
    }
  }
  const answers = [...ev.target.querySelectorAll('.criterion')].map((el) => ({
    criterion: el.dataset.criterion,
    finding: el.querySelector('select').value,
    reasoning: el.querySelector('textarea').value.trim(),
  }));
  try {
    await ctx.api('POST', '/authority/assessments', { application_id: st.kase.application.id,
      officer: ctx.me().name, date: ctx.$('#au-check-date').value, answers });
    await reloadCase();
    ctx.flash(ctx.t('au_saved'), true);
  } catch (e) { ctx.showError(e); }
}

// ------------------------------------------------------------- decision
function decision(c) {
  const { h, t } = ctx;
  const a = c.application;
  if (c.decision) {
    const d = c.decision;
    return h('section', { 'aria-labelledby': 'au-dec-h', id: 'au-decision' },
      h('h3', { id: 'au-dec-h', tabindex: '-1' }, t('au_decision')),
      kv([[t('au_decision'), h('strong', {}, t('au_d_' + d.kind))], ['ID', d.id], [t('date'), d.date], [t('au_officer'), d.officer],
        [t('reason'), d.reason], [t('au_criteria'), (d.criteria || []).join(', ')],
        [t('au_licence_type'), d.licence_type ? t('au_lt_' + d.licence_type) : ''],
        [t('au_validity'), d.validity ? validityText(d.validity) : '']]),
      letterLink(d.id),
      c.licence ? licenceCard(c.licence, c.remaining) : null);
  }
  const notification = a.kind === 'notification';
  const kinds = notification ? ['impose_requirement', 'no_requirement'] : ['grant', 'deny'];
  const form = h('form', { id: 'au-decide', class: 'grid', onsubmit: decide },
    h('div', {}, h('label', { for: 'au-d-kind' }, t('au_decision')),
      h('select', { id: 'au-d-kind', onchange: () => toggleGrant() }, kinds.map((k) => h('option', { value: k }, t('au_d_' + k))))),
    h('div', {}, h('label', { for: 'au-d-date' }, t('date')), h('input', { id: 'au-d-date', type: 'date', value: today(), required: true })),
    notification ? null : h('fieldset', { class: 'wide', id: 'au-grant' }, h('legend', {}, t('au_grant_terms')),
      h('div', { class: 'grid' },
        h('div', {}, h('label', { for: 'au-d-type' }, t('au_licence_type')),
          h('select', { id: 'au-d-type' }, ['individual', 'global'].map((k) => h('option', { value: k, selected: a.requested_licence_type === k }, t('au_lt_' + k))))),
        h('div', {}, h('label', { for: 'au-d-from' }, t('au_valid_from')), h('input', { id: 'au-d-from', type: 'date', value: today() })),
        h('div', {}, h('label', { for: 'au-d-until' }, t('au_valid_last')), h('input', { id: 'au-d-until', type: 'date' }))),
      table([t('item'), t('au_quantity'), t('au_value')], a.items.map((i) => [
        `${i.id} ${i.description}`,
        h('input', { id: `au-q-${i.id}`, type: 'number', min: '0', step: 'any', value: i.quantity ?? '', 'aria-label': `${t('au_quantity')} ${i.id}`, 'data-item': i.id, class: 'qty' }),
        h('input', { id: `au-v-${i.id}`, type: 'number', min: '0', step: 'any', value: i.value_eur ?? '', 'aria-label': `${t('au_value')} ${i.id}`, 'data-item': i.id, class: 'val' })]))),
    h('div', { class: 'wide' }, h('label', { for: 'au-d-reason' }, t('reason')), h('textarea', { id: 'au-d-reason' })),
    notification ? null : h('fieldset', { class: 'wide', id: 'au-deny-criteria', hidden: true }, h('legend', {}, t('au_criteria')),
      (st.criteria || []).map((cr, i) => h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: `au-dc-${i}`, value: cr.id, name: 'deny-criterion' }),
        h('label', { for: `au-dc-${i}` }, `${cr.title} (${cr.id})`)))),
    !notification && !c.assessment ? h('p', { class: 'wide help', id: 'au-assess-first' }, t('au_assess_first')) : null,
    h('div', { class: 'wide' }, h('button', { type: 'submit', id: 'au-decide-btn', disabled: !notification && !c.assessment }, t('au_decide'))));
  return h('section', { 'aria-labelledby': 'au-dec-h' }, h('h3', { id: 'au-dec-h', tabindex: '-1' }, t('au_decision')), form);
}

function toggleGrant() {
  const grant = ctx.$('#au-d-kind').value === 'grant';
  const g = ctx.$('#au-grant');
  if (g) g.hidden = !grant;
  const d = ctx.$('#au-deny-criteria');
  if (d) d.hidden = ctx.$('#au-d-kind').value !== 'deny';
}

async function decide(ev) {
  ev.preventDefault();
  const $ = ctx.$;
  const kind = $('#au-d-kind').value;
  const body = { application_id: st.kase.application.id, date: $('#au-d-date').value, kind, reason: $('#au-d-reason').value.trim() };
  if (kind === 'grant') {
    body.licence_type = $('#au-d-type').value;
    // The form asks for the last day of validity (inclusive, as the letter
    // states it); the decision carries `until` exclusive: the day after.
    body.validity = { from: $('#au-d-from').value, until: dayAfter($('#au-d-until').value) };
    body.allowances = [...document.querySelectorAll('#au-grant input.qty')].map((q) => {
      const v = $(`#au-v-${CSS.escape(q.dataset.item)}`).value;
      const x = { item_id: q.dataset.item };
      if (q.value !== '') x.quantity = Number(q.value);
      if (v !== '') x.value_eur = Number(v);
      return x;
    });
  }
  if (kind === 'deny') body.criteria = [...document.querySelectorAll('input[name="deny-criterion"]:checked')].map((x) => x.value);
  try {
    await ctx.api('POST', '/authority/decisions', body);
    await reloadCase();
    ctx.flash(ctx.t('au_decided'), true);
    ctx.$('#au-dec-h')?.focus();
  } catch (e) { ctx.showError(e); }
}

// The letter and the CSV need the token: fetched, then offered as a blob link.
function blobLink(id, label, path, type, filename) {
  const { h } = ctx;
  const slot = h('span', { id });
  const cached = st.letters[path];
  if (cached) {
    slot.append(h('a', { href: cached, target: '_blank', rel: 'noopener', download: filename || null }, label));
    return slot;
  }
  slot.append(h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      const text = await ctx.apiText('GET', path);
      st.letters[path] = URL.createObjectURL(new Blob([text], { type }));
      const a = h('a', { href: st.letters[path], target: '_blank', rel: 'noopener', download: filename || null }, label);
      slot.replaceChildren(a);
      a.focus();
    } catch (e) { ctx.showError(e); }
  } }, label));
  return slot;
}

const letterLink = (id) => ctx.h('p', {}, blobLink('au-letter', ctx.t('au_letter'), `/authority/decisions/${encodeURIComponent(id)}/letter`, 'text/html'));

// -------------------------------------------------------------- licences
function licenceCard(l, remaining) {
  const { h, t } = ctx;
  return h('div', { class: 'card licence', 'data-licence': l.id },
    h('h4', {}, `${t('au_licence')} ${l.id}`, ' ', h('span', { class: 'badge b-ok' }, t('au_lt_' + l.type))),
    kv([[t('au_holder'), l.holder], [t('destination'), l.destination], [t('au_validity'), validityText(l.validity)],
      [t('au_case'), l.application_id]]),
    table([t('item'), t('au_granted_q'), t('au_booked_q'), t('au_left_q'), t('au_granted_v'), t('au_booked_v'), t('au_left_v')],
      (remaining || []).map((r) => {
        const al = l.allowances.find((x) => x.item_id === r.item_id) || {};
        return [r.item_id, al.quantity ?? '—', r.booked_quantity, r.quantity ?? '—', al.value_eur ?? '—', r.booked_value_eur, r.value_eur ?? '—'];
      }), t('au_remaining')));
}

// The register (GET /authority/licences), filtered as the officer asks.
async function loadLicences() {
  const q = new URLSearchParams(Object.entries(st.licenceFilter).filter(([, v]) => v)).toString();
  const r = await ctx.api('GET', `/authority/licences${q ? `?${q}` : ''}`);
  st.licences = r.licences;
  st.licencesAsOf = r.as_of;
}

function licenceFilterForm() {
  const { h, t } = ctx;
  const f = st.licenceFilter;
  return h('form', { class: 'grid', id: 'au-lic-filter', role: 'search', onsubmit: async (ev) => {
    ev.preventDefault();
    const $ = ctx.$;
    st.licenceFilter = { status: $('#au-lf-status').value, holder: $('#au-lf-holder').value.trim(),
      destination: $('#au-lf-dest').value.trim().toUpperCase(), as_of: $('#au-lf-asof').value };
    try { await loadLicences(); render(); ctx.$('#au-lic-h')?.focus(); } catch (e) { ctx.showError(e); }
  } },
  h('div', {}, h('label', { for: 'au-lf-status' }, t('au_status')),
    h('select', { id: 'au-lf-status' }, ['', ...LICENCE_STATUSES].map((k) =>
      h('option', { value: k, selected: (f.status || '') === k }, k ? t('au_ls_' + k) : t('au_status_any'))))),
  h('div', {}, h('label', { for: 'au-lf-holder' }, t('au_holder')), h('input', { id: 'au-lf-holder', value: f.holder || '', autocomplete: 'off' })),
  h('div', {}, h('label', { for: 'au-lf-dest' }, t('destination')),
    h('input', { id: 'au-lf-dest', value: f.destination || '', maxlength: '2', class: 'short', autocomplete: 'off', 'aria-describedby': 'au-lf-dest-help' }),
    h('span', { class: 'help', id: 'au-lf-dest-help' }, 'ISO 3166-1')),
  h('div', {}, h('label', { for: 'au-lf-asof' }, t('au_as_of')), h('input', { id: 'au-lf-asof', type: 'date', value: f.as_of || '' })),
  h('div', {}, h('button', { type: 'submit' }, t('au_filter'))));
}

const STATUS_BADGE = { active: 'b-ok', exhausted: 'b-warn', expired: 'b-bad', not_yet_valid: 'b-warn' };

function registerCard(l) {
  const { h, t } = ctx;
  const n = (v) => (v === null || v === undefined ? '—' : String(v));
  return h('div', { class: 'card licence', 'data-licence': l.licence_number, 'data-status': l.status },
    h('h4', {}, `${t('au_licence')} ${l.licence_number}`, ' ', h('span', { class: 'badge b-ok' }, t('au_lt_' + l.type)), ' ',
      h('span', { class: `badge ${STATUS_BADGE[l.status] || ''}` }, t('au_ls_' + l.status))),
    kv([[t('au_holder'), l.holder], [t('destination'), l.destination], [t('au_validity'), validityText(l.validity)],
      [t('au_case'), h('button', { type: 'button', class: 'linklike', 'data-case': l.case_id, onclick: () => { st.tab = 'cases'; openCase(l.case_id); } }, l.case_id)],
      [t('au_decision'), l.decision_id],
      [t('au_bookings'), l.bookings ? `${l.bookings} · ${t('au_last_booked')} ${l.last_booked_on}` : '0']]),
    table([t('item'), t('description'), t('c_entries'), t('au_granted_q'), t('au_booked_q'), t('au_left_q'), t('au_granted_v'), t('au_booked_v'), t('au_left_v')],
      l.items.map((i) => [i.item_id, i.description, (i.control_entries || []).join(', ') || t('au_not_listed'),
        n(i.granted.quantity), n(i.used.quantity), n(i.remaining.quantity), n(i.granted.value_eur), n(i.used.value_eur), n(i.remaining.value_eur)]),
      t('au_remaining')));
}

function licences() {
  const { h, t } = ctx;
  if (!st.licences) return null;
  return [licenceFilterForm(),
    h('h2', { id: 'au-lic-h', tabindex: '-1' }, t('au_register', { date: st.licencesAsOf || '' })),
    st.licences.length ? st.licences.map(registerCard)
      : h('p', { id: 'au-no-licences' }, t(Object.values(st.licenceFilter).some((v) => v) ? 'au_no_licences_match' : 'au_no_licences'))];
}

// --------------------------------------------------------------- denials
function denials() {
  const { h, t } = ctx;
  const d = st.denials;
  if (!d) return null;
  const json = JSON.stringify(d, null, 2);
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  return [
    h('p', {}, h('a', { href: url, download: `denials-${d.exported_on}.json`, id: 'au-denials-export' }, t('au_export_denials')),
      h('span', { class: 'help' }, ` ${d.exported_by} · ${d.exported_on}`)),
    d.denials.length ? table([t('au_denial'), t('au_issuing'), t('au_case'), t('au_issued'), t('c_entries'), t('destination'), t('au_end_user'), t('reason'), t('au_criteria')],
      d.denials.map((x) => [x.id, x.issuing_authority, x.application_id, x.issued_on + (x.withdrawn_on ? ` (${t('au_withdrawn')} ${x.withdrawn_on})` : ''),
        x.entries.join(', '), x.destination, `${x.end_user.name} (${x.end_user.country})`, x.reason, x.criteria.join(', ')]), t('au_tab_denials'))
      : h('p', {}, t('au_no_denials')),
    h('form', { id: 'au-import', onsubmit: importDenials },
      h('label', { for: 'au-import-text' }, t('au_import_denials')),
      h('textarea', { id: 'au-import-text', required: true, rows: 6, 'aria-describedby': 'au-import-help' }),
      h('p', { class: 'help', id: 'au-import-help' }, t('au_import_help')),
      h('button', { type: 'submit' }, t('au_import'))),
  ];
}

async function importDenials(ev) {
  ev.preventDefault();
  let body;
  try { body = JSON.parse(ctx.$('#au-import-text').value); } catch { ctx.flash(ctx.t('err_malformed_json')); return; }
  try {
    const r = await ctx.api('POST', '/authority/denials', body);
    st.denials = await ctx.api('GET', '/authority/denials');
    render();
    ctx.flash(ctx.t('au_imported', { n: r.imported }), true);
  } catch (e) { ctx.showError(e); }
}

// ---------------------------------------------------------------- report
async function loadReport(year) {
  st.report = await ctx.api('GET', `/authority/report?year=${encodeURIComponent(year)}`);
}

const COLS = ['applications', 'notifications', 'grants', 'denials', 'requirements_imposed', 'no_requirement', 'granted_value_eur'];

function reportTable(id, caption, rows) {
  const { t } = ctx;
  const el = table([t('au_key'), ...COLS.map((c) => t('au_r_' + c))],
    Object.entries(rows).map(([k, r]) => [k, ...COLS.map((c) => String(r[c]))]), caption);
  el.id = id;
  return el;
}

// Horizontal bars (filings, grants, denials) per key, as inline SVG.
function chart(title, rows) {
  const NS = 'http://www.w3.org/2000/svg';
  const s = (tag, attrs, text) => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const entries = Object.entries(rows);
  const series = [['filings', (r) => r.applications + r.notifications, '#0b4f9c'], ['grants', (r) => r.grants, '#14532d'], ['denials', (r) => r.denials, '#9b1c1c']];
  const max = Math.max(1, ...entries.flatMap(([, r]) => series.map(([, f]) => f(r))));
  const labelW = 130, barW = 360, rowH = 16 * series.length + 10;
  const svg = s('svg', { role: 'img', 'aria-label': title, width: labelW + barW + 120, height: entries.length * rowH + 24, class: 'chart' });
  svg.append(s('title', {}, title));
  entries.forEach(([k, r], i) => {
    const y = i * rowH + 4;
    svg.append(s('text', { x: 0, y: y + 14, 'font-size': 12 }, k));
    series.forEach(([name, f, color], j) => {
      const v = f(r);
      svg.append(s('rect', { x: labelW, y: y + j * 16, width: Math.round((v / max) * barW), height: 13, fill: color }, undefined));
      svg.append(s('text', { x: labelW + Math.round((v / max) * barW) + 4, y: y + j * 16 + 11, 'font-size': 11 }, `${ctx.t('au_s_' + name)} ${v}`));
    });
  });
  return ctx.h('figure', {}, ctx.h('figcaption', {}, title), svg);
}

function report() {
  const { h, t } = ctx;
  const r = st.report;
  const year = r?.year ?? new Date().getFullYear();
  const form = h('form', { class: 'row', id: 'au-report-form', onsubmit: async (ev) => {
    ev.preventDefault();
    try { await loadReport(ctx.$('#au-year').value); render(); ctx.$('#au-report-h')?.focus(); } catch (e) { ctx.showError(e); }
  } }, h('label', { for: 'au-year' }, t('au_year')),
  h('input', { id: 'au-year', type: 'number', min: '2000', max: '2100', value: year, class: 'short', required: true }),
  h('button', { type: 'submit' }, t('au_show_report')));
  if (!r) return form;
  return [form,
    h('h2', { id: 'au-report-h', tabindex: '-1' }, t('au_report_title', { year: r.year })),
    h('p', {}, blobLink('au-csv', t('au_csv'), `/authority/report?year=${r.year}&format=csv`, 'text/csv', `art26-report-${r.year}.csv`)),
    reportTable('au-r-total', t('au_total'), { [t('au_all')]: r.total }),
    reportTable('au-r-dest', t('au_by_destination'), r.by_destination),
    Object.keys(r.by_destination).length ? chart(t('au_by_destination'), r.by_destination) : null,
    reportTable('au-r-cat', t('au_by_category'), r.by_category),
    Object.keys(r.by_category).length ? chart(t('au_by_category'), r.by_category) : null,
    h('h3', {}, t('au_cyber_section')),
    reportTable('au-r-cyber', t('au_total'), { [t('au_all')]: r.cyber_surveillance.total }),
    reportTable('au-r-cyber-dest', t('au_by_destination'), r.cyber_surveillance.by_destination),
    reportTable('au-r-cyber-entry', t('au_by_entry'), r.cyber_surveillance.by_entry),
    h('h3', {}, t('au_denials_by_criterion')),
    Object.keys(r.denials_by_criterion).length
      ? table([t('au_criteria'), t('au_r_denials')], Object.entries(r.denials_by_criterion).map(([k, v]) => [k, String(v)]))
      : h('p', {}, '—')];
}
