// Screening beyond one name: what each list is and what a listing on it means
// (from the lists catalogue the server reads, data/lists-sources.json, through
// GET /catalog), the listed entity's details (GET /entities/{id}), and batches
// from a CSV file screened 100 parties at a time through POST /screen
// ({"parties": [...]}, its limit), with the results as CSV.
let ctx = null;
let catalogue = null;  // list id -> {title, summary}
const entityCache = new Map();
let batch = null;  // {file, rows, results, done, total, errors}

const CHUNK = 100;  // POST /screen accepts at most 100 parties per call
// The legal meaning of a listing, by the list's effect in the catalogue.
const MEANING = { asset_freeze: 'asset_freeze', blocking: 'asset_freeze', denied_party: 'export_restriction',
  licence_requirement: 'export_restriction', other: 'information_only' };
const MEANING_BADGE = { asset_freeze: 'b-bad', export_restriction: 'b-warn', information_only: 'b-ok', unknown: 'b-warn' };

export function initScreening(c) {
  ctx = c;
  ctx.$('#batch-form').addEventListener('submit', onBatch);
}

export async function loadCatalogue() {
  if (catalogue) return catalogue;
  try {
    const c = await ctx.api('GET', '/catalog');
    catalogue = Object.fromEntries(c.datasets.map((d) => [d.name,
      { title: d.title, summary: d.summary, effect: d.effect, jurisdiction: d.jurisdiction }]));
  } catch { catalogue = {}; }
  return catalogue;
}

// A list whose effect the catalogue does not give is not shown as harmless.
export const meaningOf = (effect) => MEANING[effect] || 'unknown';

// The list's title and the legal meaning of a listing on it, for one hit.
export function listCell(m) {
  const { h, t } = ctx;
  const info = catalogue?.[m.list] || {};
  // A hit carries its list's effect; a determination's match takes it from the catalogue.
  const effect = m.effect || info.effect;
  const meaning = meaningOf(effect);
  const jurisdiction = m.jurisdiction || info.jurisdiction;
  return h('div', { class: 'list-cell' },
    h('div', {}, h('strong', {}, info.title || m.list), ` (${m.list} ${m.list_version})`),
    h('div', {}, h('span', { class: `badge ${MEANING_BADGE[meaning]}`, 'data-meaning': meaning }, t('meaning_' + meaning)),
      jurisdiction ? ` ${jurisdiction}` : ''),
    info.summary ? h('details', { class: 'help' }, h('summary', {}, t('legal_basis')), info.summary) : null);
}

async function entity(m) {
  const id = `${m.list}-${m.entity_id}`;
  if (!entityCache.has(id)) {
    entityCache.set(id, ctx.api('GET', `/entities/${encodeURIComponent(id)}`).catch(() => null));
  }
  return entityCache.get(id);
}

// The listed entity's details: birth (or incorporation) date, programme,
// listing date, identifiers; filled in when the entity has been fetched.
export function entityCell(m) {
  const { h, t } = ctx;
  const box = h('dl', { class: 'facts entity', 'data-entity': `${m.list}-${m.entity_id}` });
  const put = (label, v) => { if (v && v.length) box.append(h('dt', {}, t(label)), h('dd', {}, [].concat(v).join(', '))); };
  put('programme', m.programs);
  put('listed_on', m.listed_on || t('not_given'));
  entity(m).then((e) => {
    const p = e?.properties || {};
    put('birth_date', p.birthDate);
    put('incorporation_date', p.incorporationDate);
    put('nationality', p.nationality || p.country);
    put('identifiers', p.idNumber || p.passportNumber);
    box.dataset.loaded = 'true';
  });
  return box;
}

// ----------------------------------------------------------------- CSV
// RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends.
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

const csvField = (v) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
export const toCsv = (rows) => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

function partiesFromCsv(text) {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!rows.length) throw new Error(ctx.t('batch_empty'));
  const head = rows[0].map((x) => x.trim().toLowerCase());
  const col = (n) => head.indexOf(n);
  if (col('name') < 0) throw new Error(ctx.t('batch_no_name'));
  return rows.slice(1).map((r, i) => {
    const p = { id: col('id') >= 0 && r[col('id')]?.trim() ? r[col('id')].trim() : String(i + 1), name: (r[col('name')] || '').trim() };
    for (const k of ['schema', 'country', 'birth_date', 'aliases']) if (col(k) >= 0 && r[col(k)]?.trim()) p[k] = r[col(k)].trim();
    return p;
  });
}

