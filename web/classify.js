// Classification screen: search Annex I, read an entry, and
// walk a decision tree one question at a time to a classification record
// (GET /classify/search, /classify/entries/{code}, /classify/trees[/{tree}],
// POST /classify/records). The logic is the server's; this only shows it.

let ctx;
const st = { search: null, entry: null, trees: null, tree: null, path: [], stored: null };

export function initClassify(c) {
  ctx = c;
  ctx.$('#c-search-form').addEventListener('submit', onSearch);
  ctx.$('#c-tree-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    startTree(ctx.$('#c-tree').value);
  });
}

export async function showClassify() {
  if (st.trees) return;
  try {
    st.trees = (await ctx.api('GET', '/classify/trees')).trees;
    renderTrees();
  } catch (e) { ctx.showError(e); }
}

export function rerenderClassify() {
  renderTrees();
  renderSearch();
  renderEntry();
  renderWizard();
}

// "... the [imsi] [catcher] ..." -> text with <mark> for the bracketed words.
function passage(text) {
  return text.split(/\[([^\]]*)\]/).map((part, i) => (i % 2 ? ctx.h('mark', {}, part) : part));
}

function treesFor(code) {
  return (st.trees || []).filter((tr) => tr.id === code ||
    tr.covers.some((c) => c === code || code.startsWith(c + '.') || c.startsWith(code + '.')));
}

// ---------------------------------------------------------------- search
async function onSearch(ev) {
  ev.preventDefault();
  const q = ctx.$('#c-q').value.trim();
  if (!q) return;
  try {
    st.search = await ctx.api('GET', `/classify/search?q=${encodeURIComponent(q)}&limit=10`);
    ctx.flash('');
    renderSearch();
  } catch (e) { ctx.showError(e); }
}

function renderSearch() {
  const { h, t } = ctx;
  const out = ctx.$('#c-results');
  out.replaceChildren();
  if (!st.search) return;
  const r = st.search;
  out.append(h('div', { class: 'card' },
    h('h2', {}, t('c_results', { q: r.query })),
    h('p', { class: 'help' }, `${t('c_hint_note')} · Annex I ${r.annex_version}`),
    r.cyber_surveillance_candidate ? h('div', { class: 'notice', id: 'c-cyber-hint', role: 'note' },
      h('strong', {}, t('c_cyber_hint')), ' ', r.cyber_surveillance_candidate.advice,
      h('div', { class: 'help' }, r.cyber_surveillance_candidate.basis.join('; ')),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => startTree(r.cyber_surveillance_candidate.tree) },
        t('c_ask_tree', { id: r.cyber_surveillance_candidate.tree })))) : null,
    r.results.length === 0 ? h('p', {}, t('c_no_results')) :
      h('ol', { class: 'hits', id: 'c-hits' }, r.results.map((x) => h('li', {},
        h('button', { type: 'button', class: 'linklike', 'data-code': x.code, onclick: () => openEntry(x.code) }, x.code),
        x.cyber_surveillance ? [' ', h('span', { class: 'badge b-warn' }, t('c_cyber'))] : null,
        ' ', h('span', { class: 'help' }, `${t('score')} ${(Math.round(x.score * 100) / 100).toFixed(2)}`),
        h('div', {}, x.heading.split('\n')[0]),
        x.passage && x.passage !== x.heading ? h('div', { class: 'passage' }, passage(x.passage)) : null,
        x.via.length ? h('div', { class: 'help' }, `${t('c_via')}: ${x.via.join(', ')}`) : null)))));
}

// ----------------------------------------------------------------- entry
async function openEntry(code) {
  try {
    st.entry = await ctx.api('GET', `/classify/entries/${encodeURIComponent(code)}`);
    renderEntry();
    ctx.$('#c-entry-h')?.focus();
  } catch (e) { ctx.showError(e); }
}

