// Browser tests of the dualuse web UI: the real `dualuse serve` binary on an
// ephemeral loopback port, driven in Debian's chromium by playwright-core.
// Usage: node tests/ui/run.mjs --dualuse build/dualuse [--lists build/data/lists] [--out DIR]
// Screenshots go to <out> (default: <dir of the binary>/ui-screenshots).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const binary = resolve(arg('dualuse', join(here, '../../build/dualuse')));
const lists = resolve(arg('lists', join(dirname(binary), 'data/lists')));
const out = resolve(arg('out', join(dirname(binary), 'ui-screenshots')));
// --docs DIR: also write the screenshots named in DOCS_SHOTS there (docs/ui).
const docs = arg('docs', null) && resolve(arg('docs'));
const DOCS_SHOTS = ['02-screen-hit', '02b-screen-batch', '02c-screen-batch-print', '14-authority-checklist',
  '15-authority-decision', '16-authority-licences', '20-seed-determination-en', '20-seed-determination-nl',
  '21-seed-filed-en', '22-seed-decided-en', '23-seed-status-en'];
const seedCase = resolve(arg('seed', join(here, '../../examples/seed-case-3894.json')));
const unList = join(lists, 'un_sc/un_consolidated_2026-02-27.xml');
const LISTED = 'Korea Mining Development Trading Corporation';

mkdirSync(out, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'dualuse-ui-'));
const profile = mkdtempSync(join(tmpdir(), 'dualuse-ui-profile-'));
const run = (...args) => execFileSync(binary, [...args, '--data-dir', dataDir], { encoding: 'utf8' }).trim();

let passed = 0;
let failed = 0;
let server;
let context;

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

function startServer() {
  return new Promise((resolvePort, reject) => {
    server = spawn(binary, ['serve', '--port', '0', '--data-dir', dataDir, '--list', unList],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    server.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolvePort(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`dualuse serve exited early (${code})`)));
    setTimeout(() => reject(new Error('dualuse serve did not start in 60 s')), 60000);
  });
}