async function onBatch(ev) {
  ev.preventDefault();
  const { $, t, api, flash, showError } = ctx;
  const file = $('#b-file').files[0];
  if (!file) { flash(t('field_required', { field: t('batch_file') })); $('#b-file').focus(); return; }
  let parties;
  try { parties = partiesFromCsv(await file.text()); } catch (e) { flash(`${file.name}: ${e.message}`); return; }
  const empty = parties.findIndex((p) => !p.name);
  if (empty >= 0) { flash(`${file.name}: ${t('batch_row_no_name', { row: empty + 2 })}`); return; }
  await loadCatalogue();
  batch = { file: file.name, parties, results: [], records: [], done: 0, total: parties.length };
  flash('');
  progress();
  try {
    for (let i = 0; i < parties.length; i += CHUNK) {
      const r = await api('POST', '/screen', { parties: parties.slice(i, i + CHUNK) });
      batch.results.push(...r.results);
      batch.records.push(r.record_id);
      batch.versions = r.list_versions;
      batch.done = Math.min(i + CHUNK, parties.length);
      progress();
    }
  } catch (e) { showError(e); }
  renderBatch();
  $('#batch-h')?.focus();
}

function progress() {
  const { $, t } = ctx;
  $('#b-progress').hidden = false;
  $('#b-progress').max = batch.total || 1;
  $('#b-progress').value = batch.done;
  $('#b-progress-text').textContent = t('batch_progress', { done: batch.done, total: batch.total });
}

export function rerenderScreening() {
  if (batch) { progress(); renderBatch(); }
}

function renderBatch() {
  const { $, h, t, statusBadge } = ctx;
  const out = $('#batch-result');
  out.replaceChildren();
  if (!batch || !batch.results.length) return;
  const counts = {};
  for (const r of batch.results) counts[r.status] = (counts[r.status] || 0) + 1;
  const flagged = batch.results.filter((r) => r.matches.length);
  out.append(h('div', { class: 'card', id: 'batch-summary' },
    h('h2', { id: 'batch-h', tabindex: '-1' }, t('batch_result', { file: batch.file })),
    h('p', {}, Object.entries(counts).map(([k, n]) => [statusBadge(k), ` ${n} `])),
    h('p', { class: 'help' }, `${t('list_versions')}: ${Object.entries(batch.versions || {}).map(([k, v]) => `${k} ${v}`).join(', ')} · `
      + batch.records.map((id) => t('record_n', { id })).join(', ')),
    h('p', { class: 'no-print' },
      h('button', { type: 'button', id: 'batch-csv', onclick: downloadCsv }, t('batch_csv')), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, t('print'))),
    h('table', { id: 'batch-table' },
      h('caption', { class: 'visually-hidden' }, t('batch_result', { file: batch.file })),
      h('thead', {}, h('tr', {}, ['col_row_id', 'name', 'status', 'listed_entity', 'list_and_meaning', 'score', 'details']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, flagged.flatMap((r) => r.matches.map((m, j) => h('tr', { 'data-id': r.id },
        h('td', {}, j ? '' : r.id), h('td', {}, j ? '' : r.query), h('td', {}, j ? '' : statusBadge(r.status)),
        h('td', {}, h('strong', {}, m.name), h('div', { class: 'help' }, `${m.entity_id} · ${m.schema}`)),
        h('td', {}, listCell(m)), h('td', {}, (Math.round(m.score * 100) / 100).toFixed(2)),
        h('td', {}, entityCell(m))))))),
    flagged.length === batch.results.length ? null
      : h('p', {}, t('batch_clear_rest', { n: batch.results.length - flagged.length }))));
}

async function downloadCsv() {
  const { t } = ctx;
  const rows = [['id', 'name', 'status', 'list', 'list_title', 'list_version', 'meaning', 'effect', 'jurisdiction',
    'entity_id', 'entity_name', 'matched_name', 'score', 'programmes', 'listed_on', 'birth_date']];
  for (const r of batch.results) {
    if (!r.matches.length) { rows.push([r.id, r.query, r.status, '', '', '', '', '', '', '', '', '', '', '', '', '']); continue; }
    for (const m of r.matches) {
      const e = await entity(m);
      rows.push([r.id, r.query, r.status, m.list, catalogue?.[m.list]?.title || '', m.list_version, meaningOf(m.effect),
        m.effect, m.jurisdiction, m.entity_id, m.name, m.matched_name, m.score.toFixed(2), m.programs.join('; '),
        m.listed_on || '', (e?.properties?.birthDate || []).join('; ')]);
    }
  }
  const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: 'text/csv' }));
  const a = ctx.h('a', { href: url, download: `screening-${batch.file.replace(/\.csv$/i, '')}-results.csv`, id: 'batch-csv-link' }, t('batch_csv_ready'));
  ctx.$('#batch-csv').replaceWith(a);
  a.focus();
}
