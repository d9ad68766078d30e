// Browser tests of the dualuse web UI: the real `dualuse serve` binary on an
// ephemeral loopback port, driven in Debian's chromium by playwright-core.
// Usage: node tests/ui/run.mjs --dualuse build/dualuse [--shared ../shared] [--out DIR]
// Screenshots go to <out> (default: <dir of the binary>/ui-screenshots).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const binary = resolve(arg('dualuse', join(here, '../../build/dualuse')));
const shared = resolve(arg('shared', join(here, '../../../shared')));
const out = resolve(arg('out', join(dirname(binary), 'ui-screenshots')));
const unList = join(shared, 'data/lists/un_sc/un_consolidated_2026-02-27.xml');
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
  const officer = run('users', 'token', 'olga');
  const reviewer = run('users', 'token', 'rik');
  const port = await startServer();
  const base = `http://127.0.0.1:${port}`;

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
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  const shot = (name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });

  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="true"]');

  await step('login page is accessible: landmarks, labels, lang', async () => {
    expect(await page.locator('header').count() === 1, 'no header landmark');
    expect(await page.locator('main').count() === 1, 'no main landmark');
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
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
    await page.fill('#a-desc', 'IP network surveillance system');
    await page.fill('#a-entries', '5A001.j');
    await page.check('#a-cyber');
    await page.fill('#a-p-name', LISTED);
    await page.fill('#a-p-country', 'CN');
    await page.click('#assess-form button[type="submit"]');
    await page.waitForSelector('#determination');
    const text = await page.textContent('#determination');
    expect(text.includes('Prohibited'), 'verdict not Prohibited: ' + text.slice(0, 300));
    const findings = await page.locator('#determination .finding .basis').allTextContents();
    expect(findings.length >= 2, 'fewer than two findings');
    expect(findings.every((b) => b.trim().length > 0), 'a finding without its legal basis');
    expect(findings.some((b) => /Article|Art\./.test(b)), 'no finding cites an article: ' + findings.join(' | '));
    await shot('03-assess');
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