function renderEntry() {
  const { h, t } = ctx;
  const out = ctx.$('#c-entry');
  out.replaceChildren();
  const e = st.entry;
  if (!e) return;
  const codeLink = (c) => h('button', { type: 'button', class: 'linklike', onclick: () => openEntry(c) }, c);
  const trees = treesFor(e.code);
  out.append(h('article', { class: 'card', 'aria-labelledby': 'c-entry-h' },
    h('h2', { id: 'c-entry-h', tabindex: '-1' }, `${e.code} — ${e.heading.split('\n')[0]}`),
    e.ancestors.length ? h('p', { class: 'help' }, t('c_within'), ' ',
      e.ancestors.map((a, i) => [i ? ' › ' : '', codeLink(a.code)])) : null,
    h('p', { class: 'entry-text' }, e.text || e.heading),
    e.notes.length ? [h('h3', {}, t('c_notes')), h('ul', {}, e.notes.map((n) => h('li', {}, h('strong', {}, n.label || n.kind), ' ', n.text)))] : null,
    e.children?.length ? [h('h3', {}, t('c_children')), h('p', {}, e.children.map((c, i) => [i ? ', ' : '', codeLink(c)]))] : null,
    e.related.references.length || e.related.referenced_by.length ? [h('h3', {}, t('c_related')),
      h('p', {}, e.related.references.map((c) => [codeLink(c), ' ']), e.related.referenced_by.map((c) => [codeLink(c), ' ']))] : null,
    h('h3', {}, t('c_status')),
    h('dl', { class: 'facts' },
      h('dt', {}, t('c_annex_iv')), h('dd', {}, t('c_aiv_' + e.annex_iv.status), e.annex_iv.detail ? ` — ${e.annex_iv.detail}` : ''),
      h('dt', {}, t('authorisations')), h('dd', {}, e.general_authorisations.length
        ? h('ul', {}, e.general_authorisations.map((g) => h('li', {}, `${g.id}: ${g.status}${g.reason ? ' — ' + g.reason : ''}`))) : '—'),
      h('dt', {}, t('c_us')), h('dd', {}, e.us_counterpart
        ? `${e.us_counterpart.eccn}${e.us_counterpart.paragraph ? '.' + e.us_counterpart.paragraph : ''} — ${e.us_counterpart.heading} (${e.us_counterpart.reason_for_control})` : '—'),
      h('dt', {}, t('c_cn')), h('dd', {}, e.cn_hints.length ? e.cn_hints.map((c) => `${c.cn} ${c.description}`).join('; ') : '—')),
    e.notes_on_sources.length ? h('p', { class: 'help' }, e.notes_on_sources.join(' · ')) : null,
    trees.length ? h('div', { class: 'actions' }, trees.map((tr) => h('button', { type: 'button', onclick: () => startTree(tr.id) },
      t('c_ask_tree', { id: tr.id })))) : h('p', { class: 'help' }, t('c_no_tree'))));
}

// ---------------------------------------------------------------- trees
function renderTrees() {
  const sel = ctx.$('#c-tree');
  const keep = sel.value;
  sel.replaceChildren(...(st.trees || []).map((tr) => ctx.h('option', { value: tr.id }, `${tr.id} — ${tr.title}`)));
  if (keep) sel.value = keep;
}

async function startTree(id) {
  try {
    st.tree = await ctx.api('GET', `/classify/trees/${encodeURIComponent(id)}`);
    st.path = [];
    st.stored = null;
    ctx.flash('');
    renderWizard();
    focusStep();
  } catch (e) { ctx.showError(e); }
}

const node = (id) => st.tree.nodes.find((n) => n.id === id);
function current() {
  let n = node(st.tree.start);
  for (const step of st.path) n = node(n.answers.find((a) => a.value === step.value).next);
  return n;
}

function focusStep() {
  const first = ctx.$('#wizard input[type="radio"]:checked') || ctx.$('#wizard input[type="radio"]');
  (first || ctx.$('#wz-result-h'))?.focus();
}

function answer(ev) {
  ev.preventDefault();
  const picked = ctx.$('#wizard input[name="wz-answer"]:checked');
  if (!picked) { ctx.flash(ctx.t('c_pick_answer')); focusStep(); return; }
  ctx.flash('');
  st.path.push({ question: current().id, value: picked.value });
  renderWizard();
  focusStep();
}

// Enter on an answer goes on (one submission, whatever the browser's
// implicit-submission rules for radio buttons are).
function enterAnswers(ev) {
  if (ev.key !== 'Enter' || ev.target.type !== 'radio') return;
  ev.preventDefault();
  ev.currentTarget.requestSubmit();
}

function back() {
  const last = st.path.pop();
  st.stored = null;
  renderWizard();
  if (last) {
    const radio = ctx.$(`#wizard input[value="${CSS.escape(last.value)}"]`);
    if (radio) radio.checked = true;
  }
  focusStep();
}