async function main() {
  run('users', 'add', 'olga', '--role', 'officer');
  run('users', 'add', 'rik', '--role', 'reviewer');
  run('users', 'add', 'ada', '--role', 'authority');
  const officer = run('users', 'token', 'olga');
  const reviewer = run('users', 'token', 'rik');
  const authority = run('users', 'token', 'ada');
  const port = await startServer();
  const base = `http://127.0.0.1:${port}`;
  // The JSON API directly (test setup and cross-checks of what the UI shows).
  const apiCall = async (token, method, path, body) => {
    const res = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text };
  };
  let classificationId = null;

  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  // The language the UI asks the server for, per POST /assess.
  const assessLanguages = [];
  page.on('request', (r) => { if (r.url() === `${base}/assess`) assessLanguages.push(r.headers()['accept-language']); });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  const shot = async (name) => {
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    if (docs && DOCS_SHOTS.includes(name)) await page.screenshot({ path: join(docs, `${name}.png`), fullPage: true });
  };
  // axe-core (WCAG 2 A and AA rules) on the page as it stands: no violation.
  const axe = async (what) => {
    // Evaluated through the DevTools protocol: the page's CSP (default-src 'self') stays on.
    if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(readFileSync(axePath, 'utf8'));
    const v = await page.evaluate(async () => (await window.axe.run(document,
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations
      .map((x) => `${x.id}: ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
    expect(v.length === 0, `axe on ${what}: ${v.join(' | ')}`);
  };
  // The assessment form: fill item row i / party row i (0-based) by field name.
  const row = (kind, i) => page.locator(`#a-${kind} .${kind === 'items' ? 'item' : 'party'}-row`).nth(i);
  const fillRow = async (kind, i, fields) => {
    while (await page.locator(`#a-${kind} > fieldset`).count() <= i) await page.click(kind === 'items' ? '#a-add-item' : '#a-add-party');
    const r = row(kind, i);
    for (const [name, value] of Object.entries(fields)) {
      const el = r.locator(`[name="${name}"]`);
      const tag = await el.evaluate((x) => x.tagName.toLowerCase() + (x.type === 'checkbox' ? ':checkbox' : ''));
      if (tag === 'select') await el.selectOption(String(value));
      else if (tag === 'input:checkbox') await el.setChecked(!!value);
      else await el.fill(String(value));
    }
  };

  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="true"]');

  await step('login page is accessible: landmarks, labels, lang', async () => {
    expect(await page.locator('header').count() === 1, 'no header landmark');
    expect(await page.locator('main').count() === 1, 'no main landmark');
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
        && !(el.getAttribute('aria-labelledby') || '').split(' ').every((id) => id && document.getElementById(id)?.textContent.trim()))
      .map((el) => el.id || el.name));
    expect(unlabelled.length === 0, `inputs without a label: ${unlabelled.join(', ')}`);
    expect(await page.getAttribute('html', 'lang') === 'en', 'html lang is not en');
    await shot('01-login');
  });

  await step('a wrong token is refused with a message', async () => {
    await page.fill('#token', 'du_000000000000_' + 'a'.repeat(64));
    await page.press('#token', 'Enter');
    await page.waitForSelector('#flash:not([hidden])');
    expect(await page.isVisible('#view-login'), 'left the login page');
  });

  await step('log in with a token (officer)', async () => {
    await page.fill('#token', officer);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#nav:not([hidden])');
    expect((await page.textContent('#who')).includes('olga'), 'user name not shown');
    expect(await page.isVisible('#view-screen'), 'screen view not shown');
  });

  await step('screen a listed party: hit, highlighted name parts, explanation', async () => {
    await page.fill('#s-name', LISTED);
    await page.press('#s-name', 'Enter');
    await page.waitForSelector('#screen-summary');
    const text = await page.textContent('#screen-summary');
    expect(text.includes('Hit'), 'no Hit badge: ' + text.slice(0, 200));
    expect(await page.locator('#screen-summary mark').count() >= 2, 'no highlighted name parts');
    expect(await page.locator('#screen-summary ul.explain li').count() >= 1, 'no explanation');
    await shot('02-screen-hit');
  });

  await step('screen: a hit names its list (catalogue title), the legal meaning and the entity\'s details', async () => {
    const text = await page.textContent('#screen-summary');
    expect(text.includes('UN Security Council Consolidated List'), 'list title from the catalogue not shown');
    expect(await page.locator('#screen-summary [data-meaning="asset_freeze"]').count() >= 1, 'legal meaning not shown');
    expect(text.includes('Asset freeze'), 'meaning label');
    await page.waitForSelector('#screen-summary dl.entity[data-loaded="true"]');
    const details = await page.textContent('#screen-summary dl.entity');
    expect(details.includes('Programme') && details.includes('DPRK') && details.includes('Listed on'), 'entity details: ' + details);
    await axe('a screening hit');
  });

  await step('screen: a CSV batch of 250 in chunks with progress, results as CSV, print view', async () => {
    const names = Array.from({ length: 249 }, (_, i) => [String(i + 1), `Example Trading ${i + 1} B.V.`, 'Organization', 'NL']);
    names.splice(120, 0, ['KOMID', LISTED, 'Organization', 'KP']);
    names.push(['q1', 'Smith, "Acme" Ltd', '', '']);
    const csv = ['id,name,schema,country', ...names.map((r) => r.map((f) => (/[",]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(','))].join('\r\n');
    const file = join(dataDir, 'batch.csv');
    writeFileSync(file, csv);
    await page.setInputFiles('#b-file', file);
    await page.click('#batch-form button[type="submit"]');
    await page.waitForSelector('#batch-summary');
    expect(await page.getAttribute('#b-progress', 'value') === String(names.length), 'progress not at the total');
    expect((await page.textContent('#b-progress-text')).includes(`${names.length} of ${names.length}`), 'progress text');
    const hit = page.locator('#batch-table tr[data-id="KOMID"]').first();
    expect((await hit.textContent()).includes('Asset freeze'), 'the listed party is not shown as an asset freeze');
    await page.click('#batch-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#batch-csv-link')]);
    expect(download.suggestedFilename() === 'screening-batch-results.csv', 'file name ' + download.suggestedFilename());
    const out = readFileSync(await download.path(), 'utf8');
    const lines = out.trim().split('\r\n');
    expect(lines[0].startsWith('id,name,status,list,list_title'), 'CSV header: ' + lines[0]);
    const komid = lines.find((l) => l.startsWith('KOMID,'));
    expect(komid && komid.includes(',hit,un_sc,') && komid.includes(',asset_freeze,'), 'CSV row of the hit: ' + komid);
    expect(lines.some((l) => l.startsWith('q1,"Smith, ""Acme"" Ltd",')), 'quoted name not kept');
    expect(lines.length - 1 >= names.length, `CSV rows ${lines.length - 1} < ${names.length}`);
    await axe('the batch results');
    await shot('02b-screen-batch');
    await page.emulateMedia({ media: 'print' });
    expect(!(await page.isVisible('#nav')) && !(await page.isVisible('#batch-form')), 'print view shows navigation or forms');
    expect(await page.isVisible('#batch-table'), 'print view hides the results');
    await shot('02c-screen-batch-print');
    await page.emulateMedia({ media: 'screen' });
  });

  await step('keyboard: "a" opens the assessment form, "/" focuses its first field', async () => {
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('a');
    await page.waitForSelector('#view-assess:not([hidden])');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement.id) === 'a-ref', 'focus not on first field');
  });

  await step('assess: determination with each finding and its article', async () => {
    await page.fill('#a-ref', 'UI-1');
    await page.fill('#a-dest', 'CN');
    await page.fill('#a-exp-name', 'Example B.V.');
    await fillRow('items', 0, { description: 'IP network surveillance system', control_entries: '5A001.j', cyber: 'yes', not_listed: true });
    await fillRow('parties', 0, { name: LISTED, country: 'CN' });
    // Entries and "not listed" together contradict each other: refused, focus on the box.
    await page.click('#assess-form button[type="submit"]');
    await page.waitForSelector('#flash:not([hidden])');
    expect(await page.evaluate(() => document.activeElement.name) === 'not_listed', 'focus not on the contradicting box');
    expect(await page.locator('#determination').count() === 0, 'assessed despite the contradiction');
    await fillRow('items', 0, { not_listed: false });
    await page.click('#assess-form button[type="submit"]');
    await page.waitForSelector('#determination');
    const text = await page.textContent('#determination');
    expect(text.includes('Prohibited'), 'verdict not Prohibited: ' + text.slice(0, 300));
    const findings = await page.locator('#determination .finding .basis').allTextContents();
    expect(findings.length >= 2, 'fewer than two findings');
    expect(findings.every((b) => b.trim().length > 0), 'a finding without its legal basis');
    expect(findings.some((b) => /Article|Art\./.test(b)), 'no finding cites an article: ' + findings.join(' | '));
    expect(await page.locator('#determination .screen-matches [data-meaning="asset_freeze"]').count() >= 1,
      'the listed party\'s match does not show the legal meaning of its listing');
    expect(await page.locator('#file-btn').count() === 0, 'a prohibited export is offered for filing');
    await shot('03-assess');
    await axe('the determination');
  });

  await step('switch language to Dutch and back', async () => {
    await page.selectOption('#lang', 'nl');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    expect((await page.textContent('#nav')).includes('Beoordelen'), 'nav not in Dutch');
    expect((await page.textContent('#determination')).includes('Verboden'), 'verdict not in Dutch');
    await shot('04-assess-nl');
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  await step('lists: status, age and a stale warning', async () => {
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('l');
    await page.waitForSelector('#lists-table table');
    const text = await page.textContent('#lists-table');
    expect(text.includes('un_sc') && text.includes('2026-02-27'), 'UN list not shown');
    expect(text.includes('Stale'), 'no stale warning');
    await shot('05-lists');
  });

  await step('classify: search ranks entries with the matching passage highlighted', async () => {
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('c');
    await page.waitForSelector('#view-classify:not([hidden])');
    await page.fill('#c-q', 'imsi catcher');
    await page.press('#c-q', 'Enter');
    await page.waitForSelector('#c-hits li');
    const codes = await page.locator('#c-hits button[data-code]').allTextContents();
    expect(codes.some((c) => c.startsWith('5A001.f')), 'no 5A001.f in the results: ' + codes.join(', '));
    expect(await page.locator('#c-hits .passage mark').count() >= 1, 'no highlighted passage');
    await shot('09-classify-search');
  });

  await step('classify: open an entry from the results', async () => {
    await page.locator('#c-hits button[data-code^="5A001.f"]').first().click();
    await page.waitForSelector('#c-entry-h');
    expect((await page.textContent('#c-entry-h')).startsWith('5A001.f'), 'entry heading');
    expect(await page.evaluate(() => document.activeElement.id) === 'c-entry-h', 'focus not on the entry');
    expect((await page.textContent('#c-entry')).includes('Annex IV'), 'no Annex IV status');
    await shot('10-classify-entry');
  });

  await step('classify: walk the guided questions by keyboard, with back, to an outcome', async () => {
    await page.locator('#c-entry').getByRole('button', { name: /^Guided questions: 5A001\.f/ }).first().click();
    await page.waitForSelector('#wz-q');
    const first = await page.textContent('#wz-q');
    expect(await page.isDisabled('#wz-back'), 'back is enabled on the first question');
    // Keyboard only: focus is on the first answer; Space picks it, Enter goes on.
    expect(await page.evaluate(() => document.activeElement.name) === 'wz-answer', 'focus not on an answer');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.waitForFunction((q) => !document.querySelector('#wz-q') || document.querySelector('#wz-q').textContent !== q, first);
    await page.click('#wz-back');
    await page.waitForFunction((q) => document.querySelector('#wz-q')?.textContent === q, first);
    expect(await page.isChecked('#wz-a-0'), 'the earlier answer is not kept after back');
    await shot('11-classify-question');
    for (let i = 0; i < 30 && await page.locator('#wz-q').count(); i++) {
      const q = await page.textContent('#wz-q');
      await page.locator('#wizard input[name="wz-answer"]').first().focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Enter');
      await page.waitForFunction((x) => !document.querySelector('#wz-q') || document.querySelector('#wz-q').textContent !== x, q);
    }
    await page.waitForSelector('#wz-result-h');
    expect((await page.textContent('#wz-result-h')).includes('Outcome'), 'no outcome');
  });

  await step('classify: store the classification record; its id is shown and served', async () => {
    await page.fill('#wz-item-desc', 'IMSI catcher (UI test)');
    await page.click('#wz-store-btn');
    await page.waitForSelector('#wz-stored-id');
    classificationId = (await page.textContent('#wz-stored-id')).trim();
    expect(/^CR-[0-9a-f]{16}$/.test(classificationId), 'bad id: ' + classificationId);
    const r = await apiCall(officer, 'GET', `/classify/records/${classificationId}`);
    expect(r.status === 200, `GET /classify/records: ${r.status} ${r.text}`);
    expect(r.json.id === classificationId && r.json.actor === 'olga', 'stored record differs: ' + r.text.slice(0, 200));
    expect(r.json.record.item.description === 'IMSI catcher (UI test)', 'item not stored');
    await shot('12-classify-stored');
  });

  await step('officer cannot decide review items', async () => {
    await page.goto(base + '/#review');
    await page.waitForSelector('#review-list .review-item');
    expect(await page.locator('#review-list textarea').count() === 0, 'officer sees decision form');
  });

  await step('review: reviewer confirms an alert with a reason', async () => {
    await page.click('#logout');
    await page.fill('#token', reviewer);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#nav:not([hidden])');
    await page.goto(base + '/#review');
    await page.waitForSelector('#review-list .review-item textarea');
    const before = await page.locator('#review-list .review-item').count();
    await shot('06-review-queue');
    await page.locator('#review-list textarea').first().fill('Same entity as UN KPe.001 (UI test)');
    await page.locator('#review-list .review-item').first().getByRole('button', { name: 'Confirm match' }).click();
    await page.waitForSelector('#flash.info:not([hidden])');
    const after = await page.locator('#review-list .review-item').count();
    expect(after === before - 1, `queue did not shrink (${before} -> ${after})`);
    await page.selectOption('#r-state', 'confirmed');
    // The list re-renders when the confirmed items arrive: wait for the reason.
    await page.waitForFunction(() => document.querySelector('#review-list').textContent
      .includes('Same entity as UN KPe.001'), null, { timeout: 10000 });
    await shot('07-review-confirmed');
  });

  await step('records: search, open and replay', async () => {
    await page.goto(base + '/#records');
    await page.selectOption('#rec-kind', 'screening');
    await page.click('#records-form button[type="submit"]');
    await page.waitForSelector('#records-list table');
    await page.locator('#records-list a').first().click();
    await page.waitForSelector('#rec-detail-h');
    expect((await page.textContent('#record-detail')).includes('olga'), 'actor not shown');
    await page.getByRole('button', { name: "Replay with today's data" }).click();
    await page.waitForSelector('#replay-result');
    expect((await page.textContent('#replay-result')).includes('same result'), 'replay differs');
    await shot('08-records-replay');
  });

  const today = new Date().toISOString().slice(0, 10);
  const year = today.slice(0, 4);
  let caseId = null;
  await step('authority: a filing made through the API is listed', async () => {
    const request = {
      schema: 'dualuse.assessment/1', reference: 'UI-AUTH-1', date: today, activity: 'export',
      exporter: { name: 'Example B.V.', country: 'NL', has_icp: true }, destination: 'CN',
      items: [{ id: '1', description: 'IMSI catcher', kind: 'goods', control_entries: ['5A001.f'],
        cyber_surveillance: true, quantity: 10, value_eur: 100000 }],
      parties: [{ role: 'end_user', name: 'Example Telecom Co., Ltd', country: 'CN', type: 'organization', sector: 'telecom_operator' }],
      end_use: { description: 'lawful interception for the operator network' } };
    const determination = {
      schema: 'dualuse.determination/1', reference: 'UI-AUTH-1', verdict: 'licence_required',
      findings: [{ rule: 'eu-2021-821/art-3-1', basis: 'Regulation (EU) 2021/821, Article 3(1)', effect: 'licence_required', item: '1', summary: 'listed' },
        { rule: 'embargo/arms', basis: 'Council Decision on China (arms embargo)', effect: 'information', summary: 'destination under an arms embargo' }],
      screening: [{ party: 0, status: 'clear', matches: [] }] };
    const filing = { schema: 'dualuse.authority-filing/1', request, determination,
      classification_records: classificationId ? { 1: classificationId } : {},
      reviews: [], due_diligence: [{ question: 'Red flags?', answer: 'none found (UI test)' }], filed_on: today };
    const r = await apiCall(officer, 'POST', '/authority/filings', filing);
    expect(r.status === 201, `filing: ${r.status} ${r.text}`);
    caseId = r.json.id;
    expect(!(await page.isVisible('#nav-authority')), 'officer sees the authority screen');
    await page.click('#logout');
    await page.fill('#token', authority);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#nav-authority:not([hidden])');
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('k');
    await page.waitForSelector(`#authority-body button[data-case="${caseId}"]`);
    await shot('13-authority-cases');
  });

  await step('authority: case file with classification record, screening, due diligence', async () => {
    await page.click(`#authority-body button[data-case="${caseId}"]`);
    await page.waitForSelector('#au-case-h');
    const text = await page.textContent('#authority-body');
    expect(text.includes('Example Telecom Co., Ltd'), 'party not shown');
    expect(!classificationId || text.includes(classificationId), 'classification record not shown');
    expect(text.includes('none found (UI test)'), 'due diligence not shown');
    expect(text.includes('arms embargo'), 'destination facts not shown');
    expect(text.includes('No essentially identical denial'), 'prior denials section missing');
    expect(await page.locator('#au-checklist .criterion').count() >= 12, 'fewer than 12 criteria');
  });

  await step('authority: criteria start unassessed; saving with one unanswered is refused', async () => {
    const values = await page.locator('#au-checklist select').evaluateAll((els) => els.map((e) => e.value));
    expect(values.length >= 12 && values.every((v) => v === ''), 'a criterion is pre-set: ' + values.join(','));
    expect(await page.isDisabled('#au-decide-btn'), 'decision possible before the assessment');
    await page.click('#au-check-save');
    await page.waitForSelector('#flash:not([hidden])');
    expect(await page.locator('#au-assessed').count() === 0, 'an incomplete assessment was saved');
    await axe('the case file and checklist');
  });

  await step('authority: fill the criteria checklist', async () => {
    for (const sel of await page.locator('#au-checklist select').all()) await sel.selectOption('no_concern');
    for (const ta of await page.locator('#au-checklist textarea').all()) {
      await ta.fill('Considered the end user, the destination and the item (UI test).');
    }
    await shot('14-authority-checklist');
    await page.click('#au-check-save');
    await page.waitForFunction(() => document.querySelector('#au-checklist')?.parentElement.textContent.includes('Assessed by ada'));
  });

  await step('authority: grant; decision letter link; licence with what is left', async () => {
    const until = `${Number(year) + 1}${today.slice(4)}`;
    await page.selectOption('#au-d-kind', 'grant');
    await page.fill('#au-d-until', until);
    await page.fill('#au-q-1', '10');
    await page.fill('#au-v-1', '100000');
    await page.fill('#au-d-reason', 'No concern under any criterion (UI test).');
    await page.click('#au-decide-btn');
    await page.waitForSelector('#au-decision');
    expect((await page.textContent('#au-decision')).includes('Grant'), 'decision not shown');
    // One convention for the end of validity: the last day, inclusive, as the letter has it.
    expect((await page.textContent('#au-decision')).includes(`to ${until} inclusive`), 'validity not shown as last day inclusive');
    expect(await page.locator('#au-checklist select:disabled').count() >= 12, 'checklist not locked after the decision');
    await page.locator('#au-letter button').click();
    await page.waitForSelector('#au-letter a[href^="blob:"]');
    await shot('15-authority-decision');
    await page.click('#au-tab-licences');
    await page.waitForSelector('#authority-body .licence');
    const lic = await page.textContent('#authority-body .licence');
    expect(lic.includes('Example B.V.') && lic.includes(caseId), 'licence holder/case not shown');
    // item, description, entries, granted, booked, left (quantity), then value
    const cells = await page.locator('#authority-body .licence tbody tr').first().locator('td').allTextContents();
    expect(cells[0] === '1' && cells[3] === '10' && cells[5] === '10', 'quantity granted/left is not 10: ' + cells.join(' | '));
    await shot('16-authority-licences');
  });

  await step('authority: the licence register (GET /authority/licences) filtered by status and holder', async () => {
    const api = await apiCall(authority, 'GET', '/authority/licences?status=active&holder=example');
    expect(api.status === 200 && api.json.licences.length === 1, `register API: ${api.status} ${api.text}`);
    expect((await apiCall(officer, 'GET', '/authority/licences')).status === 403, 'officer reads the register');
    await page.selectOption('#au-lf-status', 'expired');
    await page.click('#au-lic-filter button[type="submit"]');
    await page.waitForSelector('#au-no-licences');
    await page.selectOption('#au-lf-status', 'active');
    await page.fill('#au-lf-holder', 'EXAMPLE');
    await page.click('#au-lic-filter button[type="submit"]');
    await page.waitForSelector(`#authority-body .licence[data-licence="${api.json.licences[0].licence_number}"][data-status="active"]`);
    expect(await page.locator('#authority-body .licence').count() === 1, 'filtered register is not one licence');
  });

  await step('authority: the Art 26 report for the year equals the API', async () => {
    await page.click('#au-tab-report');
    await page.fill('#au-year', year);
    await page.click('#au-report-form button[type="submit"]');
    await page.waitForSelector('#au-r-total');
    const api = await apiCall(authority, 'GET', `/authority/report?year=${year}`);
    expect(api.status === 200, 'report API ' + api.status);
    const headers = await page.locator('#au-r-total thead th').allTextContents();
    const row = await page.locator('#au-r-total tbody tr').first().locator('td').allTextContents();
    const col = (name) => row[headers.indexOf(name)];
    expect(Number(col('Grants')) === api.json.total.grants && api.json.total.grants === 1,
      `grants: UI ${col('Grants')} API ${api.json.total.grants}`);
    expect(Number(col('Applications')) === api.json.total.applications, `applications: UI ${col('Applications')} API ${api.json.total.applications}`);
    expect(await page.locator('#view-authority svg.chart rect').count() >= 1, 'no chart');
    await page.locator('#au-csv button').click();
    await page.waitForSelector('#au-csv a[href^="blob:"][download]');
    await shot('17-authority-report');
  });

  await step('authority: denials list and Dutch strings', async () => {
    await page.click('#au-tab-denials');
    await page.waitForSelector('#au-denials-export');
    await page.selectOption('#lang', 'nl');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    expect((await page.textContent('#nav')).includes('Vergunningverlener'), 'nav not in Dutch');
    expect((await page.textContent('#authority-body')).includes('Weigeringen exporteren'), 'denials not in Dutch');
    await shot('18-authority-denials-nl');
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  await step('authority: a notification from POST /assess shows what the exporter notified', async () => {
    const data = (f) => JSON.parse(readFileSync(join(here, '../data/classify', f), 'utf8'));
    const request = data('request-emotion-analysis.json');
    request.items[0].control_entries = [];
    request.items[0].cyber_surveillance = true;
    request.due_diligence = data('due-diligence-aware.json');
    const det = await apiCall(officer, 'POST', '/assess', request);
    expect(det.status === 200 && det.json.verdict === 'notify_authority' && det.json.notification,
      `assess: ${det.status} ${det.json?.verdict} ${det.text.slice(0, 200)}`);
    const r = await apiCall(officer, 'POST', '/authority/filings',
      { schema: 'dualuse.authority-filing/1', request, determination: det.json, filed_on: today });
    expect(r.status === 201 && r.json.kind === 'notification', `filing: ${r.status} ${r.text}`);
    await page.click('#au-tab-cases');
    await page.click(`#authority-body button[data-case="${r.json.id}"]`);
    await page.waitForSelector('#au-notification');
    const text = await page.textContent('#au-notification');
    const n = det.json.notification;
    expect(text.includes(n.basis) && text.includes('PO-2026-0077') && text.includes(n.record_sha256) && text.includes(n.statement.slice(0, 40)),
      'notification not shown: ' + text.slice(0, 300));
    await shot('19-authority-notification');
  });

  // ------------------------------------------------ the exporter's whole case
  const loginAs = async (token) => {
    if (await page.isVisible('#logout')) await page.click('#logout');
    await page.fill('#token', token);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#nav:not([hidden])');
  };
  const seed = JSON.parse(readFileSync(seedCase, 'utf8'));
  const cli = JSON.parse(execFileSync(binary, ['assess', seedCase, '--list', unList, '--no-record', '--data-dir', dataDir],
    { encoding: 'utf8' }));
  const findingKey = (f) => `${f.rule} ${f.effect} item=${f.item ?? '-'} party=${f.party ?? '-'}`;
  // Enters a request through the form, field by field; a field of the request
  // the form has no place for fails the step (everything must be enterable).
  const HANDLED = {
    top: ['schema', 'reference', 'date', 'activity', 'exporter', 'destination', 'origin', 'items', 'parties', 'end_use', 'knowledge'],
    exporter: ['name', 'country', 'has_icp'],
    item: ['id', 'description', 'kind', 'control_entries', 'cyber_surveillance', 'quantity', 'value_eur', 'cn_code', 'classification_record'],
    party: ['role', 'name', 'country', 'type', 'sector', 'birth_date', 'aliases'],
  };
  const enterCase = async (r, reference, beforeSubmit = async () => {}) => {
    const extra = (o, keys, where) => Object.keys(o).filter((k) => !keys.includes(k)).map((k) => `${where}.${k}`);
    const unknown = [...extra(r, HANDLED.top, '$'), ...extra(r.exporter, HANDLED.exporter, '$.exporter'),
      ...r.items.flatMap((x, i) => extra(x, HANDLED.item, `$.items[${i}]`)),
      ...r.parties.flatMap((x, i) => extra(x, HANDLED.party, `$.parties[${i}]`))];
    expect(unknown.length === 0, 'the form has no field for ' + unknown.join(', '));
    await page.goto(base + '/#assess');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#view-assess:not([hidden])');
    await page.fill('#a-ref', reference);
    await page.fill('#a-date', r.date || '');
    await page.selectOption('#a-activity', r.activity);
    await page.fill('#a-exp-name', r.exporter.name);
    await page.fill('#a-exp-country', r.exporter.country);
    await page.setChecked('#a-icp', !!r.exporter.has_icp);
    await page.fill('#a-dest', r.destination);
    await page.fill('#a-origin', r.origin || '');
    for (const [i, it] of r.items.entries()) {
      await fillRow('items', i, { id: it.id, description: it.description, kind: it.kind,
        control_entries: (it.control_entries || []).join(', '),
        not_listed: Array.isArray(it.control_entries) && it.control_entries.length === 0,
        cyber: it.cyber_surveillance === undefined ? '' : it.cyber_surveillance ? 'yes' : 'no',
        quantity: it.quantity ?? '', value_eur: it.value_eur ?? '', cn_code: it.cn_code ?? '',
        classification_record: [].concat(it.classification_record ?? []).join(', ') });
    }
    for (const [i, p] of r.parties.entries()) {
      await fillRow('parties', i, { role: p.role, name: p.name, country: p.country, type: p.type || 'organization',
        sector: p.sector || '', birth_date: p.birth_date || '', aliases: [].concat(p.aliases ?? []).join('; ') });
    }
    await page.fill('#a-end-use', r.end_use?.description || '');
    for (const k of ['informed', 'aware', 'suspects']) {
      for (const c of r.knowledge?.[k] || []) await page.check(`#k-${k}-${c}`);
    }
    await beforeSubmit();
    await page.click('#assess-form button[type="submit"]');
    await page.waitForSelector('#determination');
  };

  const walkSeedCase = async (langCode, reference, labels) => {
    let filingId = null;
    await step(`[${langCode}] seed case entered through the form: the determination of dualuse assess, red flag included`, async () => {
      await loginAs(officer);
      await page.selectOption('#lang', langCode);
      await page.waitForFunction((l) => document.documentElement.lang === l, langCode);
      await enterCase(seed, reference);
      const verdict = await page.getAttribute('#determination', 'data-verdict');
      expect(verdict === cli.verdict, `verdict ${verdict}, dualuse assess: ${cli.verdict}`);
      expect(assessLanguages.at(-1) === langCode, `Accept-Language ${assessLanguages.at(-1)}, UI language ${langCode}`);
      const ui = (await page.locator('#determination .finding').evaluateAll((els) => els.map((e) => e.dataset.rule))).sort();
      const want = cli.findings.map((f) => f.rule).sort();
      expect(JSON.stringify(ui) === JSON.stringify(want), `findings ${ui.join(',')} vs ${want.join(',')}`);
      expect(cli.findings.some((f) => f.effect === 'red_flag'), 'the seed case has no red flag in dualuse assess');
      expect(await page.locator('#determination .finding.eff-red_flag').count() === cli.findings.filter((f) => f.effect === 'red_flag').length,
        'red flag not shown');
      expect(await page.locator('#review-reasons li').count() === (cli.review_reasons || []).length, 'review reasons differ');
      expect((await page.textContent('#file-btn')).trim() === labels.file, 'file button label: ' + await page.textContent('#file-btn'));
      await shot(`20-seed-determination-${langCode}`);
      await axe(`the seed determination (${langCode})`);
    });
    await step(`[${langCode}] seed case: the notification is filed; its status is shown to the exporter`, async () => {
      await page.click('#file-btn');
      await page.waitForSelector('#filed');
      filingId = (await page.textContent('#filed')).match(/APP-\d+/)?.[0];
      expect(filingId, 'no filing id shown');
      await page.waitForSelector(`#filings-list tr[data-filing="${filingId}"][data-state="filed"]`);
      const row = await page.textContent(`#filings-list tr[data-filing="${filingId}"]`);
      expect(row.includes(labels.filed) && row.includes(labels.notification), 'status row: ' + row);
      const api = await apiCall(officer, 'GET', '/authority/status');
      expect(api.status === 200 && api.json.filings.some((f) => f.id === filingId && f.kind === 'notification'), 'status API: ' + api.text.slice(0, 200));
      await shot(`21-seed-filed-${langCode}`);
      await axe(`the filing status (${langCode})`);
    });
    await step(`[${langCode}] seed case: the authority decides the notification`, async () => {
      await loginAs(authority);
      await page.goto(base + '/#authority');
      await page.waitForSelector(`#authority-body button[data-case="${filingId}"]`);
      await page.click(`#authority-body button[data-case="${filingId}"]`);
      await page.waitForSelector('#au-case-h');
      expect((await page.textContent('#authority-body')).includes(seed.parties[0].name), 'party not in the case file');
      await page.selectOption('#au-d-kind', 'impose_requirement');
      await page.fill('#au-d-reason', 'Security end user for an emotion-analysis system (UI test).');
      await page.click('#au-decide-btn');
      await page.waitForSelector('#au-decision');
      await shot(`22-seed-decided-${langCode}`);
      await axe(`the decided case (${langCode})`);
    });
    await step(`[${langCode}] seed case: the exporter sees the decision`, async () => {
      await loginAs(officer);
      await page.goto(base + '/#assess');
      await page.waitForSelector(`#filings-list tr[data-filing="${filingId}"][data-state="decided"]`);
      const row = await page.textContent(`#filings-list tr[data-filing="${filingId}"]`);
      expect(row.includes(labels.decided) && row.includes(labels.imposed), 'decided row: ' + row);
      await shot(`23-seed-status-${langCode}`);
    });
  };
  await walkSeedCase('en', seed.reference, { file: 'File the notification', filed: 'filed, awaiting assessment',
    notification: 'Notification', decided: 'decided', imposed: 'Impose a licence requirement' });
  await walkSeedCase('nl', `${seed.reference}-NL`, { file: 'Melding indienen', filed: 'ingediend, wacht op beoordeling',
    notification: 'Melding', decided: 'besloten', imposed: 'Vergunningplicht opleggen' });
  await page.selectOption('#lang', 'en');

  await step('assess: a classification record and a due-diligence record cited through the form; the notification they carry', async () => {
    const data = (f) => join(here, '../data/classify', f);
    const stored = await apiCall(officer, 'POST', '/classify/records', JSON.parse(readFileSync(data('answers-art-2-20-in-scope.json'), 'utf8')));
    expect(stored.status === 201, `classification record: ${stored.status} ${stored.text}`);
    const request = JSON.parse(readFileSync(data('request-emotion-analysis.json'), 'utf8'));
    request.items[0].control_entries = [];
    request.items[0].cyber_surveillance = true;
    request.items[0].classification_record = stored.json.id;
    await loginAs(officer);
    await enterCase(request, request.reference, async () => page.setInputFiles('#a-dd-file', data('due-diligence-aware.json')));
    const rules = await page.locator('#determination .finding').evaluateAll((els) => els.map((e) => e.dataset.rule));
    expect(await page.getAttribute('#determination', 'data-verdict') === 'notify_authority', 'verdict');
    expect(rules.includes('record/due-diligence'), 'the due-diligence record is not cited: ' + rules.join(','));
    const cited = await page.textContent('#determination');
    expect(cited.includes(stored.json.id), 'the classification record is not cited');
    const n = await page.textContent('#notification');
    expect(n.includes('Article 5(2)') && n.includes('PO-2026-0077'), 'notification not shown: ' + n.slice(0, 200));
    await page.click('#file-btn');
    await page.waitForSelector('#filed');
    await axe('a determination with a notification');
    await shot('24-assess-records-notification');
  });

  await step('assess: a licence_required determination files a licence application', async () => {
    const request = { schema: 'dualuse.assessment/1', reference: 'UI-APP-2', activity: 'export',
      exporter: { name: 'Example B.V.', country: 'NL', has_icp: true }, destination: 'CN',
      items: [{ id: '1', description: 'IMSI catcher', kind: 'goods', control_entries: ['5A001.f'], quantity: 2, value_eur: 50000 },
        { id: '2', description: 'installation manual', kind: 'technology', control_entries: [] }],
      parties: [{ role: 'consignee', name: 'Example Distribution Ltd', country: 'HK', type: 'organization', sector: 'private' },
        { role: 'end_user', name: 'Example Telecom Co., Ltd', country: 'CN', type: 'organization', sector: 'telecom_operator' }],
      end_use: { description: 'lawful interception for the operator network' },
      knowledge: { informed: [], aware: [], suspects: [] } };
    await enterCase(request, request.reference);
    const direct = await apiCall(officer, 'POST', '/assess', request);
    const verdict = await page.getAttribute('#determination', 'data-verdict');
    expect(verdict === 'licence_required' && direct.json.verdict === verdict, `verdict ${verdict} (API: ${direct.json.verdict})`);
    expect((await page.textContent('#file-btn')).trim() === 'File the licence application', 'file button label');
    await page.click('#file-btn');
    await page.waitForSelector('#filed');
    const id = (await page.textContent('#filed')).match(/APP-\d+/)[0];
    const row = await page.textContent(`#filings-list tr[data-filing="${id}"]`);
    expect(row.includes('Application') && row.includes('UI-APP-2'), 'status row: ' + row);
    const c = await apiCall(authority, 'GET', `/authority/filings/${id}`);
    expect(c.json.application.items.length === 2 && c.json.application.parties.length === 2, 'items or parties lost on filing');
  });

  await step('no request left the loopback server; no console errors', async () => {
    expect(external.length === 0, 'external requests: ' + external.join(', '));
    expect(consoleErrors.filter((e) => !e.includes('401')).length === 0, 'console: ' + consoleErrors.join(' | '));
  });
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.stack || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.removeAllListeners('exit');  // the start-up rejection handler
    const exited = new Promise((r) => server.once('exit', (code, sig) => r([code, sig])));
    server.kill('SIGTERM');
    const [code, sig] = await exited;
    if (code === 0) passed++;
    else failed++;
    console.log(`${code === 0 ? 'ok  ' : 'FAIL'} dualuse serve stops cleanly on SIGTERM (exit ${code ?? sig})`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
  console.log(`screenshots: ${out}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