function renderWizard() {
  const { h, t } = ctx;
  const out = ctx.$('#c-wizard');
  out.replaceChildren();
  if (!st.tree) return;
  const n = current();
  const tr = st.tree;
  const backBtn = h('button', { type: 'button', class: 'secondary', id: 'wz-back', disabled: st.path.length === 0, onclick: back }, t('c_back'));
  const answered = st.path.map((s) => {
    const q = node(s.question);
    return h('li', {}, `${q.text} — `, h('strong', {}, q.answers.find((a) => a.value === s.value).label));
  });
  const head = [h('h2', {}, t('c_wizard', { title: tr.title })),
    h('p', { class: 'help' }, `${t('c_tree_version', { v: tr.version })} · ${tr.law_version} · ${t('c_verification')} ${tr.verification}`),
    answered.length ? h('details', {}, h('summary', {}, t('c_answered', { n: answered.length })), h('ol', {}, answered)) : null];
  if (n.kind === 'question') {
    out.append(h('section', { class: 'card', id: 'wizard', 'aria-labelledby': 'wz-q' }, head,
      h('form', { id: 'wz-form', onsubmit: answer, onkeydown: enterAnswers },
        h('fieldset', {},
          h('legend', { id: 'wz-q' }, h('span', { class: 'help' }, t('c_question_n', { n: st.path.length + 1 })), ' ', n.text),
          n.help ? h('p', { class: 'help', id: 'wz-help' }, n.help) : null,
          n.cites.length ? h('p', { class: 'help' }, `${t('c_cites')}: ${n.cites.join(', ')}`) : null,
          n.answers.map((a, i) => h('div', { class: 'check' },
            h('input', { type: 'radio', name: 'wz-answer', id: `wz-a-${i}`, value: a.value, 'aria-describedby': n.help ? 'wz-help' : null }),
            h('label', { for: `wz-a-${i}` }, a.label)))),
        h('div', { class: 'actions' }, backBtn, h('button', { type: 'submit', id: 'wz-next' }, t('c_next'))))));
    return;
  }
  const canStore = ['officer', 'admin'].includes(ctx.me()?.role);
  const outcomeClass = { listed: 'b-bad', cyber_surveillance_item: 'b-bad', not_listed: 'b-ok', not_cyber_surveillance_item: 'b-ok' }[n.outcome] || 'b-warn';
  out.append(h('section', { class: 'card', id: 'wizard', 'aria-labelledby': 'wz-result-h' }, head,
    h('div', { id: 'wz-result' },
      h('h3', { id: 'wz-result-h', tabindex: '-1' }, t('c_outcome'), ': ', n.text, ' ', h('span', { class: `badge ${outcomeClass}` }, t('c_out_' + n.outcome))),
      n.entries?.length ? h('p', {}, `${t('c_entries')}: `, h('strong', { id: 'wz-entries' }, n.entries.join(', '))) : null,
      n.refer_to?.length ? h('p', {}, `${t('c_refer')}: ${n.refer_to.join(', ')}`) : null,
      n.rationale ? h('p', {}, n.rationale) : null,
      st.stored ? h('p', { id: 'wz-stored', role: 'status', tabindex: '-1', class: 'stored' },
        t('c_stored', { id: st.stored.id, record: st.stored.record_id }), ' ', h('code', { id: 'wz-stored-id' }, st.stored.id))
        : canStore ? h('form', { class: 'grid', id: 'wz-store', onsubmit: store },
          h('div', {}, h('label', { for: 'wz-item-id' }, t('c_item_id')), h('input', { id: 'wz-item-id', value: '1', autocomplete: 'off' })),
          h('div', {}, h('label', { for: 'wz-item-desc' }, t('description')), h('input', { id: 'wz-item-desc', autocomplete: 'off' })),
          h('div', { class: 'wide' }, h('button', { type: 'submit', id: 'wz-store-btn' }, t('c_store'))))
          : h('p', { class: 'help' }, t('c_store_role'))),
    h('div', { class: 'actions' }, backBtn,
      h('button', { type: 'button', class: 'secondary', onclick: () => startTree(tr.id) }, t('c_restart')))));
}

async function store(ev) {
  ev.preventDefault();
  const answers = {};
  for (const s of st.path) answers[s.question] = s.value;
  const body = { schema: 'dualuse.classify-answers/1', tree: st.tree.id, answers,
    item: { id: ctx.$('#wz-item-id').value.trim() || '1', description: ctx.$('#wz-item-desc').value.trim() } };
  try {
    st.stored = await ctx.api('POST', '/classify/records', body);
    ctx.flash('');
    renderWizard();
    ctx.$('#wz-stored')?.focus();
  } catch (e) { ctx.showError(e); }
}
